using System.Diagnostics;
using System.Globalization;
using TweakDrizzle.Fits;
using TweakDrizzle.Resample;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Pipeline.Combine;

/// <summary>What happened to one input chip.</summary>
/// <param name="Name">Chip name, e.g. <c>j8ny01suq_flc.fits[SCI,1]</c>.</param>
/// <param name="Exposure">Exposure name.</param>
/// <param name="ExtVer">EXTVER.</param>
/// <param name="Sky">Sky subtracted, data units.</param>
/// <param name="CosmicRayPixels">Pixels flagged as cosmic rays.</param>
/// <param name="Drizzled">Whether the chip overlaps the grid and was drizzled.</param>
/// <param name="CosmicRayMask">The cosmic-ray mask (row-major, true = cosmic ray), or null without CR rejection.</param>
public sealed record ChipReport(string Name, string Exposure, int ExtVer, double Sky, int CosmicRayPixels, bool Drizzled, bool[]? CosmicRayMask);

/// <summary>The result of an <see cref="AstroDrizzle"/> run.</summary>
/// <param name="ProductPath">The written product (<c>_drz.fits</c> or <c>_drc.fits</c>).</param>
/// <param name="Grid">The output grid.</param>
/// <param name="Sci">The product's science image (row-major, final units).</param>
/// <param name="Wht">The product's weight image.</param>
/// <param name="Context">The context planes.</param>
/// <param name="TotalExposureTime">Sum of the drizzled exposures' times, seconds.</param>
/// <param name="Chips">Per input chip.</param>
/// <param name="Files">Every file written (product, intermediates, log).</param>
/// <param name="Messages">Warnings and notes (also sent to the log).</param>
public sealed record AstroDrizzleResult(
    string ProductPath,
    OutputGrid Grid,
    float[] Sci,
    float[] Wht,
    IReadOnlyList<int[]> Context,
    double TotalExposureTime,
    IReadOnlyList<ChipReport> Chips,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> Messages)
{
    /// <summary>Total cosmic-ray pixels flagged.</summary>
    public long CosmicRayPixels => Chips.Sum(c => (long)c.CosmicRayPixels);
}

/// <summary>
/// AstroDrizzle's combination of dithered exposures: static mask, sky subtraction, separate drizzles, median,
/// blot, cosmic-ray detection and the final drizzle onto one output grid, then the product file.
/// </summary>
/// <remarks>
/// Inputs are never modified, except the DQ arrays with <see cref="AstroDrizzleOptions.UpdateInputDq"/>. The product
/// is written atomically. Deterministic: every parallel step uses a fixed decomposition.
/// </remarks>
public static class AstroDrizzle
{
    /// <summary>DQ value AstroDrizzle gives cosmic-ray pixels in the inputs.</summary>
    public const uint CosmicRayDq = 4096;

    /// <summary>Loads the files and runs.</summary>
    /// <param name="files">Input files (already expanded; see <see cref="InputFiles.Expand"/>).</param>
    /// <param name="options">Options.</param>
    /// <returns>The result.</returns>
    /// <exception cref="CombineException">Inputs or options that cannot be combined.</exception>
    public static AstroDrizzleResult Run(IReadOnlyList<string> files, AstroDrizzleOptions options)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        if (files.Count == 0)
        {
            throw new CombineException("no input files");
        }

