namespace TweakDrizzle.Matching;

/// <summary>How the peak of the offset histogram was located.</summary>
public enum PeakMethod
{
    /// <summary>No pair fell within the search radius: the offset is (0, 0).</summary>
    NoPairs,

    /// <summary>Least-squares quadratic surface over the 5×5 box round the highest bin (TweakReg's method).</summary>
    Quadratic,

    /// <summary>Centre of mass of the 5×5 box (too few bins for the quadratic, or it had no maximum inside the box).</summary>
    CentreOfMass,

    /// <summary>The highest bin lies on the histogram edge: its integer position is returned.</summary>
    Edge,
}

/// <summary>Result of <see cref="OffsetHistogram.Estimate"/>.</summary>
/// <param name="Dx">Estimated x offset <c>ref − in</c> (after the guess), reference pixels.</param>
/// <param name="Dy">Estimated y offset <c>ref − in</c>, reference pixels.</param>
/// <param name="PeakCount">Pairs in the highest bin.</param>
/// <param name="BoxCount">Pairs in the 5×5 box round the highest bin (TweakReg's "matches").</param>
/// <param name="Significance">TweakReg's significance: peak / sqrt(mean of the non-empty bins below the peak).</param>
/// <param name="PairCount">Number of pairs within the search box.</param>
/// <param name="MeanBin">Mean pairs per bin expected by chance (pair count / bin count).</param>
/// <param name="Method">How the peak was refined.</param>
/// <param name="Radius">Half-width of the histogram in bins, <c>ceil(searchrad)</c>.</param>
public sealed record HistogramPeak(
    double Dx, double Dy, int PeakCount, int BoxCount, double Significance, long PairCount, double MeanBin, PeakMethod Method, int Radius);

/// <summary>
/// TweakReg's 2-D histogram of offsets (<c>use2dhist</c>) with unit bins centred on integer offsets, built from a
/// grid index so memory stays proportional to the catalogs, not to their product.
/// </summary>
/// <remarks>
/// Offsets are <c>ref − in</c> (the sign of the shift in <c>ref = in + t</c>; TweakReg prints <c>in − ref</c>).
/// The estimate is the bin offset itself (no <c>ceil(r) − r</c> bias as in TweakReg). Thread-safe.
/// </remarks>
public static class OffsetHistogram
{
    /// <summary>Estimates the offset between the catalogs.</summary>
    /// <param name="input">Input catalog.</param>
    /// <param name="reference">Reference catalog.</param>
    /// <param name="guess">Map applied to the input first (identity, or TweakReg's xoffset/yoffset).</param>
    /// <param name="searchRadius">Search radius in reference pixels (TweakReg <c>searchrad</c>).</param>
    /// <returns>The peak.</returns>
    /// <exception cref="MatchingException">Search radius not positive or absurdly large.</exception>
    public static HistogramPeak Estimate(SourceCatalog input, SourceCatalog reference, Affine2D guess, double searchRadius)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(reference);
        if (!(searchRadius > 0) || searchRadius > 100000)
        {
            throw new MatchingException("searchrad must be a positive number of pixels (at most 100000)");
        }

        int nin = input.Count;
        var xt = new double[nin];
        var yt = new double[nin];
        for (int i = 0; i < nin; i++)
        {
            (xt[i], yt[i]) = guess.Apply(input.XArray[i], input.YArray[i]);
        }

