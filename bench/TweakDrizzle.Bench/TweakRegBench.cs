using System.Diagnostics;
using System.Globalization;
using TweakDrizzle.Pipeline.Alignment;
using TweakDrizzle.Simulation;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Bench;

/// <summary>
/// <c>tweakreg [FOLDER] [REPS]</c>: the whole <c>tweakreg</c> run (loading, detection on every chip, matching, fits,
/// corrections) on the simulated demo set (12 exposures of two 1024x512 chips; simulated into a temporary folder
/// unless FOLDER holds one), in two modes: relative to the first image, and against a Gaia-like catalog of truth stars
/// with <c>updatehdr</c>. Reports wall and process CPU time (best and median of REPS, default 3), the load average,
/// and every chip's corrected WCS against the simulation truth: absolute RMS (catalog mode) and relative to the
/// reference exposure (first-image mode), in mas over a 9x9 grid per chip.
/// </summary>
internal static class TweakRegBench
{
    public static object Run(string[] args)
    {
        string? folder = args.Length > 0 && Directory.Exists(args[0]) ? args[0] : null;
        int reps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : args.Length == 1 && folder is null ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        string tmp = Path.Combine(Path.GetTempPath(), "tdz-bench-tweakreg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(tmp);
        try
        {
            if (folder is null)
            {
                folder = Path.Combine(tmp, "data");
                DataSetWriter.Write(new Simulator(SimulationOptions.Demo(1)), folder, new DataSetWriteOptions { CosmicRayMasks = false, SourceLists = false });
            }

            SimulationTruth truth = SimulationTruth.Load(folder);
            string refcat = Path.Combine(tmp, "refcat.csv");
            FilterTruth f0 = truth.Filters[0];
            File.WriteAllLines(refcat, new[] { "ra,dec,flux" }.Concat(truth.Sources.Where(s => s.Kind == SourceKind.Star && f0.RateOf(s) > 20)
                .Select(s => FormattableString.Invariant($"{s.Ra:R},{s.Dec:R},{f0.RateOf(s):R}"))));
            var files = truth.Exposures.Select(e => Path.Combine(folder, e.FileName)).ToList();
            var rows = new List<object>();
            foreach (bool catalogMode in new[] { false, true })
            {
                var wall = new List<double>();
                var cpu = new List<double>();
                TweakRegResult? last = null;
                for (int r = 0; r < reps; r++)
                {
                    string run = Path.Combine(tmp, "run" + r.ToString(CultureInfo.InvariantCulture) + (catalogMode ? "c" : "r"));
                    Directory.CreateDirectory(run);
                    var copies = files.Select(p =>
                    {
                        string d = Path.Combine(run, Path.GetFileName(p));
                        File.Copy(p, d);
                        return d;
                    }).ToList();
                    TimeSpan c0 = Process.GetCurrentProcess().TotalProcessorTime;
                    var sw = Stopwatch.StartNew();
                    last = TweakRegRun.Run(copies, new TweakRegOptions { RefCat = catalogMode ? refcat : null, UpdateHeader = catalogMode });
                    wall.Add(sw.Elapsed.TotalSeconds);
                    cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - c0).TotalSeconds);
                    Directory.Delete(run, true);
                }

                var errors = new List<double>();
                var perExposure = new List<object>();
                for (int e = 0; e < last!.Images.Count; e++)
                {
                    TweakRegImage im = last.Images[e];
                    var chipErr = new List<double>();
                    for (int c = 0; c < im.Wcs.Count; c++)
                    {
                        ChipTruth t = truth.Exposures[e].Chips[c];
                        double mas = catalogMode
                            ? AbsoluteMas(im.Wcs[c], t.TrueWcs, im.Wcs[c], t.TrueWcs, false)
                            : AbsoluteMas(im.Wcs[c], t.TrueWcs, last.Images[0].Wcs[0], truth.Exposures[0].Chips[0].TrueWcs, true);
                        chipErr.Add(Math.Round(mas, 3));
                        if (im.Status != TweakRegStatus.Reference)
                        {
                            errors.Add(mas);
                        }
                    }

                    perExposure.Add(new { file = im.FileName, status = im.Status.ToString(), nmatch = im.Fit?.NMatch ?? 0, chip_rms_mas = chipErr });
                }

                rows.Add(new
                {
                    mode = catalogMode ? "refcat + updatehdr (absolute error)" : "first image (error relative to the reference)",
                    exposures = files.Count,
                    chips = last.Images.Sum(i => i.Wcs.Count),
                    aligned = last.Images.Count(i => i.Status == TweakRegStatus.Aligned),
                    headers_updated = last.HeadersUpdated,
                    best_wall_s = Math.Round(wall.Min(), 3),
                    median_wall_s = Math.Round(Median(wall), 3),
                    best_cpu_s = Math.Round(cpu.Min(), 3),
                    max_chip_rms_mas = Math.Round(errors.Max(), 3),
                    median_chip_rms_mas = Math.Round(Median(errors), 3),
                    per_exposure = perExposure,
                });
            }

            return new
            {
                benchmark = "tweakreg",
                cores = Environment.ProcessorCount,
                load_average = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown",
                reps,
                runs = rows,
            };
        }
        finally
        {
            Directory.Delete(tmp, true);
        }
    }

    /// <summary>RMS over a 9x9 chip grid; relative: where both put each pixel in the reference exposure's chip 1.</summary>
    private static double AbsoluteMas(FitsWcs wcs, TanSipModel truth, FitsWcs refWcs, TanSipModel refTruth, bool relative)
    {
        int w = (int)wcs.Metadata.Naxis1, h = (int)wcs.Metadata.Naxis2;
        w = w > 0 ? w : 1024;
        h = h > 0 ? h : 512;
        double sum = 0;
        int n = 0;
        for (int j = 0; j < 9; j++)
        {
            for (int i = 0; i < 9; i++)
            {
                double x = (w - 1) * i / 8.0, y = (h - 1) * j / 8.0;
                (double ra1, double dec1) = wcs.PixelToWorld(x, y);
                (double ra2, double dec2) = truth.PixelToWorld(x, y);
                double d2;
                if (relative)
                {
                    (double u1, double v1) = refWcs.WorldToPixel(ra1, dec1);
                    (double u2, double v2) = refTruth.WorldToPixel(ra2, dec2);
                    double s = refWcs.PixelScale(u1, v1) * 1000;
                    d2 = (((u1 - u2) * (u1 - u2)) + ((v1 - v2) * (v1 - v2))) * s * s;
                }
                else
                {
                    double dra = (ra1 - ra2) * Math.Cos(dec1 * Math.PI / 180) * 3.6e6, ddec = (dec1 - dec2) * 3.6e6;
                    d2 = (dra * dra) + (ddec * ddec);
                }

                sum += d2;
                n++;
            }
        }

        return Math.Sqrt(sum / n);
    }

    private static double Median(List<double> v)
    {
        var s = v.Order().ToList();
        return s.Count == 0 ? double.NaN : s.Count % 2 == 1 ? s[s.Count / 2] : 0.5 * (s[(s.Count / 2) - 1] + s[s.Count / 2]);
    }
}
