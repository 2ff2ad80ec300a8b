using TweakDrizzle.Resample;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Pipeline.Combine;

/// <summary>One chip given to <see cref="SkyMatch"/>; its pixels are read through <paramref name="Pixels"/> when needed (once).</summary>
/// <param name="Exposure">Index of the exposure the chip belongs to (chips of one exposure share one sky value).</param>
/// <param name="Width">Width.</param>
/// <param name="Height">Height.</param>
/// <param name="Wcs">The chip's WCS.</param>
/// <param name="ToRate">Factor from data units to the common unit (1/exposure time for counts, 1 for rates).</param>
/// <param name="SkyRate">The chip's own sky statistic in the common unit (used by globalmin+match), NaN if unknown.</param>
/// <param name="Pixels">Returns the pixels (row-major, the chip's own units) and the good-pixel mask (null for all).</param>
public sealed record SkyMatchChip(int Exposure, int Width, int Height, FitsWcs Wcs, double ToRate, double SkyRate, Func<(float[] Data, bool[]? Good)> Pixels)
{
    /// <summary>A chip whose pixels are already in memory.</summary>
    /// <param name="exposure">Index of the exposure.</param>
    /// <param name="data">Pixels, row-major, the chip's own units.</param>
    /// <param name="good">Good pixels, or null for all.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="wcs">The chip's WCS.</param>
    /// <param name="toRate">Factor from data units to the common unit.</param>
    /// <param name="skyRate">The chip's own sky in the common unit, NaN if unknown.</param>
    /// <returns>The chip.</returns>
    public static SkyMatchChip FromArrays(int exposure, float[] data, bool[]? good, int width, int height, FitsWcs wcs, double toRate, double skyRate) =>
        new(exposure, width, height, wcs, toRate, skyRate, () => (data, good));
}

/// <summary>The sky difference measured in the overlap of two exposures.</summary>
/// <param name="First">First exposure index.</param>
/// <param name="Second">Second exposure index.</param>
/// <param name="Difference">Clipped median of (first − second) over the common cells, common unit.</param>
/// <param name="Sigma">Clipped standard deviation of the per-cell differences.</param>
/// <param name="Cells">Number of common cells.</param>
public sealed record SkyMatchPair(int First, int Second, double Difference, double Sigma, int Cells);

/// <summary>The result of <see cref="SkyMatch.Solve"/>.</summary>
/// <param name="Sky">Sky per exposure index, common unit: the matched offset (the lowest exposure of each connected group 0), plus the global minimum for globalmin+match.</param>
/// <param name="Offsets">The matched offsets alone (lowest 0).</param>
/// <param name="GlobalMin">The global minimum added (0 for plain match).</param>
/// <param name="Pairs">The overlaps used.</param>
/// <param name="Groups">Number of groups of exposures connected by overlaps (offsets between groups are unknown; each group's lowest is 0).</param>
public sealed record SkyMatchResult(IReadOnlyDictionary<int, double> Sky, IReadOnlyDictionary<int, double> Offsets, double GlobalMin, IReadOnlyList<SkyMatchPair> Pairs, int Groups);

/// <summary>Options of <see cref="SkyMatch.Solve"/>.</summary>
public sealed record SkyMatchOptions
{
    /// <summary>Add the smallest chip sky (<see cref="SkyMatchChip.SkyRate"/>) to the offsets (skymethod globalmin+match).</summary>
    public bool AddGlobalMin { get; init; }

    /// <summary>Side of a comparison cell in native pixels of the first chip (default 2): each cell holds the mean of the good pixels that fall in it.</summary>
    public double CellPixels { get; init; } = 2.0;

    /// <summary>
    /// Most cell values kept (cells of the frame times exposures, 4 bytes each; default 50 million, 200 MB): for larger
    /// mosaics the cells grow beyond <see cref="CellPixels"/> until they fit.
    /// </summary>
    public long MaxCellValues { get; init; } = 50_000_000;

    /// <summary>Fewest common cells for an overlap to be used (default 100).</summary>
    public int MinCells { get; init; } = 100;

    /// <summary>Clipping iterations of the difference statistic (default 5, as skyclip).</summary>
    public int Clip { get; init; } = 5;

    /// <summary>Clipping limit in sigmas (default 4, as skylsigma/skyusigma).</summary>
    public double ClipSigma { get; init; } = 4.0;

    /// <summary>Largest number of threads for the pixmaps; null: all cores. Results do not depend on it.</summary>
    public int? NumCores { get; init; }
}

