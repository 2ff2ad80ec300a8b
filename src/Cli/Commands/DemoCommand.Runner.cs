using System.Globalization;
using TweakDrizzle.Diagnostics.Alignment;
using TweakDrizzle.Diagnostics.Drizzle;
using TweakDrizzle.Diagnostics.Plotting;
using TweakDrizzle.Diagnostics.Rendering;
using TweakDrizzle.Diagnostics.Reports;
using TweakDrizzle.Fits;
using TweakDrizzle.Matching;
using TweakDrizzle.Pipeline;
using TweakDrizzle.Pipeline.Alignment;
using TweakDrizzle.Pipeline.Combine;
using TweakDrizzle.Simulation;
using TweakDrizzle.WcsFit;
using PipelineSkySource = TweakDrizzle.Pipeline.Alignment.SkySource;

namespace TweakDrizzle.Cli.Commands;

/// <summary>Truth figures of one drizzled filter of the demo.</summary>
internal sealed record DemoFilterFigures(
    string Filter,
    string Product,
    int Width,
    int Height,
    double ScaleArcsec,
    double OrientationDeg,
    int StarsMeasured,
    double PositionRmsMas,
    double PositionMedianMas,
    double PositionMeanDxMas,
    double PositionMeanDyMas,
    double RotationVsTruthDeg,
    double ScaleVsTruth,
    int StarsPhotometry,
    double PhotometryMedianRatio,
    double PhotometryScatter,
    long CosmicRayPixelsInjected,
    long CosmicRayPixelsLeft,
    long CosmicRayPixelsFlagged,
    long CosmicRayPixelsAboveNoise,
    long CosmicRayPixelsAboveNoiseLeft,
    long CosmicRayPixelsDetectable,
    long CosmicRayPixelsDetectableLeft,
    double CosmicRayChargeLeftFraction,
    long NonCosmicRayPixelsFlagged,
    int BrightStars,
    double BrightStarsMaxError,
    double BrightStarsRmsError,
    int SaturatedStars,
    double SaturatedStarsMaxError,
    double SamplingRmsError,
    double SamplingMaxError,
    long HolePixels,
    double HoleFraction,
    double WeightRmsOverMedian);

/// <summary>Everything the demo measured.</summary>
internal sealed record DemoSummary(
    string Folder,
    int Exposures,
    double AlignmentMedianRmsMas,
    int AlignedExposures,
    IReadOnlyList<DemoFilterFigures> Filters,
    double Seconds);

/// <summary>The demo job: simulate, align, drizzle per filter onto one grid, measure against the truth, report.</summary>
internal static class DemoRunner
{
    public const double Scale = 0.03;
    public const double Pixfrac = 0.6;

    /// <summary>
    /// final_bits of the demo: 256 (full-well saturation) is treated as good, as ACS users do (final_bits 336 on
    /// calibrated FLCs also accepts the dark-corrected hot and warm pixels, 16 and 64; the simulation's hot pixels are
    /// not dark-corrected, so they stay rejected). Saturated star cores are then drizzled with their clipped values
    /// and bleed charge instead of leaving holes.
    /// </summary>
    public const uint FinalBits = 256;

    /// <summary>Holes left where rejections coincide are filled from drops of this pixfrac (HoleFill).</summary>
    public const double HolePixfrac = 3.0;

    /// <summary>
    /// combine_type of the demo: median, not AstroDrizzle's default minmed, because each filter has six exposures
    /// (minmed is meant for few inputs; with six, it replaces bright-star cores by the lowest exposure and the blot
    /// falls far below them). With the median the star-core cosmic-ray test (<see cref="CosmicRayTail.Cores"/>) can be
    /// used; measured on the demo it leaves fewer cosmic-ray pixels and gives better bright-star photometry than
    /// minmed (docs/pipeline.md).
    /// </summary>
    public const CombineType Combine = CombineType.Median;

