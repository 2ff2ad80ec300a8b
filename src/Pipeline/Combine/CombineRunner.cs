using System.Diagnostics;
using System.Globalization;
using TweakDrizzle.Fits;
using TweakDrizzle.Resample;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Pipeline.Combine;

/// <summary>
/// One <see cref="AstroDrizzle"/> run: the steps in order, holding one input chip at a time. This file: set-up, static
/// mask, sky, overlap and the input DQ update; <c>CombineRunner.CosmicRays.cs</c>: separate drizzles, median, blot and
/// cosmic rays; <c>CombineRunner.Final.cs</c>: the tiled final drizzle and the product.
/// </summary>
internal sealed partial class CombineRunner(IReadOnlyList<CombineInput> inputs, AstroDrizzleOptions options)
{
    private readonly List<string> _messages = [];
    private readonly List<string> _files = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<ChipWork> _chips = [.. inputs.SelectMany(i => i.Chips)];
    private readonly PixmapOptions _pixmapOptions = new() { Fast = true, MaxDegreeOfParallelism = options.NumCores };
    private readonly Dictionary<(int, int), Pixmap> _pixmaps = [];
    private readonly StepTiming _timing = new();
    private readonly StepTiming _crTiming = new();
    private readonly StepTiming _sepTiming = new();

    private long MemoryBudgetBytes => (long)options.MaxMemoryMB << 20;

    public AstroDrizzleResult Execute()
    {
        ReleaseChipArrays();
        Validate();
        OutputGrid grid = OutputGrid.Create(_chips.Select(c => c.Geometry).ToList(), options);
        Log(string.Create(CultureInfo.InvariantCulture,
            $"output grid {grid.Width}x{grid.Height}, {grid.ScaleArcsec:0.#####}\"/pixel, orientation {grid.Orientation:0.####} deg, centre RA {grid.Center.Ra:0.0000000} Dec {grid.Center.Dec:0.0000000}"));
        string folder = options.OutputFolder;
        Directory.CreateDirectory(folder);
        MeasureSkyAndStaticMask();
        CheckOverlap(grid);
        var used = _chips.Where(c => c.Overlaps).ToList();
        int nExp = used.Select(c => c.ExposureIndex).Distinct().Count();
        string product = Path.Combine(folder, AstroDrizzle.ProductName(options.Output, inputs.Select(i => i.Path).ToList()));
        int tiles;
        // Scratch images stay in memory within half of the budget (the median's bands take a quarter; they are all
        // released before the final drizzle, whose tiles take half).
        using (var scratch = new ScratchFolder(options.ScratchFolder ?? folder, options.Output, MemoryBudgetBytes / 2))
        {
            if (options.DrizCr)
            {
                if (nExp < 2)
                {
                    Warn("only one exposure overlaps the grid: cosmic-ray rejection (driz_cr) is skipped");
                }
                else
                {
                    RejectCosmicRays(used, grid, scratch);
                }
            }

            tiles = FinalDrizzle(used, grid, product);
        }

        _files.Insert(0, Path.GetFullPath(product));
        Log($"wrote {product}");
        if (options.UpdateInputDq)
        {
            UpdateInputDq();
        }

        double texp = used.Select(c => c.Input).Distinct().Sum(i => i.ExposureTime);
        var reports = _chips.Select(c => new ChipReport(c.Name, c.Input.Name, c.ExtVer, c.Sky, c.CosmicRays?.Length ?? 0, c.Overlaps,
            c.Width, c.Height, c.CosmicRays)).ToList();
        return new AstroDrizzleResult(Path.GetFullPath(product), grid, texp, tiles, reports, _files, _messages);
    }

    private void Validate()
    {
        if (inputs.Select(e => e.Units).Distinct().Count() > 1)
        {
            throw new CombineException("the inputs mix counts and count rates (BUNIT); convert them to one unit first");
        }

        if (options.FinalWhtType == WeightType.Err && _chips.FirstOrDefault(c => !c.HasErr) is { } noErr)
        {
            throw new CombineException($"final_wht_type ERR needs ERR arrays, but {noErr.Input.Name} has none");
        }

        if (options.FinalErr && _chips.FirstOrDefault(c => !c.HasErr) is { } noErrForProduct)
        {
            throw new CombineException($"an ERR extension needs ERR arrays, but {noErrForProduct.Input.Name} has none");
        }

        if (!(options.FinalPixfrac > 0) || !(options.DrizSepPixfrac > 0))
        {
            throw new CombineException("final_pixfrac and driz_sep_pixfrac must be > 0");
        }

        if (options.DrizCrGrow < 1 || options.TileRows is < 1 || options.NumCores is < 1 || options.MaxMemoryMB < 1)
        {
            throw new CombineException("driz_cr_grow, the tile rows and num_cores must be at least 1, and the memory budget at least 1 MiB");
        }
    }