/// <summary>
/// AstroDrizzle's <c>skymethod match</c> (drizzlepac's skymatch): the sky differences between exposures are measured
/// where they overlap and solved by least squares for one offset per exposure, relative to the lowest.
/// </summary>
/// <remarks>
/// Every chip is read once and resampled (mean of its good pixels per cell) onto one tangent-plane frame of cells of
/// <see cref="SkyMatchOptions.CellPixels"/> native pixels. For each pair of exposures, the difference is the clipped
/// median of the per-cell differences over their common cells (sources cancel in the difference, so crowded fields
/// do not bias it, where skymatch compares the two images' separate statistics). The offsets s minimise
/// Σ w_ij (s_i − s_j − d_ij)², w_ij = cells / σ², with the lowest offset of each connected group set to 0. Memory: one
/// float per cell per exposure, plus one chip and its pixmap at a time.
/// </remarks>
public static class SkyMatch
{
    /// <summary>Measures the overlaps and solves for the sky of every exposure.</summary>
    /// <param name="chips">The chips (at least one).</param>
    /// <param name="options">Options.</param>
    /// <returns>Sky per exposure in the common unit.</returns>
    /// <exception cref="CombineException">No chips, or arrays that do not fit their sizes.</exception>
    public static SkyMatchResult Solve(IReadOnlyList<SkyMatchChip> chips, SkyMatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(chips);
        ArgumentNullException.ThrowIfNull(options);
        if (chips.Count == 0)
        {
            throw new CombineException("sky matching: no chips");
        }

        if (!(options.CellPixels > 0) || options.MinCells < 1 || options.MaxCellValues < 1)
        {
            throw new CombineException("sky matching: the cell size must be > 0, the minimum overlap and the cell budget at least 1 cell");
        }

        int[] ids = chips.Select(c => c.Exposure).Distinct().Order().ToArray();
        (float[][] cells, int nx, (int X0, int Y0, int X1, int Y1)[] boxes) = Resample(chips, ids, options);
        var pairs = new List<SkyMatchPair>();
        var diffs = new List<float>();
        for (int a = 0; a < ids.Length; a++)
        {
            for (int b = a + 1; b < ids.Length; b++)
            {
                diffs.Clear();
                float[] ca = cells[a], cb = cells[b];
                int bx0 = Math.Max(boxes[a].X0, boxes[b].X0), bx1 = Math.Min(boxes[a].X1, boxes[b].X1);
                int by0 = Math.Max(boxes[a].Y0, boxes[b].Y0), by1 = Math.Min(boxes[a].Y1, boxes[b].Y1);
                for (int y = by0; y <= by1; y++)
                {
                    for (long k = ((long)y * nx) + bx0; k <= ((long)y * nx) + bx1; k++)
                    {
                        if (!float.IsNaN(ca[k]) && !float.IsNaN(cb[k]))
                        {
                            diffs.Add(ca[k] - cb[k]);
                        }
                    }
                }

                if (diffs.Count < options.MinCells)
                {
                    continue;
                }

                (double d, double sd) = SkyStatistics.Compute(diffs.ToArray(), [], SkyStatistic.Median, options.Clip, options.ClipSigma, options.ClipSigma);
                if (double.IsFinite(d))
                {
                    pairs.Add(new SkyMatchPair(ids[a], ids[b], d, sd, diffs.Count));
                }
            }
        }

        (double[] offsets, int groups) = LeastSquares(ids, pairs);
        double globalMin = 0;
        if (options.AddGlobalMin)
        {
            double min = chips.Where(c => double.IsFinite(c.SkyRate)).Select(c => c.SkyRate).DefaultIfEmpty(double.NaN).Min();
            globalMin = double.IsFinite(min) ? min : 0;
        }

        var sky = new Dictionary<int, double>();
        var off = new Dictionary<int, double>();
        for (int i = 0; i < ids.Length; i++)
        {
            off[ids[i]] = offsets[i];
            sky[ids[i]] = offsets[i] + globalMin;
        }

        return new SkyMatchResult(sky, off, globalMin, pairs, groups);
    }

