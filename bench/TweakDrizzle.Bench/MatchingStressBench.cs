using System.Globalization;
using TweakDrizzle.Matching;

namespace TweakDrizzle.Bench;

/// <summary>
/// <c>match-stress [CASES] [SEED]</c>: robustness sweep of <see cref="CatalogMatcher"/> on random synthetic cases
/// (any rotation, parity, scale 0.3–3, offsets up to the field, 10–5000 sources, 0–70 % unrelated) plus pairs of
/// unrelated catalogs that must fail. Prints the failures and the counts.
/// </summary>
internal static class MatchingStressBench
{
    public static object Run(string[] args)
    {
        int cases = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 40;
        int seed0 = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
        var failures = new List<string>();
        int ok = 0, mustFailOk = 0, mustFail = 0;
        int[] sizes = [10, 30, 100, 300, 1000, 5000];
        double[] unrel = [0.0, 0.2, 0.5, 0.7];
        for (int k = 0; k < cases; k++)
        {
            var rng = new Random(seed0 + k);
            int n = sizes[rng.Next(sizes.Length)];
            double u = unrel[rng.Next(unrel.Length)];
            if (n < 100 && u > 0.5)
            {
                u = 0.5;
            }

            double scale = Math.Exp(Math.Log(0.3) + (rng.NextDouble() * Math.Log(10)));
            double rot = rng.NextDouble() * 360;
            bool flip = rng.Next(2) == 1;
            double tx = (rng.NextDouble() - 0.5) * 8000, ty = (rng.NextDouble() - 0.5) * 8000;
            Affine2D truth = Affine2D.Similarity(scale, rot, flip, tx, ty);
            (SourceCatalog input, SourceCatalog reference) = MatchingBench.Make(n, truth, u, seed0 + k + 1000);
            MatchResult r = CatalogMatcher.Match(input, reference);
            int common = (int)Math.Round(n * (1 - u));
            double err = MaxError(r.Transform, truth);
            bool pass = r.Status == MatchStatus.Success && err < (n <= 100 ? 0.15 : 0.05) * Math.Max(1, scale) + (n < 100 ? 0.3 * scale : 0) && r.NMatch >= 0.95 * common && r.NMatch <= common + Math.Max(1, 0.01 * common);
            string desc = string.Create(CultureInfo.InvariantCulture,
                $"n {n} unrelated {u} scale {scale:0.###} rot {rot:0.#} flip {flip}: {r.Status} {r.Strategy} nmatch {r.NMatch}/{common} err {err:g3} ({r.Message})");
            if (pass)
            {
                ok++;
            }
            else
            {
                failures.Add(desc);
            }

            if (k % 4 == 0)
            {
                mustFail++;
                (SourceCatalog a, _) = MatchingBench.Make(n, Affine2D.Identity, 0, seed0 + k + 2000);
                (SourceCatalog b, _) = MatchingBench.Make(n, Affine2D.Identity, 0, seed0 + k + 3000);
                MatchResult f = CatalogMatcher.Match(a, b);
                if (f.Status == MatchStatus.Failed)
                {
                    mustFailOk++;
                }
                else
                {
                    failures.Add($"unrelated n {n}: {f.Status} ({f.Message})");
                }
            }
        }

        return new { benchmark = "match-stress", cases, passed = ok, must_fail = mustFail, must_fail_passed = mustFailOk, failures };
    }

    private static double MaxError(Affine2D a, Affine2D b)
    {
        double err = 0;
        foreach ((double x, double y) in new[] { (0.0, 0.0), (4095.0, 0.0), (0.0, 4095.0), (4095.0, 4095.0), (2047.5, 2047.5) })
        {
            (double ax, double ay) = a.Apply(x, y);
            (double bx, double by) = b.Apply(x, y);
            err = Math.Max(err, Math.Sqrt(((ax - bx) * (ax - bx)) + ((ay - by) * (ay - by))));
        }

        return err;
    }
}