    /// <summary>
    /// One pass over the chips: the sky statistics of each (clipped, on the driz_sep_bits-good pixels) and AstroDrizzle's
    /// static mask (a pixel more than static_sig σ below the sky in any exposure is masked in all, per chip position).
    /// </summary>
    private void MeasureSkyAndStaticMask()
    {
        var staticBad = new Dictionary<(int, int, int), bool[]>();
        int done = 0;
        foreach (ChipWork c in _chips)
        {
            Chip chip = c.Load();
            c.Sky = 0;
            if (options.SkySub || options.StaticMask)
            {
                bool[] good = chip.GoodPixels(options.DrizSepBits);
                (double sky, double sd) = SkyStatistics.Compute(chip.Sci, good, options.SkyStat, options.SkyClip, options.SkyLSigma, options.SkyUSigma);
                if (options.SkySub && double.IsFinite(sky))
                {
                    c.Sky = sky;
                }

                if (options.StaticMask && double.IsFinite(sky))
                {
                    (int, int, int) key = (c.ExtVer, c.Width, c.Height);
                    if (!staticBad.TryGetValue(key, out bool[]? bad))
                    {
                        bad = new bool[chip.Sci.Length];
                        staticBad[key] = bad;
                    }

                    double limit = sky - (options.StaticSig * sd);
                    float[] d = chip.Sci;
                    for (int i = 0; i < d.Length; i++)
                    {
                        bad[i] |= d[i] < limit;
                    }
                }
            }

            ReleaseChipArrays();
            Report("sky", ++done / (double)_chips.Count);
        }

        if (options.StaticMask)
        {
            foreach (KeyValuePair<(int, int, int), bool[]> kv in staticBad)
            {
                Log(string.Create(CultureInfo.InvariantCulture, $"static mask SCI,{kv.Key.Item1}: {kv.Value.Count(b => b)} pixels"));
            }

            foreach (ChipWork c in _chips)
            {
                c.StaticBad = staticBad.GetValueOrDefault((c.ExtVer, c.Width, c.Height));
            }
        }

        if (options.SkySub)
        {
            if (options.SkyMethod == SkyMethod.Localmin)
            {
                foreach (IGrouping<int, ChipWork> g in _chips.GroupBy(c => c.ExposureIndex))
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
                SkyMatchResult m = SkyMatch.Solve(_chips.Select(c => new SkyMatchChip(c.ExposureIndex, c.Width, c.Height, c.Wcs, c.Scale / c.Input.ExposureTime,
                    c.Sky * c.Scale / c.Input.ExposureTime, () => { Chip chip = c.Load(); return (chip.Sci, c.Good(chip, options.DrizSepBits)); })).ToList(),
                    new SkyMatchOptions { AddGlobalMin = options.SkyMethod == SkyMethod.GlobalminMatch, NumCores = options.NumCores });
                _chips.ForEach(c => c.Sky = m.Sky[c.ExposureIndex] * c.Input.ExposureTime / c.Scale);
                Log(string.Create(CultureInfo.InvariantCulture, $"sky match: {m.Pairs.Count} overlaps, {m.Groups} group(s), global minimum {m.GlobalMin:0.#####}/s"));
            }
            else
            {
                // As a rate (per second), so exposures of different lengths compare.
                double minRate = _chips.Min(c => c.Sky * c.Scale / c.Input.ExposureTime);
                foreach (ChipWork c in _chips)
                {
                    c.Sky = minRate * c.Input.ExposureTime / c.Scale;
                }
            }
        }

        foreach (ChipWork c in _chips)
        {
            Log(string.Create(CultureInfo.InvariantCulture, $"sky {c.Name}: {c.Sky:0.####} ({options.SkyMethod.ToString().ToLowerInvariant()}{(options.SkySub ? string.Empty : ", skysub off")})"));
        }
    }

    private void CheckOverlap(OutputGrid grid)
    {
        foreach (ChipWork c in _chips)
        {
            int inside = 0;
            foreach ((double x, double y) in OutputGrid.EdgePoints(c.Width, c.Height).Append(((c.Width - 1) / 2.0, (c.Height - 1) / 2.0)))
            {
                (double ra, double dec) = c.Wcs.PixelToWorld(x, y);
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
                    (double x, double y) = c.Wcs.WorldToPixel(ra, dec);
                    return x > -0.5 && x < c.Width - 0.5 && y > -0.5 && y < c.Height - 0.5;
                });
            }