    private static (float[][] Cells, int Nx, (int X0, int Y0, int X1, int Y1)[] Boxes) Resample(IReadOnlyList<SkyMatchChip> chips, int[] ids, SkyMatchOptions options)
    {
        SkyMatchChip first = chips[0];
        double cx = (first.Width - 1) / 2.0, cy = (first.Height - 1) / 2.0;
        double native = first.Wcs.PixelScale(cx, cy);
        (double ra0, double dec0) = first.Wcs.PixelToWorld(cx, cy);

        // The extent at the requested cell size; cells grow when the frame times the exposures exceeds the budget.
        double cellPixels = options.CellPixels;
        (double x0, double y0, double x1, double y1) = Extent(chips, FitsWcs.CreateTan(ra0, dec0, 1, 1, native * cellPixels, 0));
        double values = (x1 - x0 + 3) * (y1 - y0 + 3) * ids.Length;
        if (values > options.MaxCellValues)
        {
            cellPixels *= Math.Sqrt(values / options.MaxCellValues) * 1.01;
        }

        FitsWcs frame = FitsWcs.CreateTan(ra0, dec0, 1, 1, native * cellPixels, 0);
        (x0, y0, x1, y1) = Extent(chips, frame);

        // A cell of margin for pixel centres just inside the edges.
        x0 -= 1;
        y0 -= 1;
        x1 += 1;
        y1 += 1;
        int ox = (int)Math.Floor(x0 + 0.5), oy = (int)Math.Floor(y0 + 0.5);
        long nxl = (long)Math.Floor(x1 + 0.5) - ox + 1, nyl = (long)Math.Floor(y1 + 0.5) - oy + 1;
        if (nxl * nyl > int.MaxValue / 2)
        {
            throw new CombineException("sky matching: the inputs span too large a field for the comparison cells");
        }

        var pixmapOptions = new PixmapOptions { Fast = true, MaxDegreeOfParallelism = options.NumCores };
        int nx = (int)nxl, ny = (int)nyl;
        var cells = new float[ids.Length][];
        var boxes = new (int X0, int Y0, int X1, int Y1)[ids.Length];
        for (int e = 0; e < ids.Length; e++)
        {
            int bx0 = int.MaxValue, by0 = int.MaxValue, bx1 = -1, by1 = -1;
            var sum = new double[(long)nx * ny];
            var count = new int[(long)nx * ny];
            for (int i = 0; i < chips.Count; i++)
            {
                SkyMatchChip c = chips[i];
                if (c.Exposure != ids[e])
                {
                    continue;
                }

                (float[] data, bool[]? good) = c.Pixels();
                if (data.LongLength != (long)c.Width * c.Height || (good is not null && good.Length != data.Length))
                {
                    throw new CombineException("sky matching: a chip's arrays do not fit its size");
                }

                Pixmap m = PixmapCalculator.Calculate(Transform(c.Wcs, frame), c.Width, c.Height, pixmapOptions);
                for (int k = 0; k < data.Length; k++)
                {
                    float v = data[k];
                    double x = m.X[k], y = m.Y[k];
                    if ((good is not null && !good[k]) || !float.IsFinite(v) || !double.IsFinite(x) || !double.IsFinite(y))
                    {
                        continue;
                    }

                    long ix = (long)Math.Floor(x + 0.5) - ox, iy = (long)Math.Floor(y + 0.5) - oy;
                    if (ix < 0 || iy < 0 || ix >= nx || iy >= ny)
                    {
                        continue;
                    }

                    long cell = (iy * nx) + ix;
                    sum[cell] += v * c.ToRate;
                    count[cell]++;
                    bx0 = Math.Min(bx0, (int)ix);
                    bx1 = Math.Max(bx1, (int)ix);
                    by0 = Math.Min(by0, (int)iy);
                    by1 = Math.Max(by1, (int)iy);
                }
            }

            var mean = new float[sum.LongLength];
            for (long k = 0; k < mean.LongLength; k++)
            {
                mean[k] = count[k] > 0 ? (float)(sum[k] / count[k]) : float.NaN;
            }

            cells[e] = mean;
            boxes[e] = (bx0, by0, bx1, by1);
        }

        return (cells, nx, boxes);
    }

    private static PixelTransform Transform(FitsWcs source, FitsWcs frame) => (x, y, xo, yo) =>
    {
        var ra = new double[x.Length];
        var dec = new double[x.Length];
        source.PixelToWorld(x, y, ra, dec);
        frame.WorldToPixel(ra, dec, xo, yo);
    };

    private static (double X0, double Y0, double X1, double Y1) Extent(IReadOnlyList<SkyMatchChip> chips, FitsWcs frame)
    {
        // The frame's extent from each chip's edge (every 16 pixels and the corners).
        double x0 = double.MaxValue, y0 = double.MaxValue, x1 = double.MinValue, y1 = double.MinValue;
        foreach (SkyMatchChip c in chips)
        {
            (double[] ex, double[] ey) = Edge(c.Width, c.Height);
            var fx = new double[ex.Length];
            var fy = new double[ex.Length];
            Transform(c.Wcs, frame)(ex, ey, fx, fy);
            for (int k = 0; k < fx.Length; k++)
            {
                if (double.IsFinite(fx[k]) && double.IsFinite(fy[k]))
                {
                    x0 = Math.Min(x0, fx[k]);
                    x1 = Math.Max(x1, fx[k]);
                    y0 = Math.Min(y0, fy[k]);
                    y1 = Math.Max(y1, fy[k]);
                }
            }
        }

        if (!(x1 >= x0) || !(y1 >= y0))
        {
            throw new CombineException("sky matching: the chips cannot be projected onto a common frame");
        }

        return (x0, y0, x1, y1);
    }

