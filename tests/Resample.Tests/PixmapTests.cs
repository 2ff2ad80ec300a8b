namespace TweakDrizzle.Resample.Tests;

public class PixmapTests
{
    /// <summary>A distorted, rotated, scaled and projective (tangent-plane-like) map, thread-safe.</summary>
    private static void Distorted(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> xo, Span<double> yo)
    {
        for (int k = 0; k < x.Length; k++)
        {
            double u = (x[k] - 600) / 600, v = (y[k] - 400) / 400;
            double xd = x[k] + (6 * ((u * u) + (0.4 * u * v))) + (0.8 * u * u * u * v);
            double yd = y[k] + (6 * ((0.6 * v * v) - (0.5 * u * v))) - (0.5 * v * v * v * v);
            double w = 1 + (1e-5 * xd) - (2e-5 * yd);
            xo[k] = ((1.7 * xd) - (0.9 * yd) + 50) / w;
            yo[k] = ((0.9 * xd) + (1.7 * yd) + 20) / w;
        }
    }

    [Fact]
    public void Fast_mode_is_within_its_tolerance_of_the_exact_map()
    {
        Pixmap exact = PixmapCalculator.Calculate(Distorted, 1201, 803);
        Pixmap fast = PixmapCalculator.Calculate(Distorted, 1201, 803, new PixmapOptions { Fast = true, MaxDegreeOfParallelism = 2 });
        double maxErr = 0;
        for (int k = 0; k < exact.X.Length; k++)
        {
            maxErr = Math.Max(maxErr, Math.Max(Math.Abs(exact.X[k] - fast.X[k]), Math.Abs(exact.Y[k] - fast.Y[k])));
        }

        Assert.True(maxErr <= 1e-5, $"max error {maxErr}");
        Assert.True(maxErr > 0, "the fast mode should interpolate, not evaluate every pixel");
    }

    [Fact]
    public void Exact_mode_evaluates_every_pixel_centre()
    {
        Pixmap map = PixmapCalculator.Calculate(Distorted, 37, 21);
        Span<double> xo = stackalloc double[1];
        Span<double> yo = stackalloc double[1];
        Distorted([36.0], [20.0], xo, yo);
        Assert.Equal(xo[0], map.X[(20 * 37) + 36]);
        Assert.Equal(yo[0], map.Y[(20 * 37) + 36]);
    }

    [Fact]
    public void Fast_mode_falls_back_to_exact_where_the_transform_is_undefined()
    {
        static void Partial(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> xo, Span<double> yo)
        {
            for (int k = 0; k < x.Length; k++)
            {
                xo[k] = x[k] > 50 ? double.NaN : x[k] * 2;
                yo[k] = y[k] * 2;
            }
        }

        Pixmap map = PixmapCalculator.Calculate(Partial, 100, 40, new PixmapOptions { Fast = true });
        Assert.Equal(100.0, map.X[50]);
        Assert.True(double.IsNaN(map.X[51]));
    }

    [Fact]
    public void Pixel_scale_ratio_of_a_transform()
    {
        static void Half(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> xo, Span<double> yo)
        {
            for (int k = 0; k < x.Length; k++)
            {
                xo[k] = 2 * x[k];
                yo[k] = 2 * y[k];
            }
        }

        Assert.Equal(0.5, PixmapCalculator.EstimatePixelScaleRatio(Half, 10, 10), 12);
    }
}
