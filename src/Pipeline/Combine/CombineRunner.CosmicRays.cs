using System.Globalization;
using TweakDrizzle.Fits;
using TweakDrizzle.Resample;

namespace TweakDrizzle.Pipeline.Combine;

/// <summary>The cosmic-ray steps: separate drizzles, the streamed median, blot and the CR test.</summary>
internal sealed partial class CombineRunner
{
    /// <summary>Margin (grid pixels) around a footprint for windows: kernel reach and curvature between samples.</summary>
    private const double WindowMargin = 8;

    private void RejectCosmicRays(List<ChipWork> chips, OutputGrid finalGrid, ScratchFolder scratch)
    {
        // Separate drizzles on AstroDrizzle's default grid: the native scale of the first chip, same centre and orientation.
        OutputGrid sepGrid = OutputGrid.Create(_chips.Select(c => c.Geometry).ToList(), options with
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
        (Dictionary<ChipWork, PixmapPlan> plans, Dictionary<ChipWork, ChipFootprint> footprints) = PlanPixmaps(chips, sepGrid);

        List<SeparateDrizzle> singles = DrizzleSeparately(chips, sepGrid, plans, footprints, scratch);
        (ScratchImage median, ScratchImage? coverage) = CombineMedian(singles, sepGrid, scratch);
        foreach (SeparateDrizzle single in singles)
        {
            single.Sci.Dispose();
            single.Wht.Dispose();
        }

        Log("median done; blot and cosmic-ray test per chip");
        int done = 0;
        foreach (ChipWork c in chips)
        {
            FindCosmicRays(c, sepGrid, plans[c], footprints[c], median, coverage);
            ReleaseChipArrays();
            Report("driz_cr", ++done / (double)chips.Count);
        }

        median.Dispose();
        coverage?.Dispose();
        Log(_crTiming.Summary("driz_cr"));
    }

    private List<SeparateDrizzle> DrizzleSeparately(List<ChipWork> chips, OutputGrid sepGrid, Dictionary<ChipWork, PixmapPlan> plans,
        Dictionary<ChipWork, ChipFootprint> footprints, ScratchFolder scratch)
    {
        var singles = new List<SeparateDrizzle>();
        var groups = chips.GroupBy(c => c.ExposureIndex).ToList();
        int done = 0;
        foreach (IGrouping<int, ChipWork> g in groups)
        {
            // Only the exposure's own footprint: a separate drizzle is exposure-sized whatever the mosaic.
            GridWindow window = GridWindow.Around(g.Min(c => footprints[c].Xmin), g.Max(c => footprints[c].Xmax),
                g.Min(c => footprints[c].Ymin), g.Max(c => footprints[c].Ymax), WindowMargin, sepGrid.Width, sepGrid.Height);
            CombineInput exp = g.First().Input;
            if (window.IsEmpty)
            {
                Warn($"{exp.Name} does not reach the separate-drizzle grid; it takes no part in the median");
                continue;
            }

            var sci = new float[window.PixelCount];
            var wht = new float[window.PixelCount];
            var driz = new Drizzle(new DrizzleOptions
            {
                Kernel = options.DrizSepKernel,
                OutputWidth = window.Width,
                OutputHeight = window.Height,
                OriginX = window.X0,
                OriginY = window.Y0,
                OutImg = sci,
                OutWht = wht,
                DisableCtx = true,
                MaxDegreeOfParallelism = options.NumCores,
            });
            foreach (ChipWork c in g)
            {
                Chip chip = _sepTiming.Time("reading chips", c.Load);
                (float[] data, float[] weights) = _sepTiming.Time("masks and sky", () => (c.SkySubtracted(chip), Mask(c.Good(chip, options.DrizSepBits), null)));
                Pixmap map = _sepTiming.Time("pixmaps", () => FullPixmap(plans[c]));
                double psr = sepGrid.ScaleArcsec / c.NativeScale;
                _sepTiming.Time("drizzling", () => driz.AddImage(new DrizzleInput
                {
                    Data = data,
                    Exptime = exp.ExposureTime,
                    Pixmap = map,
                    WeightMap = weights,
                    WhtScale = exp.ExposureTime,
                    InUnits = c.DrizzleUnits,
                    Iscale = psr * psr,
                    PixelScaleRatio = psr,
                    Pixfrac = options.DrizSepPixfrac,
                }));
                ReleaseChipArrays();
            }

            ChipWork first = g.First();
            _sepTiming.Time("writing", () =>
            {
                ScratchImage sciFile = scratch.Create($"single{exp.Index}_sci", window);
                ScratchImage whtFile = scratch.Create($"single{exp.Index}_wht", window);
                sciFile.WriteAll(sci);
                whtFile.WriteAll(wht);
                singles.Add(new SeparateDrizzle(sciFile, whtFile, MedianCombiner.MinimumWeight(wht, options.CombineMaskpt),
                    exp.ExposureTime, first.Sky * first.ToElectrons, first.ReadNoise));
                if (options.WriteIntermediates)
                {
                    // The exposure's window of the separate-drizzle grid (its WCS says where it lies).
                    WriteImage(Path.Combine(options.OutputFolder, $"{exp.Name}_single_sci.fits"), sci, window.Width, window.Height, sepGrid.WindowWcs(window.X0, window.Y0));
                    WriteImage(Path.Combine(options.OutputFolder, $"{exp.Name}_single_wht.fits"), wht, window.Width, window.Height, sepGrid.WindowWcs(window.X0, window.Y0));
                }
            });
            Report("driz_separate", ++done / (double)groups.Count);
        }

        Log(_sepTiming.Summary("separate drizzles"));
        return singles;
    }

    /// <summary>
    /// The median of the separate drizzles, in bands of rows read from their scratch files, to a scratch file; with the
    /// single-image cosmic-ray test also the number of singles combined at each pixel.
    /// </summary>
    private (ScratchImage Median, ScratchImage? Coverage) CombineMedian(List<SeparateDrizzle> singles, OutputGrid sepGrid, ScratchFolder scratch)
    {
        int width = sepGrid.Width, height = sepGrid.Height, m = singles.Count;
        if (options.CombineNLow < 0 || options.CombineNHigh < 0)
        {
            throw new CombineException("combine_nlow and combine_nhigh must be >= 0");
        }

        // A quarter of the budget: the singles' rows (sci, wht) plus the band's result and minmed's two planes.
        long perRow = (long)width * sizeof(float) * ((2 * m) + 3);
        int bandRows = (int)Math.Clamp((MemoryBudgetBytes / 4 / perRow) - 2, 16, height);
        Log(string.Create(CultureInfo.InvariantCulture,
            $"median: combine_type {options.CombineType.ToString().ToLowerInvariant()} of {m} separate drizzles, bands of {bandRows} rows"));
        ScratchImage median = scratch.Create("median", new GridWindow(0, 0, width, height));
        ScratchImage? coverage = options.DrizCrSingle is null ? null : scratch.Create("coverage", new GridWindow(0, 0, width, height));
        float[]? counts = coverage is null ? null : new float[(long)(bandRows + 2) * width];
        using FitsStreamWriter? medianFile = options.WriteIntermediates ? CreateIntermediate($"{options.Output}_med.fits", sepGrid) : null;
        var sci = new float[m][];
        var wht = new float[m][];
        for (int s = 0; s < m; s++)
        {
            sci[s] = new float[(long)(bandRows + 2) * width];
            wht[s] = new float[sci[s].LongLength];
        }

        var result = new float[(long)(bandRows + 2) * width];
        float[] minWeight = [.. singles.Select(s => s.MinimumWeight)];
        for (int y0 = 0; y0 < height; y0 += bandRows)
        {
            int y1 = Math.Min(height, y0 + bandRows);
            int r0 = Math.Max(0, y0 - 1), r1 = Math.Min(height, y1 + 1);
            var block = new List<SingleDrizzle>(m);
            for (int s = 0; s < m; s++)
            {
                singles[s].Sci.ReadRegion(r0, r1, 0, width, sci[s], 0f);
                singles[s].Wht.ReadRegion(r0, r1, 0, width, wht[s], 0f);
                block.Add(new SingleDrizzle(sci[s], wht[s], singles[s].ExposureTime, singles[s].SkyElectrons, singles[s].ReadNoise));
            }

            MedianCombiner.CombineBlock(block, minWeight, width, r1 - r0, y0 - r0, y1 - r0, options, result, counts);
            ReadOnlySpan<float> rows = result.AsSpan((y0 - r0) * width, (y1 - y0) * width);
            median.WriteRows(y0, rows);
            coverage?.WriteRows(y0, counts.AsSpan((y0 - r0) * width, (y1 - y0) * width));
            medianFile?.WritePixels(0, (long)y0 * width, rows);
            Report("median", y1 / (double)height);
        }

        if (medianFile is not null)
        {
            medianFile.Commit();
            _files.Add(medianFile.Path);
        }

        return (median, coverage);
    }

    private FitsStreamWriter CreateIntermediate(string name, OutputGrid grid)
    {
        var h = new FitsHeader();
        grid.Wcs.WriteTo(h);
        return FitsStreamWriter.Create(Path.Combine(options.OutputFolder, name), [FitsWriteHdu.Declared<float>([grid.Width, grid.Height], h)]);
    }

    /// <summary>Blots the median (its window around the chip) back to the chip and applies the cosmic-ray test.</summary>
    private void FindCosmicRays(ChipWork c, OutputGrid sepGrid, PixmapPlan plan, ChipFootprint footprint, ScratchImage median, ScratchImage? coverage)
    {
        GridWindow win = GridWindow.Around(footprint.Xmin, footprint.Xmax, footprint.Ymin, footprint.Ymax, WindowMargin, sepGrid.Width, sepGrid.Height);
        if (win.IsEmpty)
        {
            c.CosmicRays = [];
            return;
        }

        (float[] source, bool[] covered, Pixmap map) = _crTiming.Time("median window and pixmap", () => MedianWindowAndPixmap(median, win, plan));
        double[] mx = map.X, my = map.Y;
        double psr = sepGrid.ScaleArcsec / c.NativeScale;
        double toData = (c.Input.Units == DataUnits.CountRate ? 1.0 : c.Input.ExposureTime) / (psr * psr);
        float[] blot = _crTiming.Time("blot", () => Blot.Run(source, win.Width, win.Height, map, new BlotOptions
        {
            Interp = options.BlotInterp,
            Iscale = toData,
            MaxDegreeOfParallelism = options.NumCores,
        }));
        Chip chip = _crTiming.Time("reading chips", c.Load);
        (bool[] usable, float[] data) = _crTiming.Time("masks", () =>
        {
            bool[] good = c.Good(chip, options.DrizSepBits);
            for (int k = 0; k < good.Length; k++)
            {
                double x = Math.Round(mx[k]), y = Math.Round(my[k]);
                good[k] &= x >= 0 && y >= 0 && x < win.Width && y < win.Height && covered[((long)y * win.Width) + (long)x];
            }

            return (good, c.SkySubtracted(chip));
        });
        var noise = new ChipNoise(c.Sky, c.ToElectrons, c.ReadNoise);
        bool[] cr = _crTiming.Time("CR test", () => CosmicRayDetector.Detect(data, blot, usable, c.Width, c.Height, noise, options)); // crsky: with the tail search
        int single = 0, lowCoverage = 0;
        if (coverage is not null && options.DrizCrSingle is { } singleTest)
        {
            (bool[] tested, bool[] found) = _crTiming.Time("single-image test", () =>
            {
                bool[] low = LowCoverage(coverage, win, mx, my, usable, singleTest.MaxCoverage);
                return (low, SingleImageCosmicRays.Detect(data, usable, low, c.Width, c.Height, noise, singleTest, options.NumCores));
            });
            for (int k = 0; k < cr.Length; k++)
            {
                lowCoverage += tested[k] ? 1 : 0;
                single += found[k] && !cr[k] ? 1 : 0;
                cr[k] |= found[k];
            }
        }

        var indices = new List<int>();
        for (int k = 0; k < cr.Length; k++)
        {
            if (cr[k])
            {
                indices.Add(k);
            }
        }

        c.CosmicRays = [.. indices];
        Log(string.Create(CultureInfo.InvariantCulture, $"driz_cr {c.Name}: {indices.Count} pixels ({100.0 * indices.Count / cr.Length:0.###}%)")
            + (coverage is null ? "" : string.Create(CultureInfo.InvariantCulture, $", {single} of them by the single-image test of {lowCoverage} low-coverage pixels")));
        if (options.WriteIntermediates)
        {
            string root = $"{c.Input.Name}_sci{c.ExtVer}";
            WriteChipImage(Path.Combine(options.OutputFolder, root + "_blt.fits"), blot, c);
            WriteChipImage(Path.Combine(options.OutputFolder, root + "_crmask.fits"), cr.Select(b => b ? (byte)0 : (byte)1).ToArray(), c);
        }
    }

    /// <summary>The usable chip pixels whose median pixel (the nearest) combined at most <paramref name="maxCoverage"/> singles.</summary>
    private static bool[] LowCoverage(ScratchImage coverage, GridWindow win, double[] mx, double[] my, bool[] usable, int maxCoverage)
    {
        var counts = new float[win.PixelCount];
        coverage.ReadRegion(win.Y0, win.Y0 + win.Height, win.X0, win.Width, counts, 0f);
        var tested = new bool[usable.Length];
        for (int k = 0; k < tested.Length; k++)
        {
            if (usable[k])
            {
                // Usable pixels map inside the window (the blot's coverage test above).
                long q = ((long)Math.Round(my[k]) * win.Width) + (long)Math.Round(mx[k]);
                tested[k] = counts[q] <= maxCoverage;
            }
        }

        return tested;
    }

    /// <summary>
    /// The median's window around a chip (uncovered pixels 0, and where they are) and the chip's pixmap into that
    /// window's frame, unmapped pixels placed far outside (blot refuses NaN).
    /// </summary>
    private (float[] Source, bool[] Covered, Pixmap Map) MedianWindowAndPixmap(ScratchImage median, GridWindow win, PixmapPlan plan)
    {
        var source = new float[win.PixelCount];
        median.ReadRegion(win.Y0, win.Y0 + win.Height, win.X0, win.Width, source, float.NaN);
        var covered = new bool[source.Length];
        for (long k = 0; k < source.LongLength; k++)
        {
            covered[k] = float.IsFinite(source[k]);
            source[k] = covered[k] ? source[k] : 0f;
        }

        Pixmap map = FullPixmap(plan);
        double[] mx = map.X, my = map.Y;
        for (long k = 0; k < mx.LongLength; k++)
        {
            mx[k] = double.IsNaN(mx[k]) ? -1e9 : mx[k] - win.X0;
            my[k] = double.IsNaN(my[k]) ? -1e9 : my[k] - win.Y0;
        }

        return (source, covered, map);
    }

    private void WriteChipImage<T>(string path, T[] data, ChipWork c)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        var h = new FitsHeader();
        c.Wcs.WriteTo(h);
        FitsWriter.Write(path, [FitsWriteHdu.Image(data, [c.Width, c.Height], h)]);
        _files.Add(Path.GetFullPath(path));
    }

    /// <summary>A separate drizzle on disk: its window's science and weight images and what the median needs of it.</summary>
    private sealed record SeparateDrizzle(ScratchImage Sci, ScratchImage Wht, float MinimumWeight, double ExposureTime, double SkyElectrons, double ReadNoise);
}
