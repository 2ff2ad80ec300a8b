namespace TweakDrizzle.Resample;

/// <summary>
/// A prepared pixmap computation: in fast mode the exact transform on a coarse grid, already verified against the
/// tolerance over the whole input, so that any run of rows can be filled later with exactly the values a whole-input
/// <see cref="PixmapCalculator.Calculate"/> gives (tiled drizzles fill only the rows a tile needs).
/// </summary>
/// <remarks>
/// Fast mode: nodes every <c>g</c> input pixels (one beyond each edge), bicubic Lagrange interpolation (separable:
/// along y to a node row, then along x), verified at every cell centre, where the cubic error peaks; the step is halved
/// (down to 4 px) until every check is within <see cref="PixmapOptions.Tolerance"/>/4, else (or when a node is
/// unmapped) the exact transform is used row by row. <see cref="Fill"/> is thread-safe.
/// </remarks>
public sealed class PixmapPlan
{
    private const int RowBand = 16;

    private readonly PixelTransform _transform;
    private readonly ParallelOptions _parallel;
    private readonly int _step;
    private readonly int _gx;
    private readonly double[]? _nodeX;
    private readonly double[]? _nodeY;
    private readonly int[]? _colCell;
    private readonly double[]? _colW;

    private PixmapPlan(PixelTransform transform, int width, int height, ParallelOptions parallel, int step, int gx, double[]? nodeX, double[]? nodeY, int[]? colCell, double[]? colW)
    {
        _transform = transform;
        Width = width;
        Height = height;
        _parallel = parallel;
        _step = step;
        _gx = gx;
        _nodeX = nodeX;
        _nodeY = nodeY;
        _colCell = colCell;
        _colW = colW;
    }

    /// <summary>Input columns.</summary>
    public int Width { get; }

    /// <summary>Input rows.</summary>
    public int Height { get; }

    /// <summary>The verified grid step of the fast mode, or 0 when rows are computed exactly.</summary>
    public int GridStep => _nodeX is null ? 0 : _step;

    /// <summary>Prepares the computation (in fast mode: evaluates and verifies the coarse grid).</summary>
    /// <param name="transform">Input pixel → output pixel, thread-safe.</param>
    /// <param name="width">Input columns.</param>
    /// <param name="height">Input rows.</param>
    /// <param name="options">Options; null for the exact mode.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ResampleException">Empty shape or bad options.</exception>
    public static PixmapPlan Create(PixelTransform transform, int width, int height, PixmapOptions? options = null)
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

