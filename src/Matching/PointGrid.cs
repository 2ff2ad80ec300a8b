namespace TweakDrizzle.Matching;

/// <summary>
/// A uniform-grid spatial index over a fixed set of points: radius and nearest-neighbour queries in memory
/// proportional to the number of points (the cell count is capped at about four per point).
/// </summary>
internal sealed class PointGrid
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double _x0;
    private readonly double _y0;
    private readonly double _inv;
    private readonly int _nx;
    private readonly int _ny;
    private readonly int[] _start;
    private readonly int[] _index;

    /// <summary>Builds the index.</summary>
    /// <param name="x">Point x (kept by reference, not copied).</param>
    /// <param name="y">Point y.</param>
    /// <param name="cellSize">Wanted cell size; enlarged when that would give too many cells.</param>
    public PointGrid(double[] x, double[] y, double cellSize)
    {
        _x = x;
        _y = y;
        int n = x.Length;
        double xmin = double.PositiveInfinity, xmax = double.NegativeInfinity, ymin = double.PositiveInfinity, ymax = double.NegativeInfinity;
        for (int i = 0; i < n; i++)
        {
            xmin = Math.Min(xmin, x[i]);
            xmax = Math.Max(xmax, x[i]);
            ymin = Math.Min(ymin, y[i]);
            ymax = Math.Max(ymax, y[i]);
        }

        if (n == 0)
        {
            xmin = xmax = ymin = ymax = 0;
        }

        double w = Math.Max(xmax - xmin, 1e-9), h = Math.Max(ymax - ymin, 1e-9);
        double maxCells = Math.Max(16.0, 4.0 * n);
        double cs = Math.Max(cellSize, 1e-9);
        if ((w / cs) * (h / cs) > maxCells)
        {
            cs = Math.Sqrt(w * h / maxCells);
        }

        cs = Math.Max(cs, Math.Max(w, h) / 65536.0);
        _inv = 1.0 / cs;
        _x0 = xmin;
        _y0 = ymin;
        _nx = (int)Math.Floor(w * _inv) + 1;
        _ny = (int)Math.Floor(h * _inv) + 1;
        CellSize = cs;
        _start = new int[(_nx * _ny) + 1];
        _index = new int[n];
        var cell = new int[n];
        for (int i = 0; i < n; i++)
        {
            cell[i] = CellOf(x[i], y[i]);
            _start[cell[i] + 1]++;
        }

        for (int c = 0; c < _nx * _ny; c++)
        {
            _start[c + 1] += _start[c];
        }

        var fill = new int[_nx * _ny];
        for (int i = 0; i < n; i++)
        {
            int c = cell[i];
            _index[_start[c] + fill[c]++] = i;
        }
    }

    /// <summary>The cell size used.</summary>
    public double CellSize { get; }

    /// <summary>Number of points indexed.</summary>
    public int Count => _x.Length;

    private int CellOf(double x, double y)
    {
        int cx = Math.Clamp((int)((x - _x0) * _inv), 0, _nx - 1);
        int cy = Math.Clamp((int)((y - _y0) * _inv), 0, _ny - 1);
        return (cy * _nx) + cx;
    }

    /// <summary>Index of the nearest point within <paramref name="radius"/> (ties: lowest index), or −1.</summary>
    public int Nearest(double x, double y, double radius, out double distance2)
    {
        distance2 = double.PositiveInfinity;
        int best = -1;
        double r2 = radius * radius;
        int cx0 = (int)Math.Floor((x - radius - _x0) * _inv), cx1 = (int)Math.Floor((x + radius - _x0) * _inv);
        int cy0 = (int)Math.Floor((y - radius - _y0) * _inv), cy1 = (int)Math.Floor((y + radius - _y0) * _inv);
        cx0 = Math.Max(cx0, 0);
        cy0 = Math.Max(cy0, 0);
        cx1 = Math.Min(cx1, _nx - 1);
        cy1 = Math.Min(cy1, _ny - 1);
        for (int cy = cy0; cy <= cy1; cy++)
        {
            for (int cx = cx0; cx <= cx1; cx++)
            {
                int c = (cy * _nx) + cx;
                for (int k = _start[c]; k < _start[c + 1]; k++)
                {
                    int i = _index[k];
                    double dx = _x[i] - x, dy = _y[i] - y;
                    double d2 = (dx * dx) + (dy * dy);
                    if (d2 <= r2 && (d2 < distance2 || (d2 == distance2 && i < best)))
                    {
                        distance2 = d2;
                        best = i;
                    }
                }
            }
        }

        return best;
    }

    /// <summary>Calls <paramref name="visit"/> for every point within the axis-aligned box centred on (x, y).</summary>
    public void ForEachInBox<TState>(double x, double y, double halfWidth, ref TState state, BoxVisitor<TState> visit)
    {
        int cx0 = Math.Max((int)Math.Floor((x - halfWidth - _x0) * _inv), 0);
        int cx1 = Math.Min((int)Math.Floor((x + halfWidth - _x0) * _inv), _nx - 1);
        int cy0 = Math.Max((int)Math.Floor((y - halfWidth - _y0) * _inv), 0);
        int cy1 = Math.Min((int)Math.Floor((y + halfWidth - _y0) * _inv), _ny - 1);
        for (int cy = cy0; cy <= cy1; cy++)
        {
            for (int cx = cx0; cx <= cx1; cx++)
            {
                int c = (cy * _nx) + cx;
                for (int k = _start[c]; k < _start[c + 1]; k++)
                {
                    int i = _index[k];
                    double dx = _x[i] - x, dy = _y[i] - y;
                    if (Math.Abs(dx) <= halfWidth && Math.Abs(dy) <= halfWidth)
                    {
                        visit(ref state, i, dx, dy);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The <paramref name="k"/> nearest other points of point <paramref name="self"/>, nearest first
    /// (ties by index). Returns how many were found (fewer when the set is small).
    /// </summary>
    public int KNearest(int self, int k, Span<int> result, Span<double> dist2)
    {
        double x = _x[self], y = _y[self];
        int found = 0;
        int cx = Math.Clamp((int)((x - _x0) * _inv), 0, _nx - 1);
        int cy = Math.Clamp((int)((y - _y0) * _inv), 0, _ny - 1);
        int maxRing = Math.Max(_nx, _ny);
        for (int ring = 0; ring <= maxRing; ring++)
        {
            // The ring's inner distance bounds anything not yet seen.
            double inner = (ring - 1) * CellSize;
            if (found == k && inner > 0 && inner * inner > dist2[found - 1])
            {
                break;
            }

            for (int yy = cy - ring; yy <= cy + ring; yy++)
            {
                if (yy < 0 || yy >= _ny)
                {
                    continue;
                }

                bool edgeRow = yy == cy - ring || yy == cy + ring;
                for (int xx = cx - ring; xx <= cx + ring; xx += edgeRow ? 1 : Math.Max(1, 2 * ring))
                {
                    if (xx < 0 || xx >= _nx)
                    {
                        continue;
                    }

                    int c = (yy * _nx) + xx;
                    for (int m = _start[c]; m < _start[c + 1]; m++)
                    {
                        int i = _index[m];
                        if (i == self)
                        {
                            continue;
                        }

                        double dx = _x[i] - x, dy = _y[i] - y;
                        double d2 = (dx * dx) + (dy * dy);
                        if (found < k || d2 < dist2[found - 1] || (d2 == dist2[found - 1] && i < result[found - 1]))
                        {
                            int pos = found < k ? found++ : k - 1;
                            while (pos > 0 && (dist2[pos - 1] > d2 || (dist2[pos - 1] == d2 && result[pos - 1] > i)))
                            {
                                dist2[pos] = dist2[pos - 1];
                                result[pos] = result[pos - 1];
                                pos--;
                            }

                            dist2[pos] = d2;
                            result[pos] = i;
                        }
                    }
                }
            }
        }

        return found;
    }
}

/// <summary>Callback of <see cref="PointGrid.ForEachInBox{TState}"/>: point index and its offset from the query point.</summary>
internal delegate void BoxVisitor<TState>(ref TState state, int index, double dx, double dy);
