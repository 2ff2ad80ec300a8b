using System.Numerics;

namespace TweakDrizzle.SourceFinder;

/// <summary>Pixel-integrated Gaussian profiles and the separable matched filter of the refined detector.</summary>
internal static class MatchedFilter
{
    private const double InvSqrt2 = 0.70710678118654752440;
    private const double InvSqrt2Pi = 0.39894228040143267794;

    /// <summary>Standard normal CDF Φ(z).</summary>
    public static double Phi(double z) => 0.5 * Erfc(-z * InvSqrt2);

    /// <summary>Standard normal density φ(z).</summary>
    public static double Pdf(double z) => InvSqrt2Pi * Math.Exp(-0.5 * z * z);

    /// <summary>Complementary error function, relative error below 1.2e-7 everywhere (Chebyshev fit).</summary>
    public static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + (0.5 * z));
        double poly = 0.17087277;
        poly = -0.82215223 + (t * poly);
        poly = 1.48851587 + (t * poly);
        poly = -1.13520398 + (t * poly);
        poly = 0.27886807 + (t * poly);
        poly = -0.18628806 + (t * poly);
        poly = 0.09678418 + (t * poly);
        poly = 0.37409196 + (t * poly);
        poly = 1.00002368 + (t * poly);
        poly = -1.26551223 + (t * poly);
        double ans = t * Math.Exp((-z * z) + poly);
        return x >= 0 ? ans : 2.0 - ans;
    }

    /// <summary>Fraction of a unit 1-D Gaussian (σ = <paramref name="sigma"/>, centre <paramref name="x0"/>) in pixel <paramref name="i"/>.</summary>
    public static double PixelFraction(int i, double x0, double sigma) =>
        Phi((i + 0.5 - x0) / sigma) - Phi((i - 0.5 - x0) / sigma);

    /// <summary>The 1-D pixel-integrated Gaussian taps g(k), k = −r..r, for a source centred on a pixel.</summary>
    public static double[] Taps(double sigma, int r)
    {
        var g = new double[(2 * r) + 1];
        for (int k = -r; k <= r; k++)
        {
            g[k + r] = PixelFraction(k, 0, sigma);
        }

        return g;
    }

    /// <summary>
    /// Separable correlation of <paramref name="data"/> with g(x)·g(y) (zero padding), float32 SIMD accumulation in
    /// a fixed order; fixed row bands, so the result does not depend on the core count.
    /// </summary>
    public static float[] Apply(float[] data, int nx, int ny, double[] g)
    {
        int r = g.Length / 2;
        var gf = new float[g.Length];
        for (int k = 0; k < g.Length; k++)
        {
            gf[k] = (float)g[k];
        }

        var output = GC.AllocateUninitializedArray<float>(data.Length);
        int nBands = (ny + Convolution.BandRows - 1) / Convolution.BandRows;
        int vc = Vector<float>.Count;
        Parallel.For(0, nBands, band =>
        {
            int y0 = band * Convolution.BandRows, y1 = Math.Min(ny, y0 + Convolution.BandRows);
            int r0 = Math.Max(0, y0 - r), r1 = Math.Min(ny, y1 + r);
            var padded = new float[nx + (2 * r) + vc];
            var h = new float[(r1 - r0) * nx];
            for (int y = r0; y < r1; y++)
            {
                data.AsSpan(y * nx, nx).CopyTo(padded.AsSpan(r));
                Span<float> hrow = h.AsSpan((y - r0) * nx, nx);
                int x = 0;
                for (; x + vc <= nx; x += vc)
                {
                    Vector<float> acc = Vector<float>.Zero;
                    for (int k = 0; k < gf.Length; k++)
                    {
                        acc += new Vector<float>(gf[k]) * new Vector<float>(padded, x + k);
                    }

                    acc.CopyTo(hrow[x..]);
                }

                for (; x < nx; x++)
                {
                    float acc = 0;
                    for (int k = 0; k < gf.Length; k++)
                    {
                        acc += gf[k] * padded[x + k];
                    }

                    hrow[x] = acc;
                }
            }

            for (int y = y0; y < y1; y++)
            {
                int k0 = Math.Max(-r, r0 - y), k1 = Math.Min(r, r1 - 1 - y);
                Span<float> outRow = output.AsSpan(y * nx, nx);
                int x = 0;
                for (; x + vc <= nx; x += vc)
                {
                    Vector<float> acc = Vector<float>.Zero;
                    for (int k = k0; k <= k1; k++)
                    {
                        acc += new Vector<float>(gf[k + r]) * new Vector<float>(h, ((y + k - r0) * nx) + x);
                    }

                    acc.CopyTo(outRow[x..]);
                }

                for (; x < nx; x++)
                {
                    float acc = 0;
                    for (int k = k0; k <= k1; k++)
                    {
                        acc += gf[k + r] * h[((y + k - r0) * nx) + x];
                    }

                    outRow[x] = acc;
                }
            }
        });
        return output;
    }
}
