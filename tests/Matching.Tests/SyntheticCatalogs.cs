using TweakDrizzle.Matching;

namespace TweakDrizzle.Matching.Tests;

/// <summary>Deterministic synthetic catalog pairs: a 4096² field, power-law fluxes, flux-dependent noise.</summary>
internal static class SyntheticCatalogs
{
    /// <summary>
    /// Makes <paramref name="n"/> sources per catalog; the first <c>(1 − unrelated)·n</c> input rows are common
    /// and their reference rows are given by <c>Truth</c>; the reference rows are shuffled.
    /// </summary>
    public static (SourceCatalog In, SourceCatalog Ref, Dictionary<int, int> Truth) Make(int n, Affine2D truth, double unrelated, int seed, double noise = 0.1)
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
            double s = 0.01 + (noise * Math.Sqrt(5.0 / f));
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

        var perm = Enumerable.Range(0, n).ToArray();
        for (int k = n - 1; k > 0; k--)
        {
            int j = rng.Next(k + 1);
            (perm[k], perm[j]) = (perm[j], perm[k]);
        }

        var pxr = new double[n];
        var pyr = new double[n];
        var pfr = new double[n];
        var map = new Dictionary<int, int>();
        for (int k = 0; k < n; k++)
        {
            pxr[perm[k]] = xr[k];
            pyr[perm[k]] = yr[k];
            pfr[perm[k]] = fr[k];
            if (k < common)
            {
                map[k] = perm[k];
            }
        }

        return (new SourceCatalog(xi, yi, fi), new SourceCatalog(pxr, pyr, pfr), map);
    }

    public static double MaxError(Affine2D a, Affine2D b)
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

    private static double Gauss(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