    public static DemoSummary Run(string folder, SimulationOptions simOptions, Action<string> log, int? cores = null, int crGrow = 1, int minObj = 15, bool crTail = true)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Directory.CreateDirectory(folder);
        string dataFolder = Path.Combine(folder, "data");
        log($"simulating {simOptions.Detector.ChipWidth}x{simOptions.Detector.ChipHeight} chips into {dataFolder}");
        var sim = new Simulator(simOptions with { MaxDegreeOfParallelism = cores ?? -1 });
        SimulatedDataSet data = DataSetWriter.Write(sim, dataFolder);
        log(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds:0.0}s] wrote {data.Files.Count} exposures"));

        // Absolute reference: a Gaia-like catalog of bright truth stars (what an observer would take from Gaia). TweakReg
        // aligns the first exposure to it, then grows it with that exposure's other sources (expand_refcat) and aligns
        // every later exposure to the grown catalog, in input order.
        var refcat = sim.Sky.Sources.Where(s => s.Kind == SourceKind.Star && s.RateIn(sim.Visits[0].Filter) > 20)
            .Select(s => new PipelineSkySource(s.Ra, s.Dec, s.RateIn(sim.Visits[0].Filter))).ToList();
        TweakRegResult aligned = TweakRegRun.Run(data.Files, new TweakRegOptions
        {
            RefCatalog = refcat,
            ExpandRefCat = true,
            MinObj = minObj,
            ConvWidth = 2 * sim.Visits[0].Filter.Psf.Fwhm,
            UpdateHeader = true,
            WcsName = "TWEAK",
            NumCores = cores,
            Log = s => log("  tweakreg " + s),
        });
        string shiftFile = Path.Combine(folder, "shifts.txt");
        TweakRegOutputs.WriteShiftFile(shiftFile, aligned);
        TweakRegOutputs.WriteJson(Path.Combine(folder, "tweakreg.json"), aligned);
        bool cairo = CairoLibrary.IsAvailable;
        string plotDir = Path.Combine(folder, "plots");
        IReadOnlyList<string> alignmentPlots = cairo ? TweakRegOutputs.WritePlots(plotDir, aligned) : [];
        foreach (string line in TweakRegOutputs.FormatTable(aligned).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            log("  " + line);
        }

        int alignedCount = aligned.Images.Count(i => i.Status != TweakRegStatus.Failed);
        string headers = aligned.HeadersUpdated ? "headers updated (old WCS kept under an alternate key)" : "headers NOT updated";
        string written = cairo ? $"{Path.GetFileName(shiftFile)} and {alignmentPlots.Count} plots in plots/" : Path.GetFileName(shiftFile);
        log(string.Create(CultureInfo.InvariantCulture,
            $"[{clock.Elapsed.TotalSeconds:0.0}s] tweakreg aligned {alignedCount}/{aligned.Images.Count} exposures to {aligned.ReferenceName}; {headers}; wrote {written}"));

        // The combine step reads the files TweakReg updated (the corrected WCS is now the primary WCS of every SCI
        // header), one chip at a time, so the full-size demo stays in bounded memory too.
        var chipsOnSky = new List<ChipGeometry>();
        foreach (string f in data.Files)
        {
            chipsOnSky.AddRange(Exposure.Load(f, new ExposureLoadOptions { ReadPixels = false }).Chips.Select(c => new ChipGeometry(c.Wcs, c.Width, c.Height)));
        }

        // One north-up 0.03"/pixel grid covering both filters.
        var gridOptions = new AstroDrizzleOptions { FinalWcs = true, FinalScale = Scale, FinalRot = 0 };
        OutputGrid shared = OutputGrid.Create(chipsOnSky, gridOptions);
        var filters = new List<DemoFilterFigures>();
        var plots = new List<QaPlot>();
        var products = new List<QaProductRow>();
        foreach (VisitPlan visit in sim.Visits)
        {
            var idx = Enumerable.Range(0, data.Files.Count).Where(i => sim.Exposures[i].Visit == visit).ToList();
            var set = idx.Select(i => data.Files[i]).ToList();
            string name = visit.Filter.Name.ToLowerInvariant();
            (DemoFilterFigures fig, QaProductRow product, IReadOnlyList<QaPlot> filterPlots) = DrizzleFilter(
                folder, name, set, shared, sim, visit, idx, dataFolder, cores, crGrow, crTail, cairo, log, clock);
            filters.Add(fig);
            products.Add(product);
            plots.AddRange(filterPlots);
        }

        var images2 = new List<QaImageRow>();
        double frameScale = aligned.PixelScaleArcsec;
        foreach (TweakRegImage a in aligned.Images)
        {
            FitResult? f = a.Status == TweakRegStatus.Aligned ? a.Fit : null;
            images2.Add(new QaImageRow
            {
                Name = a.FileName,
                FitGeometry = f is null ? null : f.FitGeometry.ToName(),
                Matches = f?.NMatch ?? 0,
                XRms = f?.XRms ?? double.NaN,
                YRms = f?.YRms ?? double.NaN,
                XShift = f?.XSh ?? double.NaN,
                YShift = f?.YSh ?? double.NaN,
                Rotation = f?.Rot ?? double.NaN,
                Scale = f?.Scale ?? double.NaN,
                Status = a.Status switch
                {
                    TweakRegStatus.Aligned => "aligned to " + aligned.ReferenceName,
                    TweakRegStatus.Reference => "reference",
                    _ => "failed: " + a.Message,
                },
            });
        }

        foreach (string png in alignmentPlots.Where(p => Path.GetFileName(p).StartsWith("residuals_", StringComparison.Ordinal)).Take(2))
        {
            plots.Add(new QaPlot($"{Path.GetFileNameWithoutExtension(png)["residuals_".Length..]}: alignment residuals", File.ReadAllBytes(png), "Alignment"));
        }

        var fitted = aligned.Images.Where(a => a.Status == TweakRegStatus.Aligned).ToList();
        double medianRms = Median(fitted.Select(a => a.Fit!.FitRms * frameScale * 1000.0).ToList());
        var summary = new DemoSummary(Path.GetFullPath(folder), data.Files.Count, medianRms, alignedCount, filters, clock.Elapsed.TotalSeconds);
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Simulated {data.Files.Count} exposures, aligned by tweakreg (rscale, headers updated, shiftfile shifts.txt) with median fit RMS {medianRms:0.00} mas; the first exposure was tied to a Gaia-like catalog of truth stars, grown with each aligned exposure's sources (expand_refcat)."),
        };
        notes.AddRange(filters.Select(FormatFilter));
        if (!cairo)
        {
            notes.Add("Plots skipped: the cairo library (libcairo2) is not installed.");
        }

        QaReportWriter.Write(new QaReport { Title = "TweakDrizzle demo", Notes = notes, Images = images2, Products = products, Plots = plots }, folder, "qa_report");
        return summary;
    }

    /// <summary>
    /// Drizzles one filter and measures its product. The product's SCI, WHT and context arrays (read back from the file
    /// for the measurements and plots: 12 bytes per output pixel, 1.2 GB at full size) are only reachable from this
    /// method, so they are released before the next filter is drizzled.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (DemoFilterFigures Figures, QaProductRow Product, IReadOnlyList<QaPlot> Plots) DrizzleFilter(
        string folder, string name, List<string> set, OutputGrid shared, Simulator sim, VisitPlan visit, List<int> idx, string dataFolder,
        int? cores, int crGrow, bool crTail, bool cairo, Action<string> log, System.Diagnostics.Stopwatch clock)
    {
        (double cra, double cdec) = shared.Center;
        AstroDrizzleResult r = AstroDrizzle.Run(set, new AstroDrizzleOptions
        {
            Output = name,
            OutputFolder = folder,
            FinalWcs = true,
            FinalScale = Scale,
            FinalRot = 0,
            FinalPixfrac = Pixfrac,
            FinalRa = cra,
            FinalDec = cdec,
            FinalOutNx = shared.Width,
            FinalOutNy = shared.Height,
            DrizCr = true,
            DrizCrGrow = crGrow,
            DrizCrTail = crTail ? new CosmicRayTail { Cores = true } : null,
            CombineType = Combine,
            FinalBits = DqBits.Ignoring(FinalBits),
            FinalHolePixfrac = HolePixfrac,
            NumCores = cores,
            Log = s => log($"  {name} {s}"),
        });
        log(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds:0.0}s] wrote {r.ProductPath}"));
        ReleaseGarbage();
        WeightStatistics ws = DrizzleQuality.Measure(r.Wht, r.Grid.Width, r.Grid.Height);
        DemoFilterFigures fig = Measure(r, ws, sim, visit, idx, dataFolder, DqBits.Ignoring(FinalBits));
        ReleaseGarbage();

        // What drizzle itself does to point sources at this scale and pixfrac with these dithers: the advisor's trial
        // drizzles of noise-free test stars (pixel phases spread evenly), pixfrac 1 to 0.3 at the demo's scale.
        var headerOnly = new ExposureLoadOptions { ReadPixels = false };
        DrizzleAdvice advice = DrizzleAdvisor.Advise(set.Select(f => Exposure.Load(f, headerOnly)).ToList(), new DrizzleAdvisorOptions
        {
            Bits = DqBits.Ignoring(FinalBits),
            Scales = [Scale],
            PsfFwhm = visit.Filter.Psf.Fwhm,
            NumCores = cores,
        });
        AdviceTrial sampling = advice.Trials.Single(t => t.Pixfrac == Pixfrac);
        fig = fig with { SamplingRmsError = sampling.PointSourceRms, SamplingMaxError = sampling.PointSourceMax };
        log(string.Create(CultureInfo.InvariantCulture,
            $"  {name} advise at {Scale}\": {advice.Reason}; at pixfrac {Pixfrac} noise-free point sources are off by up to {100 * sampling.PointSourceMax:0.00}% (rms {100 * sampling.PointSourceRms:0.00}%)"));
        var plots = new List<QaPlot>();
        QaProductRow product = QaProductRow.FromStatistics(Path.GetFileName(r.ProductPath), ws) with { Inputs = set.Count, Pixfrac = Pixfrac, Kernel = "square" };
        if (cairo)
        {
            var images = new DrizzleProductImages { Name = Path.GetFileName(r.ProductPath), Width = r.Grid.Width, Height = r.Grid.Height, Sci = r.Sci, Wht = r.Wht, Context = r.Context[0], ContextPlanes = 1 };
            Figure preview = DrizzlePlots.ProductPreview(images);
            preview.Save(Path.Combine(folder, $"{name}_preview.png"));
            plots.Add(new QaPlot($"{name}: SCI, WHT and input count", preview.Render(PlotFormat.Png), "Drizzle"));
            ReleaseGarbage();
            Figure holes = DrizzlePlots.HolesMap(r.Wht, r.Grid.Width, r.Grid.Height, Path.GetFileName(r.ProductPath), ws);
            holes.Save(Path.Combine(folder, $"{name}_holes.png"));
            plots.Add(new QaPlot($"{name}: holes", holes.Render(PlotFormat.Png), "Drizzle"));
            var trials = advice.Trials.Select(t => t.ToPixfracTrial()).ToList();
            Figure pixfrac = DrizzlePlots.WeightVsPixfrac(trials, string.Create(CultureInfo.InvariantCulture, $"{name}, scale {Scale}\""));
            pixfrac.Save(Path.Combine(folder, $"{name}_pixfrac.png"));
            plots.Add(new QaPlot($"{name}: pixfrac advice (weights and noise-free point sources)", pixfrac.Render(PlotFormat.Png), "Drizzle"));
        }

        return (fig, product, plots);
    }

    /// <summary>
    /// A full, compacting collection that returns the freed memory to the system, between the measuring steps of a
    /// filter. Each step (weight statistics, photometry, previews) allocates and drops product-sized temporaries
    /// (hundreds of MB); left to itself the collector lets them pile up, and a plain forced collection keeps the freed
    /// memory committed for reuse. Measured on the steps' reproduction for one full-size product (1.1 GB of arrays):
    /// peak 3.81 GB without collections, 2.75 GB with forced ones, 2.56 GB with these (same time).
    /// </summary>
    private static void ReleaseGarbage() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>
    /// The demo's figures as a table a person reads at a glance: one row per quality bar of the Combine issue, one column
    /// per filter, and the goal with a mark (✓ met by every filter, ✗ not, – a figure without a goal). The full figures
    /// of each filter are in the QA report (<see cref="FormatFilter"/>).
    /// </summary>
    public static IReadOnlyList<string> FormatTable(DemoSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        IReadOnlyList<DemoFilterFigures> fs = summary.Filters;
        var rows = new List<(string Name, Func<DemoFilterFigures, string> Value, string Goal, Func<DemoFilterFigures, bool>? Met)>
        {
            ("star positions vs truth, rms", f => Inv($"{f.PositionRmsMas:0.00} mas"), "≤ 5 mas", f => f.PositionRmsMas <= 5),
            ("orientation vs north (star fit)", f => Inv($"{f.RotationVsTruthDeg:0.00000}°"), "≤ 0.01°", f => Math.Abs(f.RotationVsTruthDeg) <= 0.01),
            ("output scale (grid)", f => Inv($"{f.ScaleArcsec:0.######}\""), Inv($"{Scale}\" exactly"), f => Math.Abs(f.ScaleArcsec - Scale) <= 1e-12 * Scale),
            ("  scale measured on the stars / true", f => Inv($"{f.ScaleVsTruth:0.000000}"), "1 ± 0.0001", f => Math.Abs(f.ScaleVsTruth - 1) <= 1e-4),
            ("photometry, median measured/true", f => Inv($"{f.PhotometryMedianRatio:0.0000}"), "within 1 %", f => Math.Abs(f.PhotometryMedianRatio - 1) <= 0.01),
            ("bright stars (unsaturated), rms", f => Inv($"{100 * f.BrightStarsRmsError:0.00} %"), "≤ 1 %", f => f.BrightStarsRmsError <= 0.01),
            ("bright stars (unsaturated), largest", f => Inv($"{100 * f.BrightStarsMaxError:0.00} %"), "≤ 1 %", f => f.BrightStarsMaxError <= 0.01),
            ("  drizzle's own largest error here", f => Inv($"{100 * f.SamplingMaxError:0.00} %"), "(noise-free)", null),
            ("cosmic-ray pixels left, charge > 3σ", f => Inv($"{Percent(f.CosmicRayPixelsDetectableLeft, f.CosmicRayPixelsDetectable)} %"), "< 0.1 %",
                f => f.CosmicRayPixelsDetectable == 0 || f.CosmicRayPixelsDetectableLeft < 0.001 * f.CosmicRayPixelsDetectable),
            ("cosmic-ray pixels left, all ≥ 1 e⁻", f => Inv($"{Percent(f.CosmicRayPixelsLeft, f.CosmicRayPixelsInjected)} %"), "< 0.1 %",
                f => f.CosmicRayPixelsInjected == 0 || f.CosmicRayPixelsLeft < 0.001 * f.CosmicRayPixelsInjected),
            ("holes in the footprint", f => Inv($"{f.HolePixels} px"), "none", f => f.HolePixels == 0),
            ("weight rms/median", f => Inv($"{f.WeightRmsOverMedian:0.000}"), "(0.2 guideline)", null),
        };
        const int NameWidth = 38, ColumnWidth = 12;
        var lines = new List<string>
        {
            string.Concat("  ", new string(' ', NameWidth), string.Concat(fs.Select(f => f.Filter.PadLeft(ColumnWidth))), "     goal"),
        };
        foreach ((string name, Func<DemoFilterFigures, string> value, string goal, Func<DemoFilterFigures, bool>? met) in rows)
        {
            // A figure that could not be measured (no star of that kind, say) shows "n/a" and leaves the bar unmarked.
            string[] values = [.. fs.Select(f => value(f) is var v && v.Contains("NaN", StringComparison.Ordinal) ? "n/a" : v)];
            string mark = met is null || fs.Count == 0 || values.Contains("n/a") ? "–" : fs.All(met) ? "✓" : "✗";
            lines.Add(string.Concat("  ", name.PadRight(NameWidth), string.Concat(values.Select(v => v.PadLeft(ColumnWidth))), "   ", mark, " ", goal));
        }

        return lines;

        static string Inv(FormattableString s) => FormattableString.Invariant(s);
        static string Percent(long part, long whole) => (100.0 * part / Math.Max(1, whole)).ToString("0.000", CultureInfo.InvariantCulture);
    }

    public static string FormatFilter(DemoFilterFigures f) => string.Create(CultureInfo.InvariantCulture,
        $"{f.Filter}: {f.Width}x{f.Height} at {f.ScaleArcsec:0.######}\"/px, orientation {f.OrientationDeg:0.######} deg; " +
        $"positions vs truth ({f.StarsMeasured} stars): rms {f.PositionRmsMas:0.00} mas, median {f.PositionMedianMas:0.00} mas, mean offset ({f.PositionMeanDxMas:0.00}, {f.PositionMeanDyMas:0.00}) mas, " +
        $"rotation vs truth {f.RotationVsTruthDeg:0.#####} deg, scale vs truth {f.ScaleVsTruth:0.0000000}; " +
        $"photometry ({f.StarsPhotometry} stars): median measured/true {f.PhotometryMedianRatio:0.0000}, scatter {100 * f.PhotometryScatter:0.00}%; " +
        $"bright stars (aperture noise < 0.3%, not saturated, {f.BrightStars}): max |error| {100 * f.BrightStarsMaxError:0.00}%, rms {100 * f.BrightStarsRmsError:0.00}% " +
        $"(drizzle's own error at this scale and pixfrac, noise-free test stars: max {100 * f.SamplingMaxError:0.00}%, rms {100 * f.SamplingRmsError:0.00}%); " +
        $"saturated bright stars ({f.SaturatedStars}): max |error| {100 * f.SaturatedStarsMaxError:0.00}%; " +
        $"cosmic rays: {f.CosmicRayPixelsLeft} of {f.CosmicRayPixelsInjected} injected pixels left ({100.0 * f.CosmicRayPixelsLeft / Math.Max(1, f.CosmicRayPixelsInjected):0.000}%), " +
        $"above 1 sigma of the local noise {f.CosmicRayPixelsAboveNoiseLeft} of {f.CosmicRayPixelsAboveNoise} ({100.0 * f.CosmicRayPixelsAboveNoiseLeft / Math.Max(1, f.CosmicRayPixelsAboveNoise):0.000}%), " +
        $"above 3 sigma {f.CosmicRayPixelsDetectableLeft} of {f.CosmicRayPixelsDetectable} ({100.0 * f.CosmicRayPixelsDetectableLeft / Math.Max(1, f.CosmicRayPixelsDetectable):0.000}%), " +
        $"charge left {100 * f.CosmicRayChargeLeftFraction:0.000}%, {f.CosmicRayPixelsFlagged} flagged ({f.NonCosmicRayPixelsFlagged} without cosmic-ray charge); " +
        $"holes {f.HolePixels} px ({100 * f.HoleFraction:0.0000}%), weight rms/median {f.WeightRmsOverMedian:0.000}");

    private static DemoFilterFigures Measure(AstroDrizzleResult r, WeightStatistics ws, Simulator sim, VisitPlan visit, List<int> idx, string dataFolder, DqBits finalBits)
    {
        OutputGrid g = r.Grid;
        int w = g.Width, h = g.Height;
        double outScale = g.ScaleArcsec;
        double inScale = sim.Options.Detector.PixelScaleArcsec;
        FilterSpec filter = visit.Filter;
        double fwhmOut = filter.Psf.Fwhm * inScale / outScale;
        double sigma = fwhmOut / 2.3548;
        var stars = sim.Sky.Sources.Where(s => s.Kind == SourceKind.Star).ToList();
        var bright = stars.Select(s => (s, rate: s.RateIn(filter))).ToList();
        double texp = r.TotalExposureTime;

        // Isolated stars: no other source with a tenth of the flux within 1".
        var pos = new List<(double X, double Y, double Rate, int Index)>();
        for (int i = 0; i < bright.Count; i++)
        {
            (double x, double y) = g.Wcs.WorldToPixel(bright[i].s.Ra, bright[i].s.Dec);
            pos.Add((x, y, bright[i].rate, i));
        }

        var grid = CellIndex(sim.Sky.Sources.Select(p =>
        {
            (double x, double y) = g.Wcs.WorldToPixel(p.Ra, p.Dec);
            return (x, y, p.RateIn(filter));
        }));

        // Stars only, for the light of the neighbours in each aperture (galaxies are not modelled; the isolation
        // criterion below keeps them faint).
        var starGrid = CellIndex(pos.Select(p => (p.X, p.Y, p.Rate)));

        double isoRadius = 1.0 / outScale;
        var dx = new List<double>();
        var dy = new List<double>();
        var mx = new List<double>();
        var my = new List<double>();
        var tx = new List<double>();
        var ty = new List<double>();
        var ratios = new List<double>();
        var brightErrors = new List<double>();
        var saturatedErrors = new List<double>();
        double longest = idx.Max(e => sim.Exposures[e].ExposureTime);
        double peakFraction = filter.Psf.EncircledEnergy(1 / Math.Sqrt(Math.PI)); // the light on a centred pixel's area
        bool SaturatedPeak(double rate) => sim.Options.Saturation && rate * longest * peakFraction > sim.Options.Detector.FullWell;
        double apR = 0.5 / outScale, skyIn = 0.8 / outScale, skyOut = 1.2 / outScale;
        double ee = filter.Psf.EncircledEnergy(0.5 / inScale);
        foreach (var p in pos)
        {
            if (p.X < skyOut + 2 || p.Y < skyOut + 2 || p.X > w - skyOut - 3 || p.Y > h - skyOut - 3)
            {
                continue;
            }

            double counts = p.Rate * texp;
            if (counts < 20000)
            {
                continue;
            }

            bool isolated = true;
            var key = ((int)Math.Floor(p.X / CellSize), (int)Math.Floor(p.Y / CellSize));
            for (int a = -1; a <= 1 && isolated; a++)
            {
                for (int b = -1; b <= 1 && isolated; b++)
                {
                    if (!grid.TryGetValue((key.Item1 + a, key.Item2 + b), out var list))
                    {
                        continue;
                    }

                    foreach (var q in list)
                    {
                        double d2 = ((q.X - p.X) * (q.X - p.X)) + ((q.Y - p.Y) * (q.Y - p.Y));
                        if (d2 > 1e-6 && d2 < isoRadius * isoRadius && q.Rate > 0.02 * p.Rate)
                        {
                            isolated = false;
                            break;
                        }
                    }
                }
            }

            if (!isolated || !Centroid(r.Sci, r.Wht, w, h, p.X, p.Y, sigma, skyIn, skyOut, out double cx, out double cy, out double sky))
            {
                continue;
            }

            dx.Add((cx - p.X) * outScale * 1000);
            dy.Add((cy - p.Y) * outScale * 1000);
            mx.Add(cx);
            my.Add(cy);
            tx.Add(p.X);
            ty.Add(p.Y);

            // Aperture photometry only where the product covers the whole aperture: at the mosaic's edge part of the
            // aperture lies where no exposure reached (zero weight), and the sum would miss that light.
            double flux = 0;
            bool covered = true;
            for (int y = (int)Math.Floor(p.Y - apR); y <= (int)Math.Ceiling(p.Y + apR); y++)
            {
                for (int x = (int)Math.Floor(p.X - apR); x <= (int)Math.Ceiling(p.X + apR); x++)
                {
                    if (((x - cx) * (x - cx)) + ((y - cy) * (y - cy)) <= apR * apR)
                    {
                        long k = ((long)y * w) + x;
                        covered &= r.Wht[k] > 0;
                        flux += r.Sci[k] - sky;
                    }
                }
            }

            if (!covered)
            {
                continue;
            }

            double expected = ExpectedApertureFlux(p.X, p.Y, p.Rate * ee, cx, cy, starGrid, filter.Psf, outScale / inScale, apR, skyIn, skyOut);
            ratios.Add(flux / expected);

            // Photon + sky + read noise of the aperture sum, relative (electrons over all exposures).
            double starE = p.Rate * ee * texp;
            double apNative = Math.PI * (0.5 / inScale) * (0.5 / inScale);
            double noiseE = Math.Sqrt(starE + (apNative * ((filter.SkyRate * texp) + (idx.Count * sim.Options.Detector.ReadNoise * sim.Options.Detector.ReadNoise))));
            if (noiseE / starE < 0.003)
            {
                // Stars whose peak pixel passes the full well in an exposure bleed along the columns; they are reported
                // apart, as photometrists treat them (their conserved charge can run beyond the aperture).
                (SaturatedPeak(p.Rate) ? saturatedErrors : brightErrors).Add((flux / expected) - 1);
            }
        }

        var dist = dx.Select((v, i) => Math.Sqrt((v * v) + (dy[i] * dy[i]))).ToList();
        double rot = double.NaN, scl = double.NaN;
        if (mx.Count >= 3)
        {
            FitResult fit = LinearFitter.Fit(mx.ToArray(), my.ToArray(), tx.ToArray(), ty.ToArray(), [], new FitOptions { FitGeometry = FitGeometry.RScale });
            if (fit.Status == FitStatus.Success)
            {
                rot = fit.Rot > 180 ? fit.Rot - 360 : fit.Rot;
                scl = 1.0 / fit.Scale;
            }
        }

        double medRatio = Median(ratios);
        double scatter = 1.4826 * Median(ratios.Select(v => Math.Abs(v - medRatio)).ToList()) / medRatio;

        // Cosmic rays: injected pixels that are neither flagged by driz_cr nor rejected by DQ.
        long injected = 0, left = 0, flagged = 0, above = 0, aboveLeft = 0, detectable = 0, detectableLeft = 0, falseFlags = 0;
        double charge = 0, chargeLeft = 0;
        double rn2 = sim.Options.Detector.ReadNoise * sim.Options.Detector.ReadNoise;
        foreach (int e in idx)
        {
            string root = sim.Exposures[e].Rootname;
            using FitsFile crFile = FitsFile.Open(Path.Combine(dataFolder, SimulationTruth.FolderName, root + "_crmask.fits"));
            foreach (ChipReport c in r.Chips.Where(c => c.Exposure == root))
            {
                byte[] truth = crFile.Find("CRMASK", c.ExtVer)!.ReadImage<byte>().Data;
                float[] q = crFile.Find("CRCHARGE", c.ExtVer)!.ReadImage<float>().Data;
                bool[]? mask = c.CosmicRayMask();
                using FitsFile f = FitsFile.Open(Path.Combine(dataFolder, root + DataSetWriter.FileSuffix));
                short[] dq = f.Find("DQ", c.ExtVer)!.ReadImage<short>().Data;
                float[] sci = f.Find("SCI", c.ExtVer)!.ReadImage<float>().Data;
                double toE = sim.Options.Units == TweakDrizzle.Simulation.OutputUnits.ElectronsPerSecond ? sim.Exposures[e].ExposureTime : 1.0;
                for (int k = 0; k < truth.Length; k++)
                {
                    bool ours = mask is not null && mask[k];
                    flagged += ours ? 1 : 0;
                    if (truth[k] == 0)
                    {
                        falseFlags += ours ? 1 : 0;
                        continue;
                    }

                    // Local noise: Poisson on everything but the cosmic ray, plus read noise.
                    double localNoise = Math.Sqrt(Math.Max((sci[k] * toE) - q[k], 0) + rn2);
                    bool isAbove = q[k] > localNoise;
                    bool isDetectable = q[k] > 3 * localNoise; // what any pixel-by-pixel test can tell from noise
                    bool isLeft = !ours && finalBits.IsGood((ushort)dq[k]);
                    injected++;
                    above += isAbove ? 1 : 0;
                    detectable += isDetectable ? 1 : 0;
                    charge += q[k];
                    if (isLeft)
                    {
                        left++;
                        aboveLeft += isAbove ? 1 : 0;
                        detectableLeft += isDetectable ? 1 : 0;
                        chargeLeft += q[k];
                    }
                }
            }
        }

        return new DemoFilterFigures(filter.Name, r.ProductPath, w, h, outScale, g.Orientation, dist.Count, Rms(dist), Median(dist),
            dx.Count > 0 ? dx.Average() : double.NaN, dy.Count > 0 ? dy.Average() : double.NaN, rot, scl,
            ratios.Count, medRatio, scatter, injected, left, flagged, above, aboveLeft, detectable, detectableLeft, charge > 0 ? chargeLeft / charge : 0, falseFlags,
            brightErrors.Count, brightErrors.Count > 0 ? brightErrors.Max(Math.Abs) : double.NaN,
            brightErrors.Count > 0 ? Math.Sqrt(brightErrors.Average(v => v * v)) : double.NaN,
            saturatedErrors.Count, saturatedErrors.Count > 0 ? saturatedErrors.Max(Math.Abs) : double.NaN,
            double.NaN, double.NaN,
            ws.HolePixels, ws.HoleFraction, ws.RmsOverMedian);
    }

    /// <summary>Side of the cells (output pixels) the truth sources are binned into for neighbour searches.</summary>
    private const int CellSize = 32;

    /// <summary>Sources binned by <see cref="CellSize"/>-pixel cell of the output grid.</summary>
    private static Dictionary<(int, int), List<(double X, double Y, double Rate)>> CellIndex(IEnumerable<(double X, double Y, double Rate)> sources)
    {
        var cells = new Dictionary<(int, int), List<(double X, double Y, double Rate)>>();
        foreach (var p in sources)
        {
            var key = ((int)Math.Floor(p.X / CellSize), (int)Math.Floor(p.Y / CellSize));
            if (!cells.TryGetValue(key, out var list))
            {
                cells[key] = list = [];
            }

            list.Add(p);
        }

        return cells;
    }

    /// <summary>
    /// What the aperture sum around a star should give: its own flux times the encircled energy, plus the light of the
    /// other stars (Moffat profiles from the truth catalog, within 2.2" of it) on the aperture's pixels, minus what
    /// the sky estimate, the median of the annulus, picks up of all of them. In this crowded field the neighbours'
    /// wings are a per-cent effect on some stars; leaving them out charges the scene's crowding to the pipeline.
    /// </summary>
    private static double ExpectedApertureFlux(double x0, double y0, double ownFlux, double cx, double cy,
        Dictionary<(int, int), List<(double X, double Y, double Rate)>> stars, PsfModel psf, double inPerOut,
        double apR, double skyIn, double skyOut)
    {
        double reach = skyOut * 2.2 / 1.2; // 2.2" when the annulus ends at 1.2"
        var near = new List<(double X, double Y, double Rate, bool Self)>();
        int c0 = (int)Math.Floor((x0 - reach) / CellSize), c1 = (int)Math.Floor((x0 + reach) / CellSize);
        int r0 = (int)Math.Floor((y0 - reach) / CellSize), r1 = (int)Math.Floor((y0 + reach) / CellSize);
        for (int a = c0; a <= c1; a++)
        {
            for (int b = r0; b <= r1; b++)
            {
                if (stars.TryGetValue((a, b), out var list))
                {
                    foreach (var q in list)
                    {
                        double d2 = ((q.X - x0) * (q.X - x0)) + ((q.Y - y0) * (q.Y - y0));
                        if (d2 < reach * reach)
                        {
                            near.Add((q.X, q.Y, q.Rate, d2 < 1e-6));
                        }
                    }
                }
            }
        }

        // One sample per output pixel (the neighbours' light is smooth there); the profile is per input pixel², an
        // output pixel is inPerOut² of one.
        double cell = inPerOut * inPerOut;
        double Model(int x, int y, bool others)
        {
            double v = 0;
            foreach (var q in near)
            {
                if (!(others && q.Self))
                {
                    double sx = x - q.X, sy = y - q.Y;
                    v += q.Rate * psf.Profile(Math.Sqrt((sx * sx) + (sy * sy)) * inPerOut) * cell;
                }
            }

            return v;
        }

        double inAperture = 0;
        int count = 0;
        var annulus = new List<double>();
        for (int y = (int)Math.Floor(cy - skyOut); y <= (int)Math.Ceiling(cy + skyOut); y++)
        {
            for (int x = (int)Math.Floor(cx - skyOut); x <= (int)Math.Ceiling(cx + skyOut); x++)
            {
                double r2 = ((x - cx) * (x - cx)) + ((y - cy) * (y - cy));
                if (r2 <= apR * apR)
                {
                    inAperture += Model(x, y, others: true);
                    count++;
                }
                else if (r2 >= skyIn * skyIn && r2 <= skyOut * skyOut)
                {
                    annulus.Add(Model(x, y, others: false));
                }
            }
        }

        return ownFlux + inAperture - (count * Median(annulus));
    }

    /// <summary>Gaussian-windowed centroid (3 iterations) with a local median sky; false when a pixel of the window has no weight.</summary>
    private static bool Centroid(float[] sci, float[] wht, int w, int h, double x0, double y0, double sigma, double rin, double rout,
        out double cx, out double cy, out double sky)
    {
        cx = x0;
        cy = y0;
        var ann = new List<double>();
        for (int y = (int)(y0 - rout); y <= (int)(y0 + rout) + 1; y++)
        {
            for (int x = (int)(x0 - rout); x <= (int)(x0 + rout) + 1; x++)
            {
                double r2 = ((x - x0) * (x - x0)) + ((y - y0) * (y - y0));
                long k = ((long)y * w) + x;
                if (r2 >= rin * rin && r2 <= rout * rout && wht[k] > 0)
                {
                    ann.Add(sci[k]);
                }
            }
        }

        sky = Median(ann);
        if (ann.Count < 10)
        {
            return false;
        }

        int rad = (int)Math.Ceiling(4 * sigma);
        for (int y = (int)y0 - rad; y <= (int)y0 + rad; y++)
        {
            for (int x = (int)x0 - rad; x <= (int)x0 + rad; x++)
            {
                if (wht[((long)y * w) + x] <= 0)
                {
                    return false;
                }
            }
        }

        for (int it = 0; it < 10; it++)
        {
            double sw = 0, sx = 0, sy = 0;
            for (int y = (int)Math.Round(cy) - rad; y <= (int)Math.Round(cy) + rad; y++)
            {
                for (int x = (int)Math.Round(cx) - rad; x <= (int)Math.Round(cx) + rad; x++)
                {
                    double r2 = ((x - cx) * (x - cx)) + ((y - cy) * (y - cy));
                    double wgt = Math.Exp(-r2 / (2 * sigma * sigma)) * (sci[((long)y * w) + x] - sky);
                    sw += wgt;
                    sx += wgt * (x - cx);
                    sy += wgt * (y - cy);
                }
            }

            if (!(sw > 0))
            {
                return false;
            }

            // Windowed centroid update (factor 2 for a Gaussian window matched to the PSF).
            cx += 2 * sx / sw;
            cy += 2 * sy / sw;
            if (Math.Abs(cx - x0) > 3 || Math.Abs(cy - y0) > 3)
            {
                return false;
            }
        }

        return true;
    }

    private static double Median(List<double> v)
    {
        if (v.Count == 0)
        {
            return double.NaN;
        }

        var s = v.OrderBy(a => a).ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : 0.5 * (s[(s.Count / 2) - 1] + s[s.Count / 2]);
    }

    private static double Rms(List<double> v) => v.Count == 0 ? double.NaN : Math.Sqrt(v.Sum(a => a * a) / v.Count);
}
