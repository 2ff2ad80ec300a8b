using System.Diagnostics;
using TweakDrizzle.Matching;

namespace TweakDrizzle.Bench;

/// <summary>
/// Matching benchmarks on synthetic catalogs: <c>match-histogram [N]</c> (small shift, TweakReg comfort zone) and
/// <c>match-asterism [N]</c> (arbitrary rotation, parity flip, scale 1.3, large offset). Each run prints the best of
/// several timed repetitions after a warm-up.
/// </summary>
internal static class MatchingBench
{
    public static object Histogram(string[] args) => Run(args, asterism: false);

    public static object Asterism(string[] args) => Run(args, asterism: true);

    private static object Run(string[] args, bool asterism)
    {
        int n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20000;
        int reps = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        double unrelated = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0.1;
        Affine2D truth = asterism
            ? Affine2D.Similarity(1.3, 137.0, flip: true, 5200.0, 800.0)
            : Affine2D.Similarity(1.00005, 0.02, flip: false, 3.7, -5.2);
        (SourceCatalog input, SourceCatalog reference) = Make(n, truth, unrelated, seed: 42);
        bool noFlux = args.Length > 3 && args[3] == "noflux";
        if (noFlux)
        {
            input = new SourceCatalog(input.X, input.Y);
            reference = new SourceCatalog(reference.X, reference.Y);
        }

        var options = new MatchOptions { Strategy = asterism ? MatchStrategy.Asterism : MatchStrategy.Histogram, FitGeometry = FitGeometry.RScale };
        MatchResult result = CatalogMatcher.Match(input, reference, options);
        var parts = new Dictionary<string, double>();
        {
            var sw0 = Stopwatch.StartNew();
            for (int r = 0; r < reps; r++)
            {
                if (asterism)
                {
                    AsterismMatcher.FindCandidates(input, reference, options.Asterism with { LocalCount = 300 });
                }
                else
                {
                    OffsetHistogram.Estimate(input, reference, Affine2D.Identity, CatalogMatcher.DefaultSearchRadius);
                }
            }

            parts[asterism ? "find_candidates_ms" : "histogram_ms"] = sw0.Elapsed.TotalMilliseconds / reps;
            sw0.Restart();
            for (int r = 0; r < reps; r++)
            {
                ToleranceMatcher.Match(input, reference, result.Transform, 1.0, 0.5);
            }

            parts["one_tolerance_match_ms"] = sw0.Elapsed.TotalMilliseconds / reps;
        }

        var times = new List<double>();
        var cpu = new List<double>();
        using var process = Process.GetCurrentProcess();
        for (int r = 0; r < reps; r++)
        {
            process.Refresh();
            TimeSpan c0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            result = CatalogMatcher.Match(input, reference, options);
            times.Add(sw.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - c0).TotalMilliseconds);
        }

        Affine2D t = result.Transform;
        double err = 0;
        foreach ((double x, double y) in new[] { (0.0, 0.0), (4095.0, 0.0), (0.0, 4095.0), (4095.0, 4095.0), (2047.5, 2047.5) })
        {
            (double ax, double ay) = t.Apply(x, y);
            (double bx, double by) = truth.Apply(x, y);
            err = Math.Max(err, Math.Sqrt(((ax - bx) * (ax - bx)) + ((ay - by) * (ay - by))));
        }

        return new
        {
            benchmark = asterism ? "match-asterism" : "match-histogram",
            n_in = input.Count,
            n_ref = reference.Count,
            unrelated_fraction = unrelated,
            fluxes = !noFlux,
            status = result.Status.ToString(),
            strategy = result.Strategy,
            nmatch = result.NMatch,
            max_error_px = err,
            best_ms = times.Min(),
            median_ms = times.Order().ElementAt(times.Count / 2),
            runs_ms = times,
            best_cpu_ms = cpu.Min(),
            cpu_ms = cpu,
            machine_load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "",
            parts_ms = parts,
        };
    }

    /// <summary>Uniform field 4096², fluxes from a power law, per-source noise as in the conformance cases.</summary>
    internal static (SourceCatalog In, SourceCatalog Ref) Make(int n, Affine2D truth, double unrelated, int seed)
    {
        var rng = new Random(seed);
        int common = (int)Math.Round(n * (1 - unrelated));
        var xi = new double[n];
        var yi = new double[n];
        var fi = new double[n];
        var xr = new double[n];
        var yr = new double[n];
        var fr = new double[n];
        for (int k = 0; k < n; k++)
        {
            double x = rng.NextDouble() * 4095, y = rng.NextDouble() * 4095;
            double f = 5.0 * Math.Pow(1 - rng.NextDouble(), -1.0 / 1.5);
            double s = 0.01 + (0.10 * Math.Sqrt(5.0 / f));
            xi[k] = x + (s * Gauss(rng));
            yi[k] = y + (s * Gauss(rng));
            fi[k] = f;
            if (k < common)
            {
                (double u, double v) = truth.Apply(x, y);
                xr[k] = u + (s * Gauss(rng));
                yr[k] = v + (s * Gauss(rng));
                fr[k] = f * (1 + (0.05 * Gauss(rng)));
            }
            else
            {
                (double u, double v) = truth.Apply(rng.NextDouble() * 4095, rng.NextDouble() * 4095);
                xr[k] = u;
                yr[k] = v;
                fr[k] = 5.0 * Math.Pow(1 - rng.NextDouble(), -1.0 / 1.5);
            }
        }

        // Shuffle the reference so rows do not line up.
        for (int k = n - 1; k > 0; k--)
        {
            int j = rng.Next(k + 1);
            (xr[k], xr[j]) = (xr[j], xr[k]);
            (yr[k], yr[j]) = (yr[j], yr[k]);
            (fr[k], fr[j]) = (fr[j], fr[k]);
        }

        return (new SourceCatalog(xi, yi, fi), new SourceCatalog(xr, yr, fr));
    }

    private static double Gauss(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
