namespace TweakDrizzle.Resample;

/// <summary>
/// Maps input pixel positions to output pixel positions, in place over spans: reads (<paramref name="x"/>,
/// <paramref name="y"/>) and writes (<paramref name="xOut"/>, <paramref name="yOut"/>), all of one length. Used to
/// build pixmaps; must be thread-safe (it is called from several threads at once on different spans). NaN means
/// "not mapped".
/// </summary>
/// <param name="x">Input x (0-based, pixel centres at integers).</param>
/// <param name="y">Input y.</param>
/// <param name="xOut">Output x.</param>
/// <param name="yOut">Output y.</param>
public delegate void PixelTransform(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> xOut, Span<double> yOut);

/// <summary>Options of <see cref="PixmapCalculator.Calculate"/>.</summary>
public sealed record PixmapOptions
{
    /// <summary>
    /// Fast mode: evaluate the transform exactly on a coarse grid and interpolate (bicubic Lagrange) in between; the
    /// grid is refined until the interpolation error, measured exactly at every cell centre (where the cubic error
    /// peaks), is below <see cref="Tolerance"/>/4. Falls back to the exact mode when the grid meets unmapped (NaN)
    /// positions. Default false.
    /// </summary>
    public bool Fast { get; init; }

    /// <summary>Maximum interpolation error of the fast mode, in output pixels. Default 1e-5.</summary>
    public double Tolerance { get; init; } = 1e-5;

    /// <summary>Initial grid step of the fast mode, in input pixels. Default 32.</summary>
    public int GridStep { get; init; } = 32;

    /// <summary>Maximum threads; null means all cores. Results do not depend on it.</summary>
    public int? MaxDegreeOfParallelism { get; init; }
}

/// <summary>Builds pixmaps from a coordinate transform (e.g. input WCS pixel → sky → output WCS pixel).</summary>
public static class PixmapCalculator
{
    /// <summary>Computes the pixmap of a width x height input through <paramref name="transform"/>.</summary>
    /// <param name="transform">Input pixel → output pixel, thread-safe.</param>
    /// <param name="width">Input columns.</param>
    /// <param name="height">Input rows.</param>
    /// <param name="options">Options; null for the exact mode.</param>
    /// <returns>The pixmap.</returns>
    /// <exception cref="ResampleException">Empty shape or bad options.</exception>
    public static Pixmap Calculate(PixelTransform transform, int width, int height, PixmapOptions? options = null)
    {
        PixmapPlan plan = PixmapPlan.Create(transform, width, height, options);
        var map = new Pixmap(width, height, new double[(long)width * height], new double[(long)width * height]);
        plan.Fill(map, 0, height - 1);
        return map;
    }

    /// <summary>The pixel scale ratio 1/sqrt|det J| of a transform at an input position (central differences, ±0.5 px).</summary>
    /// <param name="transform">Input pixel → output pixel.</param>
    /// <param name="x">Input x.</param>
    /// <param name="y">Input y.</param>
    /// <returns>The linear size of an output pixel in input pixels (NaN where unmapped).</returns>
    public static double EstimatePixelScaleRatio(PixelTransform transform, double x, double y)
    {
        ArgumentNullException.ThrowIfNull(transform);
        Span<double> xi = [x + 0.5, x - 0.5, x, x];
        Span<double> yi = [y, y, y + 0.5, y - 0.5];
        Span<double> xo = stackalloc double[4];
        Span<double> yo = stackalloc double[4];
        transform(xi, yi, xo, yo);
        double a = xo[0] - xo[1], c = yo[0] - yo[1], b = xo[2] - xo[3], d = yo[2] - yo[3];
        return 1.0 / Math.Sqrt(Math.Abs((a * d) - (b * c)));
    }
}
