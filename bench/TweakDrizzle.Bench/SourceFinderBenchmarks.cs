using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TweakDrizzle.SourceFinder;

namespace TweakDrizzle.Bench;

/// <summary>Source-finder benchmarks and the DAO conformance runner.</summary>
internal static class SourceFinderBenchmarks
{
    /// <summary>
    /// <c>sourcefind-cases CASES_DIR OUT_DIR</c>: runs <c>--mode dao</c> on every case directory (params.json +
    /// image.fits) and writes OUT_DIR/&lt;case&gt;.csv; prints timings.
    /// </summary>
    public static object RunCases(string[] args)
    {
        string dir = args[0], outDir = args[1];
        Directory.CreateDirectory(outDir);
        var results = new List<object>();
        foreach (string caseDir in Directory.GetDirectories(dir).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(caseDir);
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(caseDir, "params.json")));
            JsonElement p = doc.RootElement;
            (float[] data, int nx, int ny) = SourceFinderImageReader.ReadPrimary(Path.Combine(caseDir, "image.fits"));
            var options = new DaoStarFinderOptions
            {
                Fwhm = p.GetProperty("fwhm").GetDouble(),
                Threshold = p.GetProperty("threshold").GetDouble(),
                SigmaRadius = p.GetProperty("sigma_radius").GetDouble(),
                Ratio = p.GetProperty("ratio").GetDouble(),
                Theta = p.GetProperty("theta").GetDouble(),
                SharpLo = p.GetProperty("sharplo").GetDouble(),
                SharpHi = p.GetProperty("sharphi").GetDouble(),
                RoundLo = p.GetProperty("roundlo").GetDouble(),
                RoundHi = p.GetProperty("roundhi").GetDouble(),
                ExcludeBorder = p.GetProperty("exclude_border").GetBoolean(),
                PeakMax = p.GetProperty("peakmax").ValueKind == JsonValueKind.Null ? null : p.GetProperty("peakmax").GetDouble(),
                Brightest = p.GetProperty("brightest").ValueKind == JsonValueKind.Null ? null : p.GetProperty("brightest").GetInt32(),
            };
            var sw = Stopwatch.StartNew();
            SourceCatalog cat = new DaoStarFinder(options).Find(new DetectionImage(data, nx, ny));
            double t = sw.Elapsed.TotalSeconds;
            CatalogCsv.Write(cat, Path.Combine(outDir, name + ".csv"));
            results.Add(new { name, rows = cat.Count, seconds = Math.Round(t, 4) });
        }

        return results;
    }
}

/// <summary>Whole-field detection timings (sky estimate included) for the three modes.</summary>
internal static class SourceFinderFieldBenchmark
{
    /// <summary>
    /// <c>sourcefind-field IMAGE FWHM NSIGMA MODE[,MODE...] REPEAT [OUTDIR]</c> (modes: dao, tweakreg, refined, and
    /// refined-noclip = refined without the outlier clipping): runs each mode REPEAT times on the image
    /// (read once), reports the minimum wall time and the detection count, and writes OUTDIR/&lt;mode&gt;.csv.
    /// </summary>
    public static object Run(string[] args)
    {
        string path = args[0];
        double fwhm = double.Parse(args[1], CultureInfo.InvariantCulture);
        double nsigma = double.Parse(args[2], CultureInfo.InvariantCulture);
        string[] modes = args[3].Split(',');
        int repeat = int.Parse(args[4], CultureInfo.InvariantCulture);
        string? outDir = args.Length > 5 ? args[5] : null;
        (float[] data, int nx, int ny) = SourceFinderImageReader.ReadPrimary(path);
        var image = new DetectionImage(data, nx, ny);
        var rows = new List<object>();
        foreach (string mode in modes)
        {
            double best = double.PositiveInfinity, bestCpu = double.PositiveInfinity;
            SourceCatalog? cat = null;
            using var proc = Process.GetCurrentProcess();
            for (int r = 0; r < repeat; r++)
            {
                proc.Refresh();
                TimeSpan cpu0 = proc.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                cat = mode == "refined-noclip"
                    ? new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = fwhm, NSigma = nsigma, ClipSigma = 0 }).Find(image)
                    : SourceFinderModes.Run(image, mode, fwhm, nsigma);
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
                proc.Refresh();
                bestCpu = Math.Min(bestCpu, (proc.TotalProcessorTime - cpu0).TotalSeconds);
            }

            if (outDir is not null)
            {
                Directory.CreateDirectory(outDir);
                CatalogCsv.Write(cat!, Path.Combine(outDir, mode + ".csv"));
            }

            rows.Add(new { mode, seconds = Math.Round(best, 4), cpu_seconds = Math.Round(bestCpu, 4), detections = cat!.Count, sky = cat.SkyLevel, sigma = cat.SkySigma, threads = Environment.ProcessorCount });
        }

        return new { image = Path.GetFileName(path), nx, ny, fwhm, nsigma, results = rows };
    }
}

/// <summary>Timings of the detection stages on one image.</summary>
internal static class SourceFinderStagesBenchmark
{
    /// <summary><c>sourcefind-stages IMAGE FWHM REPEAT</c>.</summary>
    public static object Run(string[] args)
    {
        (float[] data, int nx, int ny) = SourceFinderImageReader.ReadPrimary(args[0]);
        double fwhm = double.Parse(args[1], CultureInfo.InvariantCulture);
        int repeat = int.Parse(args[2], CultureInfo.InvariantCulture);
        var image = new DetectionImage(data, nx, ny);
        var kernel = new StarFinderKernel(fwhm);
        var times = new Dictionary<string, double>();
        using var proc = Process.GetCurrentProcess();
        void Time(string name, Action a)
        {
            double best = double.PositiveInfinity, bestCpu = double.PositiveInfinity;
            for (int r = 0; r < repeat; r++)
            {
                proc.Refresh();
                TimeSpan cpu0 = proc.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                a();
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
                proc.Refresh();
                bestCpu = Math.Min(bestCpu, (proc.TotalProcessorTime - cpu0).TotalSeconds);
            }

            times[name] = Math.Round(best, 4);
            times[name + "_cpu"] = Math.Round(bestCpu, 4);
        }

        Time("badmap", () => image.CombinedBadMap());
        Time("keybuckets", () => KeyBuckets.Build(data, null));
        Time("sigmaclipped", () => SkyStatistics.SigmaClipped(image));
        Time("sigmaclipped_sampled", () => SkyStatistics.SigmaClippedSampled(image, SkyStatistics.DefaultStride(data.Length)));
        Time("dao_convolve", () => Convolution.Convolve(data, nx, ny, kernel.WeightsArray, kernel.Nx, kernel.Ny, null));
        float[] conv = Convolution.Convolve(data, nx, ny, kernel.WeightsArray, kernel.Nx, kernel.Ny, null);
        Time("dao_peaks", () => DaoCore.FindPeaks(conv, nx, ny, DaoCore.Footprint(kernel, 0), 60f + 100f, null));
        Time("mesh", () => BackgroundMesh.Estimate(image));
        BackgroundMesh mesh = BackgroundMesh.Estimate(image);
        Time("mesh_subtract", () => mesh.Subtract(image));
        float[] sub = mesh.Subtract(image);
        double[] g = MatchedFilter.Taps(fwhm * StarFinderKernel.FwhmToSigma, 3);
        Time("matched_filter", () => MatchedFilter.Apply(sub, nx, ny, g));
        Time("dao_total", () => SourceFinderModes.Run(image, "dao", fwhm, 5));
        Time("refined_total", () => SourceFinderModes.Run(image, "refined", fwhm, 5));
        return times;
    }
}