        var po = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount };
        if (options.Fast)
        {
            for (int g = options.GridStep; g >= 4; g /= 2)
            {
                PixmapPlan? plan = TryGrid(transform, width, height, g, options.Tolerance / 4, po);
                if (plan is not null)
                {
                    return plan;
                }
            }
        }

        return new PixmapPlan(transform, width, height, po, 0, 0, null, null, null, null);
    }

    /// <summary>Fills rows <paramref name="firstRow"/>..<paramref name="lastRow"/> (inclusive) of <paramref name="map"/>; other rows are not touched.</summary>
    /// <param name="map">A pixmap of this plan's shape.</param>
    /// <param name="firstRow">First row.</param>
    /// <param name="lastRow">Last row.</param>
    /// <exception cref="ResampleException">The pixmap's shape differs or the rows are outside it.</exception>
    public void Fill(Pixmap map, int firstRow, int lastRow)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Width != Width || map.Height != Height)
        {
            throw new ResampleException($"the pixmap is {map.Width}x{map.Height}, the plan {Width}x{Height}");
        }

        if (firstRow < 0 || lastRow >= Height || firstRow > lastRow)
        {
            throw new ResampleException($"rows {firstRow}..{lastRow} are outside the {Height} rows of the pixmap");
        }

        double[] x = map.X, y = map.Y;
        int width = Width;
        int bands = ((lastRow - firstRow) / RowBand) + 1;
        Parallel.For(0, bands, _parallel, () => (new double[Math.Max(width, _gx)], new double[Math.Max(width, _gx)]), (b, _, buf) =>
        {
            int j0 = firstRow + (b * RowBand);
            int j1 = Math.Min(j0 + RowBand - 1, lastRow);
            for (int j = j0; j <= j1; j++)
            {
                Span<double> xo = x.AsSpan((int)((long)j * width), width);
                Span<double> yo = y.AsSpan((int)((long)j * width), width);
                if (_nodeX is null)
                {
                    (double[] xi, double[] yi) = buf;
                    for (int i = 0; i < width; i++)
                    {
                        xi[i] = i;
                    }

                    Array.Fill(yi, j, 0, width);
                    _transform(xi.AsSpan(0, width), yi.AsSpan(0, width), xo, yo);
                }
                else
                {
                    InterpolateRow(j, buf.Item1, buf.Item2, xo, yo);
                }
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

    /// <summary>One interpolated row: along y to a row of node values (rx, ry), then along x.</summary>
    private void InterpolateRow(int j, double[] rx, double[] ry, Span<double> xo, Span<double> yo)
    {
        double[] nx = _nodeX!, ny = _nodeY!;
        int[] colCell = _colCell!;
        double[] colW = _colW!;
        int g = _step, gx = _gx;
        Span<double> wy = stackalloc double[4];
        int r = j / g;
        Weights((j - (r * (double)g)) / g, wy);

        // Node row r + k (k = 0..3) holds y = (r + k - 1) g.
        for (int n = 0; n < gx; n++)
        {
            int k0 = (r * gx) + n;
            rx[n] = (wy[0] * nx[k0]) + (wy[1] * nx[k0 + gx]) + (wy[2] * nx[k0 + (2 * gx)]) + (wy[3] * nx[k0 + (3 * gx)]);
            ry[n] = (wy[0] * ny[k0]) + (wy[1] * ny[k0 + gx]) + (wy[2] * ny[k0 + (2 * gx)]) + (wy[3] * ny[k0 + (3 * gx)]);
        }

        for (int i = 0; i < xo.Length; i++)
        {
            int c = colCell[i];
            int q = i * 4;
            xo[i] = (colW[q] * rx[c]) + (colW[q + 1] * rx[c + 1]) + (colW[q + 2] * rx[c + 2]) + (colW[q + 3] * rx[c + 3]);
            yo[i] = (colW[q] * ry[c]) + (colW[q + 1] * ry[c + 1]) + (colW[q + 2] * ry[c + 2]) + (colW[q + 3] * ry[c + 3]);
        }
    }

    private static PixmapPlan? TryGrid(PixelTransform transform, int width, int height, int g, double tol, ParallelOptions po)
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
                return null;
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

        var plan = new PixmapPlan(transform, width, height, po, g, gx, nx, ny, colCell, colW);

        // Verify at every cell centre (and the middle of the last, partial cells) against the exact transform.
        int half = g / 2;
        List<int> ci = CellCentres(width, g, half);
        List<int> cj = CellCentres(height, g, half);
        double[] tx = [.. ci.Select(v => (double)v)];
        var ty = new double[tx.Length];
        var ex = new double[tx.Length];
        var ey = new double[tx.Length];
        var rx = new double[Math.Max(width, gx)];
        var ry = new double[rx.Length];
        var rowX = new double[width];
        var rowY = new double[width];
        foreach (int j in cj)
        {
            Array.Fill(ty, j);
            transform(tx, ty, ex, ey);
            plan.InterpolateRow(j, rx, ry, rowX, rowY);
            for (int k = 0; k < tx.Length; k++)
            {
                double err = Math.Max(Math.Abs(ex[k] - rowX[ci[k]]), Math.Abs(ey[k] - rowY[ci[k]]));
                if (!(err <= tol))
                {
                    return null;
                }
            }
        }

        return plan;
    }

    private static List<int> CellCentres(int length, int g, int half)
    {
        var list = new List<int>();
        for (int i = half; i < length; i += g)
        {
            list.Add(i);
        }

        if (list.Count == 0 || list[^1] < length - 1 - half)
        {
            list.Add(Math.Max(0, length - 1 - (((length - 1) % g) / 2)));
        }

        return list;
    }
}