    private static (double[] X, double[] Y) Edge(int width, int height)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (double x = -0.5; x < width - 0.5; x += 16)
        {
            xs.AddRange([x, x]);
            ys.AddRange([-0.5, height - 0.5]);
        }

        for (double y = -0.5; y < height - 0.5; y += 16)
        {
            xs.AddRange([-0.5, width - 0.5]);
            ys.AddRange([y, y]);
        }

        xs.AddRange([width - 0.5, width - 0.5]);
        ys.AddRange([-0.5, height - 0.5]);
        return ([.. xs], [.. ys]);
    }

    private static (double[] Offsets, int Groups) LeastSquares(int[] ids, List<SkyMatchPair> pairs)
    {
        int n = ids.Length;
        var index = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            index[ids[i]] = i;
        }

        // Connected groups (union-find); each group is solved with its first member fixed at 0.
        int[] parent = Enumerable.Range(0, n).ToArray();
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        foreach (SkyMatchPair p in pairs)
        {
            int a = Find(index[p.First]), b = Find(index[p.Second]);
            if (a != b)
            {
                parent[Math.Max(a, b)] = Math.Min(a, b);
            }
        }

        var offsets = new double[n];
        var groups = Enumerable.Range(0, n).GroupBy(Find).ToList();
        foreach (IGrouping<int, int> g in groups)
        {
            int[] members = [.. g];
            if (members.Length == 1)
            {
                continue;
            }

            var local = new Dictionary<int, int>();
            for (int i = 0; i < members.Length; i++)
            {
                local[members[i]] = i;
            }

            // Normal equations of Σ w (s_a − s_b − d)² with s_0 = 0: unknowns s_1 … s_{m−1}.
            int m = members.Length - 1;
            var a = new double[m, m];
            var r = new double[m];
            foreach (SkyMatchPair p in pairs)
            {
                if (!local.TryGetValue(index[p.First], out int ia) || !local.TryGetValue(index[p.Second], out int ib))
                {
                    continue;
                }

                double w = p.Cells / Math.Max(p.Sigma * p.Sigma, 1e-30);
                AddTerm(a, r, ia - 1, ib - 1, w, p.Difference);
            }

            double[] s = SolveSymmetric(a, r);
            offsets[members[0]] = 0;
            for (int i = 1; i < members.Length; i++)
            {
                offsets[members[i]] = s[i - 1];
            }

            double min = members.Min(i => offsets[i]);
            foreach (int i in members)
            {
                offsets[i] -= min;
            }
        }

        return (offsets, groups.Count);
    }

    private static void AddTerm(double[,] a, double[] r, int i, int j, double w, double d)
    {
        // Residual s_i − s_j − d; index −1 is the fixed member (s = 0).
        if (i >= 0)
        {
            a[i, i] += w;
            r[i] += w * d;
        }

        if (j >= 0)
        {
            a[j, j] += w;
            r[j] -= w * d;
        }

        if (i >= 0 && j >= 0)
        {
            a[i, j] -= w;
            a[j, i] -= w;
        }
    }

    private static double[] SolveSymmetric(double[,] a, double[] r)
    {
        // Gaussian elimination with partial pivoting (the system is small: one unknown per exposure).
        int n = r.Length;
        var m = (double[,])a.Clone();
        var b = (double[])r.Clone();
        for (int c = 0; c < n; c++)
        {
            int p = c;
            for (int i = c + 1; i < n; i++)
            {
                if (Math.Abs(m[i, c]) > Math.Abs(m[p, c]))
                {
                    p = i;
                }
            }

            if (Math.Abs(m[p, c]) < 1e-300)
            {
                throw new CombineException("sky matching: the overlaps do not determine the sky offsets");
            }

            if (p != c)
            {
                for (int k = 0; k < n; k++)
                {
                    (m[c, k], m[p, k]) = (m[p, k], m[c, k]);
                }

                (b[c], b[p]) = (b[p], b[c]);
            }

            for (int i = c + 1; i < n; i++)
            {
                double f = m[i, c] / m[c, c];
                if (f == 0)
                {
                    continue;
                }

                for (int k = c; k < n; k++)
                {
                    m[i, k] -= f * m[c, k];
                }

                b[i] -= f * b[c];
            }
        }

        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int k = i + 1; k < n; k++)
            {
                s -= m[i, k] * x[k];
            }

            x[i] = s / m[i, i];
        }

        return x;
    }
}