            c.Overlaps = inside > 0;
            if (!c.Overlaps)
            {
                Warn($"{c.Name} does not overlap the output grid and is skipped");
            }
        }

        if (!_chips.Any(c => c.Overlaps))
        {
            throw new CombineException("no input overlaps the output grid; check final_ra/final_dec and final_outnx/final_outny");
        }
    }

    private void UpdateInputDq()
    {
        foreach (CombineInput input in inputs)
        {
            if (input.Path is null || input.Chips.All(c => c.CosmicRays is null))
            {
                continue;
            }

            var hdus = new List<FitsWriteHdu>();
            using (FitsFile file = FitsFile.Open(input.Path))
            {
                foreach (FitsHdu hdu in file.Hdus)
                {
                    ChipWork? c = string.Equals(hdu.ExtName?.Trim(), "DQ", StringComparison.OrdinalIgnoreCase)
                        ? input.Chips.FirstOrDefault(w => w.ExtVer == hdu.ExtVer && w.CosmicRays is not null) : null;
                    hdus.Add(c is null ? FitsWriteHdu.Copy(hdu) : AstroDrizzle.FlaggedDq(hdu, c.CosmicRays!));
                }
            }

            FitsWriter.Write(input.Path, hdus);
            Log($"updated the DQ arrays of {input.Path} (cosmic rays flagged {AstroDrizzle.CosmicRayDq})");
        }
    }

    /// <summary>For every chip, its pixmap plan onto <paramref name="grid"/> and where it lands there.</summary>
    private (Dictionary<ChipWork, PixmapPlan> Plans, Dictionary<ChipWork, ChipFootprint> Footprints) PlanPixmaps(List<ChipWork> chips, OutputGrid grid)
    {
        var plans = new Dictionary<ChipWork, PixmapPlan>();
        var footprints = new Dictionary<ChipWork, ChipFootprint>();
        foreach (ChipWork c in chips)
        {
            PixelTransform t = c.TransformTo(grid.Wcs);
            plans[c] = PixmapPlan.Create(t, c.Width, c.Height, _pixmapOptions);
            footprints[c] = ChipFootprint.Measure(t, c.Width, c.Height);
        }

        return (plans, footprints);
    }

    /// <summary>A full-size pixmap of a chip from its plan (in the run's reused buffer for that chip shape).</summary>
    private Pixmap FullPixmap(PixmapPlan plan)
    {
        Pixmap map = PixmapBuffer(plan.Width, plan.Height);
        plan.Fill(map, 0, plan.Height - 1);
        return map;
    }

    /// <summary>The run's pixmap buffer for a chip shape: one per shape, refilled for each chip (16 bytes per chip pixel).</summary>
    private Pixmap PixmapBuffer(int width, int height)
    {
        if (!_pixmaps.TryGetValue((width, height), out Pixmap? map))
        {
            map = new Pixmap(width, height, new double[(long)width * height], new double[(long)width * height]);
            _pixmaps[(width, height)] = map;
        }

        return map;
    }

    /// <summary>
    /// Returns the previous chip's arrays (data, masks, weights: tens of MB each at full size) to the runtime before the
    /// next chip allocates its own, so that the process holds about one chip's worth whatever the number of inputs.
    /// </summary>
    private static void ReleaseChipArrays() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);

    private static float[] Mask(bool[] good, float[]? values)
    {
        var w = new float[good.Length];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = good[i] ? (values is null ? 1f : values[i]) : 0f;
        }

        return w;
    }

    private void WriteImage(string path, float[] data, int width, int height, FitsWcs wcs)
    {
        var h = new FitsHeader();
        wcs.WriteTo(h);
        FitsWriter.Write(path, [FitsWriteHdu.Image(data, [width, height], h)]);
        _files.Add(Path.GetFullPath(path));
    }

    /// <summary>Where a step's time goes, by named phase in first-use order (logged at the end of the step).</summary>
    private sealed class StepTiming
    {
        private readonly List<(string Phase, double Seconds)> _phases = [];

        /// <summary>Runs <paramref name="work"/> and adds its wall time to <paramref name="phase"/>.</summary>
        public T Time<T>(string phase, Func<T> work)
        {
            long t0 = Stopwatch.GetTimestamp();
            T result = work();
            Add(phase, Stopwatch.GetElapsedTime(t0).TotalSeconds);
            return result;
        }

        /// <summary>Runs <paramref name="work"/> and adds its wall time to <paramref name="phase"/>.</summary>
        public void Time(string phase, Action work) => Time(phase, () =>
        {
            work();
            return 0;
        });

        public string Summary(string step) => step + ": " + string.Join(", ",
            _phases.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Phase} {p.Seconds:0.00} s")));

        private void Add(string phase, double seconds)
        {
            int i = _phases.FindIndex(p => p.Phase == phase);
            if (i < 0)
            {
                _phases.Add((phase, seconds));
            }
            else
            {
                _phases[i] = (phase, _phases[i].Seconds + seconds);
            }
        }
    }

    private void Report(string step, double fraction) => options.Progress?.Report((step, fraction));

    private void Log(string line) =>
        options.Log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,7:0.00}s {Environment.WorkingSet >> 20,5} MB] {line}"));

    private void Warn(string line)
    {
        _messages.Add(line);
        Log("warning: " + line);
    }
}
