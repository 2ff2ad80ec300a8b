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
    private const int RowBand = 16;

    /// <summary>Computes the pixmap of a width x height input through <paramref name="transform"/>.</summary>
    /// <param name="transform">Input pixel → output pixel, thread-safe.</param>
    /// <param name="width">Input columns.</param>
    /// <param name="height">Input rows.</param>
    /// <param name="options">Options; null for the exact mode.</param>
    /// <returns>The pixmap.</returns>
    /// <exception cref="ResampleException">Empty shape or bad options.</exception>
    public static Pixmap Calculate(PixelTransform transform, int width, int height, PixmapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transform);
        options ??= new PixmapOptions();
        if (width < 1 || height < 1)
        {
            throw new ResampleException($"pixmap shape {width}x{height} is empty");
        }

        if (!(options.Tolerance > 0) || options.GridStep < 2 || options.MaxDegreeOfParallelism is < 1)
        {
            throw new ResampleException("pixmap options need tolerance > 0, grid step >= 2 and at least 1 thread");
        }

        var x = new double[(long)width * height];
        var y = new double[x.LongLength];
        var po = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount };
        if (options.Fast)
        {
            for (int g = options.GridStep; g >= 4; g /= 2)
            {
                if (TryInterpolated(transform, width, height, g, options.Tolerance / 4, x, y, po))
                {
                    return new Pixmap(width, height, x, y);
                }
            }
        }

        Exact(transform, width, height, x, y, po);
        return new Pixmap(width, height, x, y);
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

    private static void Exact(PixelTransform transform, int width, int height, double[] x, double[] y, ParallelOptions po)
    {
        int bands = (height + RowBand - 1) / RowBand;
        Parallel.For(0, bands, po, () => (new double[width], new double[width]), (b, _, buf) =>
        {
            (double[] xi, double[] yi) = buf;
            for (int i = 0; i < width; i++)
            {
                xi[i] = i;
            }

            int j1 = Math.Min((b + 1) * RowBand, height);
            for (int j = b * RowBand; j < j1; j++)
            {
                Array.Fill(yi, j);
                transform(xi, yi, x.AsSpan(j * width, width), y.AsSpan(j * width, width));
            }

            return buf;
        }, _ => { });
    }

    /// <summary>Cubic Lagrange weights at fractional position t of the middle interval of nodes -1, 0, 1, 2.</summary>
    private static void Weights(double t, Span<double> w)
    {
        double tm1 = t - 1, tm2 = t - 2, tp1 = t + 1;
        w[0] = -t * tm1 * tm2 / 6.0;
        w[1] = tp1 * tm1 * tm2 / 2.0;
        w[2] = -tp1 * t * tm2 / 2.0;
        w[3] = tp1 * t * tm1 / 6.0;
    }

    private static bool TryInterpolated(PixelTransform transform, int width, int height, int g, double tol, double[] x, double[] y, ParallelOptions po)
    {
        // Nodes at -g, 0, g, ..., covering every pixel with one node to spare on each side.
        int gx = ((width - 1) / g) + 4;
        int gy = ((height - 1) / g) + 4;
        var nx = new double[gx * gy];
        var ny = new double[gx * gy];
        var xi = new double[gx];
        var yi = new double[gx];
        for (int n = 0; n < gx; n++)
        {
            xi[n] = (n - 1) * (double)g;
        }

        for (int r = 0; r < gy; r++)
        {
            Array.Fill(yi, (r - 1) * (double)g);
            transform(xi, yi, nx.AsSpan(r * gx, gx), ny.AsSpan(r * gx, gx));
        }

        for (int k = 0; k < nx.Length; k++)
        {
            if (!double.IsFinite(nx[k]) || !double.IsFinite(ny[k]))
            {
                return false;
            }
        }

        // Column weights are the same for every row.
        var colCell = new int[width];
        var colW = new double[width * 4];
        for (int i = 0; i < width; i++)
        {
            int c = i / g;
            colCell[i] = c;
            Weights((i - (c * (double)g)) / g, colW.AsSpan(i * 4, 4));
        }

        int bands = (height + RowBand - 1) / RowBand;
        Parallel.For(0, bands, po, () => (new double[gx], new double[gx]), (b, _, buf) =>
        {
            (double[] rx, double[] ry) = buf;
            Span<double> wy = stackalloc double[4];
            int j1 = Math.Min((b + 1) * RowBand, height);
            for (int j = b * RowBand; j < j1; j++)
            {
                int r = j / g;
                Weights((j - (r * (double)g)) / g, wy);

                // Node row r + k (k = 0..3) holds y = (r + k - 1) g.
                for (int n = 0; n < gx; n++)
                {
                    int k0 = (r * gx) + n;
                    rx[n] = (wy[0] * nx[k0]) + (wy[1] * nx[k0 + gx]) + (wy[2] * nx[k0 + (2 * gx)]) + (wy[3] * nx[k0 + (3 * gx)]);
                    ry[n] = (wy[0] * ny[k0]) + (wy[1] * ny[k0 + gx]) + (wy[2] * ny[k0 + (2 * gx)]) + (wy[3] * ny[k0 + (3 * gx)]);
                }

                long o = (long)j * width;
                for (int i = 0; i < width; i++)
                {
                    int c = colCell[i];
                    int q = i * 4;
                    x[o + i] = (colW[q] * rx[c]) + (colW[q + 1] * rx[c + 1]) + (colW[q + 2] * rx[c + 2]) + (colW[q + 3] * rx[c + 3]);
                    y[o + i] = (colW[q] * ry[c]) + (colW[q + 1] * ry[c + 1]) + (colW[q + 2] * ry[c + 2]) + (colW[q + 3] * ry[c + 3]);
                }
            }

            return buf;
        }, _ => { });

        // Verify at every cell centre (and the middle of the last, partial cells) against the exact transform.
        int half = g / 2;
        var ci = new List<int>();
        for (int i = half; i < width; i += g)
        {
            ci.Add(i);
        }

        if (ci.Count == 0 || ci[^1] < width - 1 - half)
        {
            ci.Add(Math.Max(0, width - 1 - (((width - 1) % g) / 2)));
        }

        var cj = new List<int>();
        for (int j = half; j < height; j += g)
        {
            cj.Add(j);
        }

        if (cj.Count == 0 || cj[^1] < height - 1 - half)
        {
            cj.Add(Math.Max(0, height - 1 - (((height - 1) % g) / 2)));
        }

        double[] tx = [.. ci.Select(v => (double)v)];
        var ty = new double[tx.Length];
        var ex = new double[tx.Length];
        var ey = new double[tx.Length];
        foreach (int j in cj)
        {
            Array.Fill(ty, j);
            transform(tx, ty, ex, ey);
            for (int k = 0; k < tx.Length; k++)
            {
                long o = ((long)j * width) + ci[k];
                double err = Math.Max(Math.Abs(ex[k] - x[o]), Math.Abs(ey[k] - y[o]));
                if (!(err <= tol))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