        return EstimateTransformed(xt, yt, reference.XArray, reference.YArray, searchRadius);
    }

    internal static HistogramPeak EstimateTransformed(double[] xt, double[] yt, double[] xr, double[] yr, double searchRadius)
    {
        int r = (int)Math.Ceiling(searchRadius);
        int size = (2 * r) + 1;
        double half = r + 0.5;
        var grid = new PointGrid(xr, yr, half);
        var hist = new SparseHistogram(size);
        var st = (Hist: hist, R: r, Half: half, Count: 0L);
        for (int i = 0; i < xt.Length; i++)
        {
            grid.ForEachInBox(xt[i], yt[i], half, ref st, static (ref (SparseHistogram Hist, int R, double Half, long Count) s, int j, double dx, double dy) =>
            {
                // Bins [k − 0.5, k + 0.5); the upper edge of the last bin is excluded as in numpy's cut.
                if (dx >= s.Half || dy >= s.Half)
                {
                    return;
                }

                int ix = (int)Math.Floor(dx + 0.5) + s.R;
                int iy = (int)Math.Floor(dy + 0.5) + s.R;
                s.Hist.Add(iy, ix);
                s.Count++;
            });
        }

        long pairs = st.Count;
        double meanBin = pairs / ((double)size * size);
        if (pairs == 0)
        {
            return new HistogramPeak(0, 0, 0, 0, 0, 0, 0, PeakMethod.NoPairs, r);
        }

        (int py, int px, int peak) = hist.ArgMax();
        double below = 0;
        long belowBins = 0;
        foreach (int v in hist.Values())
        {
            if (v > 0 && v < peak)
            {
                below += v;
                belowBins++;
            }
        }

        double significance = belowBins > 0 ? peak / Math.Sqrt(below / belowBins) : peak;
        int box = 0;
        for (int dy = -2; dy <= 2; dy++)
        {
            for (int dx = -2; dx <= 2; dx++)
            {
                box += hist.Get(py + dy, px + dx);
            }
        }

        if (px == 0 || py == 0 || px == size - 1 || py == size - 1)
        {
            return new HistogramPeak(px - r, py - r, peak, box, significance, pairs, meanBin, PeakMethod.Edge, r);
        }

        (double fx, double fy, PeakMethod method) = RefinePeak(hist, px, py);
        return new HistogramPeak(fx - r, fy - r, peak, box, significance, pairs, meanBin, method, r);
    }

    private static (double X, double Y, PeakMethod Method) RefinePeak(SparseHistogram hist, int px, int py)
    {
        // Least squares of c0 + c1 x + c2 y + c3 xy + c4 x² + c5 y² over the non-empty bins of the 5×5 box.
        var ata = new double[6, 6];
        var atb = new double[6];
        int used = 0;
        double sw = 0, swx = 0, swy = 0;
        Span<double> row = stackalloc double[6];
        for (int dy = -2; dy <= 2; dy++)
        {
            for (int dx = -2; dx <= 2; dx++)
            {
                int v = hist.Get(py + dy, px + dx);
                if (v <= 0)
                {
                    continue;
                }

                used++;
                sw += v;
                swx += v * dx;
                swy += v * dy;
                row[0] = 1;
                row[1] = dx;
                row[2] = dy;
                row[3] = dx * dy;
                row[4] = dx * dx;
                row[5] = dy * dy;
                for (int a = 0; a < 6; a++)
                {
                    atb[a] += row[a] * v;
                    for (int b = 0; b < 6; b++)
                    {
                        ata[a, b] += row[a] * row[b];
                    }
                }
            }
        }

        (double X, double Y, PeakMethod Method) com = (px + (swx / sw), py + (swy / sw), PeakMethod.CentreOfMass);
        if (used < 6 || !SmallLinearSolver.Solve(ata, atb))
        {
            return com;
        }

        double c1 = atb[1], c2 = atb[2], c3 = atb[3], c4 = atb[4], c5 = atb[5];
        double det = (4 * c4 * c5) - (c3 * c3);
        if (!(det > 0) || !(c4 < 0))
        {
            return com;
        }

        double x = ((c2 * c3) - (2 * c5 * c1)) / det;
        double y = ((c1 * c3) - (2 * c2 * c4)) / det;
        if (!(Math.Abs(x) <= 2.5) || !(Math.Abs(y) <= 2.5))
        {
            return com;
        }

        return (px + x, py + y, PeakMethod.Quadratic);
    }

    /// <summary>A square histogram stored densely when small and as a hash map when large.</summary>
    private sealed class SparseHistogram
    {
        private const long DenseLimit = 1L << 22;
        private readonly int _size;
        private readonly int[]? _dense;
        private readonly Dictionary<long, int>? _sparse;

        public SparseHistogram(int size)
        {
            _size = size;
            if ((long)size * size <= DenseLimit)
            {
                _dense = new int[size * size];
            }
            else
            {
                _sparse = [];
            }
        }

        public void Add(int iy, int ix)
        {
            if (_dense is not null)
            {
                _dense[(iy * _size) + ix]++;
            }
            else
            {
                long key = ((long)iy * _size) + ix;
                _sparse![key] = _sparse.GetValueOrDefault(key) + 1;
            }
        }

        public int Get(int iy, int ix)
        {
            if (iy < 0 || ix < 0 || iy >= _size || ix >= _size)
            {
                return 0;
            }

            long key = ((long)iy * _size) + ix;
            return _dense is not null ? _dense[key] : _sparse!.GetValueOrDefault(key);
        }

        public IEnumerable<int> Values() => _dense is not null ? _dense : _sparse!.Values;

        /// <summary>Highest bin, first in row-major order on ties.</summary>
        public (int Y, int X, int Value) ArgMax()
        {
            long best = -1;
            int bv = 0;
            if (_dense is not null)
            {
                for (int k = 0; k < _dense.Length; k++)
                {
                    if (_dense[k] > bv)
                    {
                        bv = _dense[k];
                        best = k;
                    }
                }
            }
            else
            {
                foreach ((long key, int v) in _sparse!)
                {
                    if (v > bv || (v == bv && key < best))
                    {
                        bv = v;
                        best = key;
                    }
                }
            }

            return ((int)(best / _size), (int)(best % _size), bv);
        }
    }
}

/// <summary>Gaussian elimination with partial pivoting for small dense systems.</summary>
internal static class SmallLinearSolver
{
    /// <summary>Solves <c>a · x = b</c> in place (b becomes x). Returns false when singular.</summary>
    public static bool Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        double scale = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                scale = Math.Max(scale, Math.Abs(a[i, j]));
            }
        }

        for (int col = 0; col < n; col++)
        {
            int piv = col;
            for (int r = col + 1; r < n; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[piv, col]))
                {
                    piv = r;
                }
            }

            if (!(Math.Abs(a[piv, col]) > 1e-12 * scale))
            {
                return false;
            }

            if (piv != col)
            {
                for (int j = 0; j < n; j++)
                {
                    (a[col, j], a[piv, j]) = (a[piv, j], a[col, j]);
                }

                (b[col], b[piv]) = (b[piv], b[col]);
            }

            for (int r = col + 1; r < n; r++)
            {
                double f = a[r, col] / a[col, col];
                if (f == 0)
                {
                    continue;
                }

                for (int j = col; j < n; j++)
                {
                    a[r, j] -= f * a[col, j];
                }

                b[r] -= f * b[col];
            }
        }

        for (int r = n - 1; r >= 0; r--)
        {
            double s = b[r];
            for (int j = r + 1; j < n; j++)
            {
                s -= a[r, j] * b[j];
            }

            b[r] = s / a[r, r];
        }

        return true;
    }
}