        var exposures = files.Select(f => Exposure.Load(f)).ToList();
        return Run(exposures, options);
    }

    /// <summary>Runs on exposures already in memory (their WCSs may have been corrected by an alignment).</summary>
    /// <param name="exposures">The exposures.</param>
    /// <param name="options">Options.</param>
    /// <returns>The result.</returns>
    /// <exception cref="CombineException">Inputs or options that cannot be combined.</exception>
    public static AstroDrizzleResult Run(IReadOnlyList<Exposure> exposures, AstroDrizzleOptions options)
    {
        ArgumentNullException.ThrowIfNull(exposures);
        ArgumentNullException.ThrowIfNull(options);
        var run = new Runner(exposures, options);
        return run.Execute();
    }

    /// <summary>The product file name for these inputs: <c>_drc.fits</c> when every input is an <c>_flc</c> file, else <c>_drz.fits</c>.</summary>
    /// <param name="output">The output root.</param>
    /// <param name="exposures">The inputs.</param>
    /// <returns>The file name.</returns>
    public static string ProductName(string output, IReadOnlyList<Exposure> exposures)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(exposures);
        bool flc = exposures.Count > 0 && exposures.All(e => e.Path is not null
            && (e.Path.EndsWith("_flc.fits", StringComparison.OrdinalIgnoreCase) || e.Path.EndsWith("_flc.fits.gz", StringComparison.OrdinalIgnoreCase)));
        return output + (flc ? "_drc.fits" : "_drz.fits");
    }

    private sealed class ChipWork
    {
        public required Exposure Exposure { get; init; }

        public required int ExposureIndex { get; init; }

        public required Chip Chip { get; init; }

        public required bool[] SepGood { get; init; }

        public required bool[] FinalGood { get; init; }

        public required double ToElectrons { get; init; }

        public required double ReadNoise { get; init; }

        public required double NativeScale { get; init; }

        public float[] Data { get; set; } = [];

        public double Sky { get; set; }

        public bool Overlaps { get; set; } = true;

        public bool[]? CosmicRays { get; set; }

        public double Scale => Exposure.Units == DataUnits.CountRate ? Exposure.ExposureTime : 1.0;
    }

    private sealed class Runner(IReadOnlyList<Exposure> exposures, AstroDrizzleOptions options)
    {
        private readonly List<string> _messages = [];
        private readonly List<string> _files = [];
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly PixmapOptions _pixmapOptions = new() { Fast = true, MaxDegreeOfParallelism = options.NumCores };

        public AstroDrizzleResult Execute()
        {
            Validate();
            OutputGrid grid = OutputGrid.Create(exposures, options);
            Log(string.Create(CultureInfo.InvariantCulture,
                $"output grid {grid.Width}x{grid.Height}, {grid.ScaleArcsec:0.#####}\"/pixel, orientation {grid.Orientation:0.####} deg, centre RA {grid.Center.Ra:0.0000000} Dec {grid.Center.Dec:0.0000000}"));
            string folder = options.OutputFolder;
            Directory.CreateDirectory(folder);
            List<ChipWork> chips = Prepare();
            if (options.StaticMask)
            {
                ApplyStaticMask(chips);
            }

            SubtractSky(chips);
            CheckOverlap(chips, grid);
            var used = chips.Where(c => c.Overlaps).ToList();
            int nExp = used.Select(c => c.ExposureIndex).Distinct().Count();
            if (options.DrizCr)
            {
                if (nExp < 2)
                {
                    Warn("only one exposure overlaps the grid: cosmic-ray rejection (driz_cr) is skipped");
                }
                else
                {
                    RejectCosmicRays(used, grid);
                }
            }

            (float[] sci, float[] wht, IReadOnlyList<int[]> ctx, double texp) = FinalDrizzle(used, grid);
            string product = Path.Combine(folder, ProductName(options.Output, exposures));
            ProductWriter.Write(product, grid, sci, wht, ctx, texp, used.Select(c => (c.Chip.Name, c.Exposure.ExposureTime, Weight(c))).ToList(), options);
            _files.Insert(0, Path.GetFullPath(product));
            Log($"wrote {product}");
            if (options.UpdateInputDq)
            {
                UpdateInputDq(chips);
            }

            var reports = chips.Select(c => new ChipReport(c.Chip.Name, c.Exposure.Name, c.Chip.ExtVer, c.Sky,
                c.CosmicRays?.Count(b => b) ?? 0, c.Overlaps, c.CosmicRays)).ToList();
            return new AstroDrizzleResult(Path.GetFullPath(product), grid, sci, wht, ctx, texp, reports, _files, _messages);
        }

        private void Validate()
        {
            if (exposures.Count == 0)
            {
                throw new CombineException("no input exposures");
            }

            if (exposures.Select(e => e.Units).Distinct().Count() > 1)
            {
                throw new CombineException("the inputs mix counts and count rates (BUNIT); convert them to one unit first");
            }

            if (options.FinalWhtType == WeightType.Err && exposures.FirstOrDefault(e => e.Chips.Any(c => c.Err is null)) is { } noErr)
            {
                throw new CombineException($"final_wht_type ERR needs ERR arrays, but {noErr.Name} has none");
            }

            if (!(options.FinalPixfrac > 0) || !(options.DrizSepPixfrac > 0))
            {
                throw new CombineException("final_pixfrac and driz_sep_pixfrac must be > 0");
            }

            if (options.DrizCrGrow < 1 || options.TileRows < 1 || options.NumCores is < 1)
            {
                throw new CombineException("driz_cr_grow, the tile size and num_cores must be at least 1");
            }
        }

        private List<ChipWork> Prepare()
        {
            var list = new List<ChipWork>();
            for (int e = 0; e < exposures.Count; e++)
            {
                Exposure exp = exposures[e];
                double gain = GainOf(exp);
                double rn = ReadNoiseOf(exp);
                foreach (Chip c in exp.Chips)
                {
                    list.Add(new ChipWork
                    {
                        Exposure = exp,
                        ExposureIndex = e,
                        Chip = c,
                        SepGood = c.GoodPixels(options.DrizSepBits),
                        FinalGood = c.GoodPixels(options.FinalBits),
                        ToElectrons = gain * (exp.Units == DataUnits.CountRate ? exp.ExposureTime : 1.0),
                        ReadNoise = rn,
                        NativeScale = c.Wcs.PixelScale((c.Width - 1) / 2.0, (c.Height - 1) / 2.0),
                    });
                }
            }

            return list;
        }

        private void ApplyStaticMask(List<ChipWork> chips)
        {
            // A pixel far below the sky in any exposure is flagged in every exposure of that chip (AstroDrizzle's static mask).
            foreach (IGrouping<(int, int, int), ChipWork> group in chips.GroupBy(c => (c.Chip.ExtVer, c.Chip.Width, c.Chip.Height)))
            {
                var list = group.ToList();
                var bad = new bool[list[0].Chip.Sci.Length];
                foreach (ChipWork c in list)
                {
                    (double sky, double sd) = SkyStatistics.Compute(c.Chip.Sci, c.SepGood, options.SkyStat, options.SkyClip, options.SkyLSigma, options.SkyUSigma);
                    if (!double.IsFinite(sky))
                    {
                        continue;
                    }

                    double limit = sky - (options.StaticSig * sd);
                    float[] d = c.Chip.Sci;
                    for (int i = 0; i < d.Length; i++)
                    {
                        bad[i] |= d[i] < limit;
                    }
                }

                int count = bad.Count(b => b);
                foreach (ChipWork c in list)
                {
                    for (int i = 0; i < bad.Length; i++)
                    {
                        if (bad[i])
                        {
                            c.SepGood[i] = false;
                            c.FinalGood[i] = false;
                        }
                    }
                }

                Log(string.Create(CultureInfo.InvariantCulture, $"static mask SCI,{group.Key.Item1}: {count} pixels"));
            }
        }

        private void SubtractSky(List<ChipWork> chips)
        {
            foreach (ChipWork c in chips)
            {
                c.Sky = 0;
                if (options.SkySub)
                {
                    (double sky, _) = SkyStatistics.Compute(c.Chip.Sci, c.SepGood, options.SkyStat, options.SkyClip, options.SkyLSigma, options.SkyUSigma);
                    c.Sky = double.IsFinite(sky) ? sky : 0;
                }
            }

            if (options.SkySub)
            {
                if (options.SkyMethod == SkyMethod.Localmin)
                {
                    foreach (IGrouping<int, ChipWork> g in chips.GroupBy(c => c.ExposureIndex))
                    {
                        double min = g.Min(c => c.Sky);
                        foreach (ChipWork c in g)
                        {
                            c.Sky = min;
                        }
                    }
                }
                else if (options.SkyMethod is SkyMethod.Match or SkyMethod.GlobalminMatch) // crsky: SkyMatch.cs
                {
                    SkyMatchResult m = SkyMatch.Solve(chips.Select(c => new SkyMatchChip(c.ExposureIndex, c.Chip.Sci, c.SepGood, c.Chip.Width, c.Chip.Height, c.Chip.Wcs,
                        c.Scale / c.Exposure.ExposureTime, c.Sky * c.Scale / c.Exposure.ExposureTime)).ToList(), new SkyMatchOptions { AddGlobalMin = options.SkyMethod == SkyMethod.GlobalminMatch, NumCores = options.NumCores });
                    chips.ForEach(c => c.Sky = m.Sky[c.ExposureIndex] * c.Exposure.ExposureTime / c.Scale);
                    Log(string.Create(CultureInfo.InvariantCulture, $"sky match: {m.Pairs.Count} overlaps, {m.Groups} group(s), global minimum {m.GlobalMin:0.#####}/s"));
                }
                else
                {
                    // As a rate (per second), so exposures of different lengths compare.
                    double minRate = chips.Min(c => c.Sky * c.Scale / c.Exposure.ExposureTime);
                    foreach (ChipWork c in chips)
                    {
                        c.Sky = minRate * c.Exposure.ExposureTime / c.Scale;
                    }
                }
            }

            foreach (ChipWork c in chips)
            {
                float sky = (float)c.Sky;
                float[] src = c.Chip.Sci;
                var data = new float[src.Length];
                for (int i = 0; i < src.Length; i++)
                {
                    data[i] = src[i] - sky;
                }

                c.Data = data;
                Log(string.Create(CultureInfo.InvariantCulture, $"sky {c.Chip.Name}: {c.Sky:0.####} ({options.SkyMethod.ToString().ToLowerInvariant()}{(options.SkySub ? string.Empty : ", skysub off")})"));
            }
        }

        private void CheckOverlap(List<ChipWork> chips, OutputGrid grid)
        {
            foreach (ChipWork c in chips)
            {
                int inside = 0;
                foreach ((double x, double y) in OutputGrid.EdgePoints(c.Chip.Width, c.Chip.Height).Append(((c.Chip.Width - 1) / 2.0, (c.Chip.Height - 1) / 2.0)))
                {
                    (double ra, double dec) = c.Chip.Wcs.PixelToWorld(x, y);
                    (double px, double py) = grid.Wcs.WorldToPixel(ra, dec);
                    if (px > -0.5 && px < grid.Width - 0.5 && py > -0.5 && py < grid.Height - 0.5)
                    {
                        inside++;
                    }
                }

                if (inside == 0)
                {
                    // No sampled point inside: check the grid's corners against the chip (a chip larger than the grid).
                    inside = OutputGrid.EdgePoints(grid.Width, grid.Height).Count(p =>
                    {
                        (double ra, double dec) = grid.Wcs.PixelToWorld(p.X, p.Y);
                        (double x, double y) = c.Chip.Wcs.WorldToPixel(ra, dec);
                        return x > -0.5 && x < c.Chip.Width - 0.5 && y > -0.5 && y < c.Chip.Height - 0.5;
                    });
                }

                c.Overlaps = inside > 0;
                if (!c.Overlaps)
                {
                    Warn($"{c.Chip.Name} does not overlap the output grid and is skipped");
                }
            }

            if (!chips.Any(c => c.Overlaps))
            {
                throw new CombineException("no input overlaps the output grid; check final_ra/final_dec and final_outnx/final_outny");
            }
        }

        private Pixmap PixmapTo(ChipWork c, FitsWcs target)
        {
            FitsWcs source = c.Chip.Wcs;
            void Transform(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> xo, Span<double> yo)
            {
                var ra = new double[x.Length];
                var dec = new double[x.Length];
                source.PixelToWorld(x, y, ra, dec);
                target.WorldToPixel(ra, dec, xo, yo);
            }

            return PixmapCalculator.Calculate(Transform, c.Chip.Width, c.Chip.Height, _pixmapOptions);
        }

        private void RejectCosmicRays(List<ChipWork> chips, OutputGrid finalGrid)
        {
            // Separate drizzles on AstroDrizzle's default grid: the native scale of the first chip, same centre and orientation.
            OutputGrid sepGrid = OutputGrid.Create(exposures, options with
            {
                FinalWcs = true,
                FinalScale = null,
                FinalRefImage = null,
                FinalRot = finalGrid.Orientation,
                FinalOutNx = null,
                FinalOutNy = null,
                FinalRa = null,
                FinalDec = null,
            });
            Log($"separate drizzles: {sepGrid.Width}x{sepGrid.Height} at the native scale, kernel {DrizzleKernels.Name(options.DrizSepKernel)}");
            long n = sepGrid.PixelCount;
            var singles = new List<SingleDrizzle>();
            var groups = chips.GroupBy(c => c.ExposureIndex).ToList();
            int done = 0;
            foreach (IGrouping<int, ChipWork> g in groups)
            {
                var sci = new float[n];
                var wht = new float[n];
                var driz = new Drizzle(new DrizzleOptions
                {
                    Kernel = options.DrizSepKernel,
                    OutputWidth = sepGrid.Width,
                    OutputHeight = sepGrid.Height,
                    OutImg = sci,
                    OutWht = wht,
                    DisableCtx = true,
                    MaxDegreeOfParallelism = options.NumCores,
                });
                Exposure exp = g.First().Exposure;
                foreach (ChipWork c in g)
                {
                    Pixmap map = PixmapTo(c, sepGrid.Wcs);
                    double psr = sepGrid.ScaleArcsec / c.NativeScale;
                    driz.AddImage(new DrizzleInput
                    {
                        Data = c.Data,
                        Exptime = exp.ExposureTime,
                        Pixmap = map,
                        WeightMap = Mask(c.SepGood, null),
                        WhtScale = exp.ExposureTime,
                        InUnits = exp.Units == DataUnits.CountRate ? DrizzleUnits.Cps : DrizzleUnits.Counts,
                        Iscale = psr * psr,
                        PixelScaleRatio = psr,
                        Pixfrac = options.DrizSepPixfrac,
                    });
                }

                ChipWork first = g.First();
                singles.Add(new SingleDrizzle(sci, wht, exp.ExposureTime, first.Sky * first.ToElectrons, first.ReadNoise));
                if (options.WriteIntermediates)
                {
                    WriteImage(Path.Combine(options.OutputFolder, $"{exp.Name}_single_sci.fits"), sci, sepGrid);
                    WriteImage(Path.Combine(options.OutputFolder, $"{exp.Name}_single_wht.fits"), wht, sepGrid);
                }

                Report("driz_separate", ++done / (double)groups.Count);
            }

            Log($"median: combine_type {options.CombineType.ToString().ToLowerInvariant()} of {singles.Count} separate drizzles");
            float[] median = MedianCombiner.Combine(singles, sepGrid.Width, sepGrid.Height, options);
            singles.Clear();
            if (options.WriteIntermediates)
            {
                WriteImage(Path.Combine(options.OutputFolder, $"{options.Output}_med.fits"), median, sepGrid);
            }

            var covered = new bool[median.Length];
            var filled = new float[median.Length];
            for (long k = 0; k < median.LongLength; k++)
            {
                covered[k] = float.IsFinite(median[k]);
                filled[k] = covered[k] ? median[k] : 0f;
            }

            done = 0;
            foreach (ChipWork c in chips)
            {
                // Recomputed rather than kept: a pixmap holds 16 bytes per input pixel (fast mode makes it cheap).
                Pixmap map = PixmapTo(c, sepGrid.Wcs);
                double psr = sepGrid.ScaleArcsec / c.NativeScale;
                double toData = (c.Exposure.Units == DataUnits.CountRate ? 1.0 : c.Exposure.ExposureTime) / (psr * psr);
                float[] blot = Blot.Run(filled, sepGrid.Width, sepGrid.Height, SafeMap(map), new BlotOptions
                {
                    Interp = options.BlotInterp,
                    Iscale = toData,
                    MaxDegreeOfParallelism = options.NumCores,
                });
                var usable = new bool[blot.Length];
                for (int k = 0; k < usable.Length; k++)
                {
                    double x = Math.Round(map.X[k]), y = Math.Round(map.Y[k]);
                    usable[k] = c.SepGood[k] && x >= 0 && y >= 0 && x < sepGrid.Width && y < sepGrid.Height
                        && covered[((long)y * sepGrid.Width) + (long)x];
                }

                var noise = new ChipNoise(c.Sky, c.ToElectrons, c.ReadNoise);
                c.CosmicRays = CosmicRayDetector.Detect(c.Data, blot, usable, c.Chip.Width, c.Chip.Height, noise, options);
                int count = c.CosmicRays.Count(b => b);
                Log(string.Create(CultureInfo.InvariantCulture, $"driz_cr {c.Chip.Name}: {count} pixels ({100.0 * count / c.CosmicRays.Length:0.###}%)"));
                if (options.WriteIntermediates)
                {
                    string root = $"{c.Exposure.Name}_sci{c.Chip.ExtVer}";
                    WriteChipImage(Path.Combine(options.OutputFolder, root + "_blt.fits"), blot, c);
                    WriteChipImage(Path.Combine(options.OutputFolder, root + "_crmask.fits"), c.CosmicRays.Select(b => b ? (byte)0 : (byte)1).ToArray(), c);
                }

                Report("driz_cr", ++done / (double)chips.Count);
            }
        }

        private static Pixmap SafeMap(Pixmap map)
        {
            if (!map.X.Any(double.IsNaN) && !map.Y.Any(double.IsNaN))
            {
                return map;
            }

            double[] x = map.X.Select(v => double.IsNaN(v) ? -1e9 : v).ToArray();
            double[] y = map.Y.Select(v => double.IsNaN(v) ? -1e9 : v).ToArray();
            return new Pixmap(map.Width, map.Height, x, y);
        }

        private double Weight(ChipWork c) => options.FinalWhtType switch
        {
            WeightType.Exp => c.Exposure.ExposureTime,
            WeightType.Ivm => IvmScale(c),
            _ => 1.0,
        };

        private static double IvmScale(ChipWork c)
        {
            // Variance of a rate pixel from sky and read noise: (sky e⁻ + rn²) / (electrons per rate unit)².
            double perRate = c.ToElectrons * c.Exposure.ExposureTime / c.Scale;
            double variance = (Math.Max(0, c.Sky * c.ToElectrons) + (c.ReadNoise * c.ReadNoise)) / (perRate * perRate);
            return variance > 0 ? 1.0 / variance : c.Exposure.ExposureTime;
        }

        private (float[] Sci, float[] Wht, IReadOnlyList<int[]> Ctx, double Texp) FinalDrizzle(List<ChipWork> chips, OutputGrid grid)
        {
            long n = grid.PixelCount;
            var sci = new float[n];
            var wht = new float[n];
            var driz = new Drizzle(new DrizzleOptions
            {
                Kernel = options.FinalKernel,
                FillValue = options.FinalFillval,
                OutputWidth = grid.Width,
                OutputHeight = grid.Height,
                OutImg = sci,
                OutWht = wht,
                MaxCtxId = chips.Count - 1,
                MaxDegreeOfParallelism = options.NumCores,
            });
            Log(string.Create(CultureInfo.InvariantCulture,
                $"final drizzle: kernel {DrizzleKernels.Name(options.FinalKernel)}, pixfrac {options.FinalPixfrac}, weights {options.FinalWhtType.ToString().ToUpperInvariant()}, bits {options.FinalBits}"));
            int done = 0;
            var holeFill = new HoleFill(grid, options); // crsky: hole filling (HoleFill.cs)
            foreach (ChipWork c in chips)
            {
                Exposure exp = c.Exposure;
                double psr = grid.ScaleArcsec / c.NativeScale;
                float[]? perPixel = null;
                if (options.FinalWhtType == WeightType.Err)
                {
                    perPixel = new float[c.Chip.Sci.Length];
                    double toRate = exp.Units == DataUnits.CountRate ? 1.0 : 1.0 / exp.ExposureTime;
                    for (int i = 0; i < perPixel.Length; i++)
                    {
                        double e = c.Chip.Err![i] * toRate;
                        perPixel[i] = e > 0 && double.IsFinite(e) ? (float)(1.0 / (e * e)) : 0f;
                    }
                }

                bool[] good = c.FinalGood;
                if (c.CosmicRays is not null)
                {
                    good = (bool[])good.Clone();
                    for (int i = 0; i < good.Length; i++)
                    {
                        good[i] &= !c.CosmicRays[i];
                    }
                }

                var input = new DrizzleInput
                {
                    Data = c.Data,
                    Exptime = exp.ExposureTime,
                    Pixmap = PixmapTo(c, grid.Wcs),
                    WeightMap = Mask(good, perPixel),
                    WhtScale = Weight(c),
                    InUnits = exp.Units == DataUnits.CountRate ? DrizzleUnits.Cps : DrizzleUnits.Counts,
                    Iscale = psr * psr,
                    PixelScaleRatio = psr,
                    Pixfrac = options.FinalPixfrac,
                };
                driz.AddImage(input);
                holeFill.Add(input); // crsky
                Report("final drizzle", ++done / (double)chips.Count);
            }

            if (holeFill.Enabled) // crsky
            {
                Log(string.Create(CultureInfo.InvariantCulture, $"holes filled from pixfrac {options.FinalHolePixfrac} drops: {holeFill.Fill(sci, wht)} pixels"));
            }

            double texp = chips.Select(c => c.ExposureIndex).Distinct().Sum(i => exposures[i].ExposureTime);
            if (options.FinalUnits == OutputUnits.Counts)
            {
                for (long k = 0; k < n; k++)
                {
                    sci[k] = (float)(sci[k] * texp);
                }
            }

            return (sci, wht, driz.OutCtx, texp);
        }

        private static float[] Mask(bool[] good, float[]? values)
        {
            var w = new float[good.Length];
            for (int i = 0; i < w.Length; i++)
            {
                w[i] = good[i] ? (values is null ? 1f : values[i]) : 0f;
            }

            return w;
        }

        private void UpdateInputDq(List<ChipWork> chips)
        {
            foreach (IGrouping<int, ChipWork> g in chips.GroupBy(c => c.ExposureIndex))
            {
                Exposure exp = g.First().Exposure;
                if (exp.Path is null || g.All(c => c.CosmicRays is null))
                {
                    continue;
                }

                var hdus = new List<FitsWriteHdu>();
                using (FitsFile file = FitsFile.Open(exp.Path))
                {
                    foreach (FitsHdu hdu in file.Hdus)
                    {
                        ChipWork? c = string.Equals(hdu.ExtName?.Trim(), "DQ", StringComparison.OrdinalIgnoreCase)
                            ? g.FirstOrDefault(w => w.Chip.ExtVer == hdu.ExtVer && w.CosmicRays is not null) : null;
                        hdus.Add(c is null ? FitsWriteHdu.Copy(hdu) : FlaggedDq(hdu, c.CosmicRays!));
                    }
                }

                FitsWriter.Write(exp.Path, hdus);
                Log($"updated the DQ arrays of {exp.Path} (cosmic rays flagged {CosmicRayDq})");
            }
        }

        private static FitsWriteHdu FlaggedDq(FitsHdu hdu, bool[] cr)
        {
            int[] shape = [(int)hdu.Width, (int)hdu.Height];
            FitsHeader h = hdu.Header.Clone();
            if (hdu.PhysicalType == typeof(short))
            {
                short[] d = hdu.ReadImage<short>().Data;
                for (int i = 0; i < d.Length; i++)
                {
                    d[i] = cr[i] ? (short)(d[i] | (short)CosmicRayDq) : d[i];
                }

                return FitsWriteHdu.Image(d, shape, h);
            }

            if (hdu.PhysicalType == typeof(int))
            {
                int[] d = hdu.ReadImage<int>().Data;
                for (int i = 0; i < d.Length; i++)
                {
                    d[i] = cr[i] ? d[i] | (int)CosmicRayDq : d[i];
                }

                return FitsWriteHdu.Image(d, shape, h);
            }

            if (hdu.PhysicalType == typeof(ushort))
            {
                ushort[] d = hdu.ReadImage<ushort>().Data;
                for (int i = 0; i < d.Length; i++)
                {
                    d[i] = cr[i] ? (ushort)(d[i] | CosmicRayDq) : d[i];
                }

                return FitsWriteHdu.Image(d, shape, h);
            }

            uint[] u = hdu.ReadImage<uint>().Data;
            for (int i = 0; i < u.Length; i++)
            {
                u[i] = cr[i] ? u[i] | CosmicRayDq : u[i];
            }

            return FitsWriteHdu.Image(u, shape, h);
        }

        private void WriteImage(string path, float[] data, OutputGrid grid)
        {
            var h = new FitsHeader();
            grid.Wcs.WriteTo(h);
            FitsWriter.Write(path, [FitsWriteHdu.Image(data, [grid.Width, grid.Height], h)]);
            _files.Add(Path.GetFullPath(path));
        }

        private void WriteChipImage<T>(string path, T[] data, ChipWork c)
            where T : unmanaged, System.Numerics.INumber<T>
        {
            var h = new FitsHeader();
            c.Chip.Wcs.WriteTo(h);
            FitsWriter.Write(path, [FitsWriteHdu.Image(data, [c.Chip.Width, c.Chip.Height], h)]);
            _files.Add(Path.GetFullPath(path));
        }

        private void Report(string step, double fraction) => options.Progress?.Report((step, fraction));

        private void Log(string line) =>
            options.Log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,7:0.00}s] {line}"));

        private void Warn(string line)
        {
            _messages.Add(line);
            Log("warning: " + line);
        }

        private static double GainOf(Exposure e)
        {
            string bunit = (e.Chips[0].Header.GetString("BUNIT", null) ?? e.PrimaryHeader.GetString("BUNIT", null) ?? string.Empty).Trim().ToUpperInvariant();
            if (bunit.StartsWith("ELECTRON", StringComparison.Ordinal))
            {
                return 1.0;
            }

            return e.PrimaryHeader.GetDouble("CCDGAIN", e.Chips[0].Header.GetDouble("CCDGAIN", 1.0));
        }

        private static double ReadNoiseOf(Exposure e)
        {
            foreach (string key in new[] { "READNSE", "READNSEA", "RDNOISE" })
            {
                if (e.PrimaryHeader.TryGetDouble(key, out double v) || e.Chips[0].Header.TryGetDouble(key, out v))
                {
                    return v;
                }
            }

            return 0.0;
        }
    }
}
