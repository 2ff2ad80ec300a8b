namespace TweakDrizzle.Matching;

/// <summary>Options of the asterism (triangle) matcher. Defaults suit 10 to 50 000 sources per catalog.</summary>
public sealed record AsterismOptions
{
    /// <summary>Brightest sources of each catalog whose every triplet forms a triangle (default 40).</summary>
    public int BrightCount { get; init; } = 40;

    /// <summary>
    /// Brightest sources of each catalog that form local triangles with their nearest neighbours (default 5000).
    /// <see cref="CatalogMatcher"/> treats it as the largest of its coarse-to-fine levels (300, 1000, 3000, this).
    /// </summary>
    public int LocalCount { get; init; } = 5000;

    /// <summary>Nearest neighbours per source for local triangles (default 6, giving 15 triangles per source).</summary>
    public int Neighbours { get; init; } = 6;

    /// <summary>Smallest scale ref/in searched (default 0.25).</summary>
    public double MinScale { get; init; } = 0.25;

    /// <summary>Largest scale ref/in searched (default 4).</summary>
    public double MaxScale { get; init; } = 4.0;

    /// <summary>Whether mirrored solutions (parity flip) are searched (default true).</summary>
    public bool AllowFlip { get; init; } = true;

    /// <summary>Assumed position error per axis of a source in its own catalog frame, pixels (default 0.15).</summary>
    public double PositionSigma { get; init; } = 0.15;

    /// <summary>Most candidate solutions handed to verification (default 8).</summary>
    public int MaxCandidates { get; init; } = 8;
}

/// <summary>A candidate solution from the asterism matcher, to be verified on the full catalogs.</summary>
/// <param name="Transform">The map input → reference fitted to the triangle vertices that voted for it.</param>
/// <param name="Votes">Triangle pairs that voted for this solution.</param>
/// <param name="Pairs">Vertex correspondences the transform was fitted to.</param>
public sealed record AsterismCandidate(Affine2D Transform, int Votes, IReadOnlyList<MatchPair> Pairs);

/// <summary>
/// Finds the map between two catalogs whatever the offset, rotation, scale and parity: triangles from the
/// brightest sources (all triplets) and from each source's nearest bright neighbours, hashed on their
/// similarity-invariant side ratios; matching triangles vote in a (parity, log scale, rotation, position) grid;
/// the best-voted cells give candidate transforms fitted to the voting vertices.
/// </summary>
/// <remarks>
/// Deterministic; memory and time grow with <see cref="AsterismOptions.LocalCount"/> and
/// <see cref="AsterismOptions.BrightCount"/>, not with the catalog sizes. Thread-safe.
/// </remarks>
public static class AsterismMatcher
{
    private const double LogScaleBin = 0.02;
    private const double AngleBin = 2.0 * Math.PI / 180.0;
    private const double InvariantCell = 0.01;

    /// <summary>Candidate transforms, best voted first.</summary>
    /// <param name="input">Input catalog.</param>
    /// <param name="reference">Reference catalog.</param>
    /// <param name="options">Options (null: defaults).</param>
    /// <returns>Up to <see cref="AsterismOptions.MaxCandidates"/> candidates; empty when no triangle matched.</returns>
    public static IReadOnlyList<AsterismCandidate> FindCandidates(SourceCatalog input, SourceCatalog reference, AsterismOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(reference);
        options ??= new AsterismOptions();
        if (!(options.MinScale > 0) || !(options.MaxScale >= options.MinScale))
        {
            throw new MatchingException("asterism scale range must satisfy 0 < MinScale <= MaxScale");
        }

        if (input.Count < 3 || reference.Count < 3)
        {
            return [];
        }

        Triangle[] tin = BuildTriangles(input, options);
        Triangle[] tref = BuildTriangles(reference, options);
        if (tin.Length == 0 || tref.Length == 0)
        {
            return [];
        }

        // Reference point of the input (centre of its bounding box) and position bin size in the reference frame.
        (double cx, double cy, _) = Extent(input.XArray, input.YArray);
        (_, _, double refExtent) = Extent(reference.XArray, reference.YArray);
        double posBin = Math.Max(16.0, 0.01 * refExtent);

        var index = new InvariantIndex(tref);
        var votes = new Dictionary<long, int>();
        var matches = new List<(long Key, int In, int Ref)>();
        double minLog = Math.Log(options.MinScale), maxLog = Math.Log(options.MaxScale);
        double[] ix = input.XArray, iy = input.YArray, rx = reference.XArray, ry = reference.YArray;
        for (int a = 0; a < tin.Length; a++)
        {
            Triangle t = tin[a];
            for (int cls = 0; cls < InvariantIndex.Classes; cls++)
            {
                double win = t.E + InvariantIndex.ClassLimit[cls];
                (int u0, int u1, int v0, int v1) = InvariantIndex.Window(t.U, t.V, win);
                for (int cv = v0; cv <= v1; cv++)
                {
                    for (int cu = u0; cu <= u1; cu++)
                    {
                        (int from, int to) = index.Range(cls, cu, cv);
                        for (int k = from; k < to; k++)
                        {
                            int b = index.Item(k);
                            Triangle r = tref[b];
                            double e = t.E + r.E;
                            if (Math.Abs(t.U - r.U) > e || Math.Abs(t.V - r.V) > e)
                            {
                                continue;
                            }

                            bool flip = t.Sense != r.Sense;
                            if (flip && !options.AllowFlip)
                            {
                                continue;
                            }

                            Affine2D m = SimilarityFromTriangles(ix, iy, t, rx, ry, r, flip);
                            double ls = Math.Log(m.Scale);
                            if (ls < minLog || ls > maxLog)
                            {
                                continue;
                            }

                            double th = Math.Atan2(m.C, m.A);
                            (double px, double py) = m.Apply(cx, cy);
                            long key = Key(flip, ls / LogScaleBin, (th + Math.PI) / AngleBin, px / posBin, py / posBin);
                            ref int slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(votes, key, out _);
                            slot++;
                            matches.Add((key, a, b));
                        }
                    }
                }
            }
        }

        if (votes.Count == 0)
        {
            return [];
        }

        // Best cells, ties broken by key; cells next to an already chosen one are the same solution.
        int floor = votes.Count > 4 * options.MaxCandidates ? 2 : 1;
        var ranked = votes.Where(kv => kv.Value >= floor).ToList();
        if (ranked.Count == 0)
        {
            ranked = [.. votes];
        }

        ranked.Sort(static (p, q) => p.Value != q.Value ? q.Value.CompareTo(p.Value) : p.Key.CompareTo(q.Key));
        var chosen = new List<long>();
        foreach ((long key, _) in ranked)
        {
            if (chosen.Count >= options.MaxCandidates)
            {
                break;
            }

            if (chosen.Exists(k => Adjacent(k, key)))
            {
                continue;
            }

            chosen.Add(key);
        }

        var vertexVotes = new Dictionary<long, int>[chosen.Count];
        var clusterVotes = new int[chosen.Count];
        for (int c = 0; c < chosen.Count; c++)
        {
            vertexVotes[c] = [];
        }

        foreach ((long key, int a, int b) in matches)
        {
            for (int c = 0; c < chosen.Count; c++)
            {
                if (!Adjacent(chosen[c], key))
                {
                    continue;
                }

                clusterVotes[c]++;
                ref readonly Triangle t = ref tin[a];
                ref readonly Triangle r = ref tref[b];
                Add(vertexVotes[c], t.A, r.A);
                Add(vertexVotes[c], t.B, r.B);
                Add(vertexVotes[c], t.C, r.C);
                break;
            }
        }

        var result = new List<AsterismCandidate>();
        for (int c = 0; c < chosen.Count; c++)
        {
            AsterismCandidate? cand = FitCluster(input, reference, vertexVotes[c], clusterVotes[c]);
            if (cand is not null)
            {
                result.Add(cand);
            }
        }

        return result.OrderByDescending(c => c.Votes).ToList();
    }

    private static void Add(Dictionary<long, int> d, int i, int j)
    {
        long k = ((long)i << 32) | (uint)j;
        d[k] = d.GetValueOrDefault(k) + 1;
    }

    private static AsterismCandidate? FitCluster(SourceCatalog input, SourceCatalog reference, Dictionary<long, int> vertexVotes, int votes)
    {
        var pairs = vertexVotes.OrderBy(kv => kv.Key).Select(kv => (I: (int)(kv.Key >> 32), J: (int)(kv.Key & 0xffffffff), W: (double)kv.Value)).ToList();
        if (pairs.Count < 3)
        {
            return null;
        }

        var keep = pairs;
        Affine2D m = Affine2D.Identity;
        for (int pass = 0; pass < 4; pass++)
        {
            if (keep.Count < 3)
            {
                return null;
            }

            int n = keep.Count;
            var xi = new double[n];
            var yi = new double[n];
            var xr = new double[n];
            var yr = new double[n];
            var w = new double[n];
            for (int k = 0; k < n; k++)
            {
                xi[k] = input.XArray[keep[k].I];
                yi[k] = input.YArray[keep[k].I];
                xr[k] = reference.XArray[keep[k].J];
                yr[k] = reference.YArray[keep[k].J];
                w[k] = keep[k].W;
            }

            try
            {
                m = TransformEstimator.Fit(xi, yi, xr, yr, w, FitGeometry.RScale);
            }
            catch (MatchingException)
            {
                return null;
            }

            var res = new double[n];
            for (int k = 0; k < n; k++)
            {
                (double px, double py) = m.Apply(xi[k], yi[k]);
                res[k] = Math.Sqrt(((px - xr[k]) * (px - xr[k])) + ((py - yr[k]) * (py - yr[k])));
            }

            double[] sorted = (double[])res.Clone();
            Array.Sort(sorted);
            double cut = Math.Max(3.0 * sorted[n / 2], 1.0);
            var next = new List<(int I, int J, double W)>();
            for (int k = 0; k < n; k++)
            {
                if (res[k] <= cut)
                {
                    next.Add(keep[k]);
                }
            }

            if (next.Count == keep.Count)
            {
                break;
            }

            keep = next;
        }

        return new AsterismCandidate(m, votes, keep.Select(p => new MatchPair(p.I, p.J)).ToArray());
    }

    private static long Key(bool flip, double ls, double th, double px, double py)
    {
        long s = (long)Math.Floor(ls) + 512;
        long t = (long)Math.Floor(th) & 0x3ff;
        long x = (long)Math.Floor(px) + (1 << 20);
        long y = (long)Math.Floor(py) + (1 << 20);
        return ((flip ? 1L : 0L) << 62) | ((s & 0x3ff) << 52) | (t << 42) | ((x & 0x1fffff) << 21) | (y & 0x1fffff);
    }

    private static bool Adjacent(long a, long b)
    {
        if ((a >> 62) != (b >> 62))
        {
            return false;
        }

        long nAngle = (long)Math.Round(2 * Math.PI / AngleBin);
        long ds = Math.Abs(((a >> 52) & 0x3ff) - ((b >> 52) & 0x3ff));
        long dt = Math.Abs(((a >> 42) & 0x3ff) - ((b >> 42) & 0x3ff));
        dt = Math.Min(dt, nAngle - dt);
        long dx = Math.Abs(((a >> 21) & 0x1fffff) - ((b >> 21) & 0x1fffff));
        long dy = Math.Abs((a & 0x1fffff) - (b & 0x1fffff));
        return ds <= 1 && dt <= 1 && dx <= 1 && dy <= 1;
    }

    private static (double Cx, double Cy, double Extent) Extent(double[] x, double[] y)
    {
        double x0 = x.Min(), x1 = x.Max(), y0 = y.Min(), y1 = y.Max();
        return ((x0 + x1) / 2, (y0 + y1) / 2, Math.Max(x1 - x0, y1 - y0));
    }

    /// <summary>Least-squares similarity (given parity) mapping the triangle's vertices onto the other's.</summary>
    private static Affine2D SimilarityFromTriangles(double[] ix, double[] iy, in Triangle t, double[] rx, double[] ry, in Triangle r, bool flip)
    {
        double p = flip ? -1.0 : 1.0;
        double x0 = ix[t.A], y0 = p * iy[t.A], x1 = ix[t.B], y1 = p * iy[t.B], x2 = ix[t.C], y2 = p * iy[t.C];
        double u0 = rx[r.A], v0 = ry[r.A], u1 = rx[r.B], v1 = ry[r.B], u2 = rx[r.C], v2 = ry[r.C];
        double mx = (x0 + x1 + x2) / 3, my = (y0 + y1 + y2) / 3, mu = (u0 + u1 + u2) / 3, mv = (v0 + v1 + v2) / 3;
        double sxx = 0, qr = 0, qi = 0;
        Acc(x0 - mx, y0 - my, u0 - mu, v0 - mv, ref sxx, ref qr, ref qi);
        Acc(x1 - mx, y1 - my, u1 - mu, v1 - mv, ref sxx, ref qr, ref qi);
        Acc(x2 - mx, y2 - my, u2 - mu, v2 - mv, ref sxx, ref qr, ref qi);
        double a = qr / sxx, b = qi / sxx;

        // ref = q · (x, p·y) + t with q = a + i b.
        double ma = a, mb = -b * p, mc = b, md = a * p;
        return new Affine2D(ma, mb, mc, md, mu - ((a * mx) - (b * my)), mv - ((b * mx) + (a * my)));
    }

    private static void Acc(double x, double y, double u, double v, ref double sxx, ref double qr, ref double qi)
    {
        // (u + i v) · conj(x + i y)
        sxx += (x * x) + (y * y);
        qr += (u * x) + (v * y);
        qi += (v * x) - (u * y);
    }

    private static Triangle[] BuildTriangles(SourceCatalog cat, AsterismOptions o)
    {
        int[] order = BrightnessOrder(cat);
        double[] x = cat.XArray, y = cat.YArray;
        var list = new List<Triangle>();
        var seen = new HashSet<(int, int, int)>();
        int nb = Math.Min(o.BrightCount, order.Length);
        for (int a = 0; a < nb; a++)
        {
            for (int b = a + 1; b < nb; b++)
            {
                for (int c = b + 1; c < nb; c++)
                {
                    TryAdd(order[a], order[b], order[c]);
                }
            }
        }

        int nl = Math.Min(o.LocalCount, order.Length);
        if (nl >= 4 && o.Neighbours >= 2)
        {
            var sx = new double[nl];
            var sy = new double[nl];
            for (int k = 0; k < nl; k++)
            {
                sx[k] = x[order[k]];
                sy[k] = y[order[k]];
            }

            (_, _, double ext) = Extent(sx, sy);
            var grid = new PointGrid(sx, sy, Math.Max(ext / Math.Sqrt(nl), 1e-6));
            int kn = Math.Min(o.Neighbours, nl - 1);
            var nn = new int[kn];
            var d2 = new double[kn];
            for (int k = 0; k < nl; k++)
            {
                int found = grid.KNearest(k, kn, nn, d2);
                for (int p = 0; p < found; p++)
                {
                    for (int q = p + 1; q < found; q++)
                    {
                        TryAdd(order[k], order[nn[p]], order[nn[q]]);
                    }
                }
            }
        }

        return [.. list];

        void TryAdd(int i, int j, int k)
        {
            // Canonical key so the same triangle is not added twice.
            int lo = Math.Min(i, Math.Min(j, k)), hi = Math.Max(i, Math.Max(j, k)), mid = i + j + k - lo - hi;
            if (!seen.Add((lo, mid, hi)))
            {
                return;
            }

            if (Triangle.TryCreate(x, y, i, j, k, o.PositionSigma, out Triangle t))
            {
                list.Add(t);
            }
        }
    }

    /// <summary>
    /// Source indices, brightest first by flux; without fluxes, most isolated first (largest distance to the nearest
    /// neighbour), a ranking that a similarity transform preserves, so both catalogs pick comparable subsets.
    /// </summary>
    internal static int[] BrightnessOrder(SourceCatalog cat)
    {
        var order = new int[cat.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        double[]? f = cat.FluxArray;
        if (f is null && cat.Count > 2)
        {
            (_, _, double ext) = Extent(cat.XArray, cat.YArray);
            var grid = new PointGrid(cat.XArray, cat.YArray, Math.Max(ext / Math.Sqrt(cat.Count), 1e-6));
            f = new double[cat.Count];
            Span<int> nn = stackalloc int[1];
            Span<double> d2 = stackalloc double[1];
            for (int i = 0; i < cat.Count; i++)
            {
                f[i] = grid.KNearest(i, 1, nn, d2) > 0 ? d2[0] : 0;
            }
        }

        if (f is not null)
        {
            double[] key = f;
            Array.Sort(order, (a, b) =>
            {
                int c = key[b].CompareTo(key[a]);
                return c != 0 ? c : a.CompareTo(b);
            });
        }

        return order;
    }

    /// <summary>A triangle with vertices ordered by the opposite side (A: shortest, C: longest) and its invariants.</summary>
    private readonly struct Triangle
    {
        public readonly int A;
        public readonly int B;
        public readonly int C;
        public readonly float U;
        public readonly float V;
        public readonly float E;
        public readonly bool Sense;

        private Triangle(int a, int b, int c, double u, double v, double e, bool sense)
        {
            A = a;
            B = b;
            C = c;
            U = (float)u;
            V = (float)v;
            E = (float)e;
            Sense = sense;
        }

        public static bool TryCreate(double[] x, double[] y, int p0, int p1, int p2, double sigma, out Triangle t)
        {
            t = default;
            double d0 = Dist(x, y, p1, p2), d1 = Dist(x, y, p0, p2), d2 = Dist(x, y, p0, p1);

            // (side length, opposite vertex), sorted ascending.
            (double L, int V) s0 = (d0, p0), s1 = (d1, p1), s2 = (d2, p2);
            if (s0.L > s1.L)
            {
                (s0, s1) = (s1, s0);
            }

            if (s1.L > s2.L)
            {
                (s1, s2) = (s2, s1);
            }

            if (s0.L > s1.L)
            {
                (s0, s1) = (s1, s0);
            }

            double c = s2.L;
            if (!(c > 0))
            {
                return false;
            }

            double u = s0.L / c, v = s1.L / c;
            double e = Math.Clamp(5.0 * sigma / c, 3e-4, 0.03);
            if (5.0 * sigma / c > 0.03 || u < 0.05 || v - u < e || 1 - v < e)
            {
                return false;
            }

            int a = s0.V, b = s1.V, cc = s2.V;
            double cross = ((x[b] - x[a]) * (y[cc] - y[a])) - ((y[b] - y[a]) * (x[cc] - x[a]));
            t = new Triangle(a, b, cc, u, v, e, cross > 0);
            return true;
        }

        private static double Dist(double[] x, double[] y, int i, int j)
        {
            double dx = x[i] - x[j], dy = y[i] - y[j];
            return Math.Sqrt((dx * dx) + (dy * dy));
        }
    }

    /// <summary>Triangles bucketed by tolerance class and on a grid over the (u, v) invariant plane.</summary>
    private sealed class InvariantIndex
    {
        public const int Classes = 4;
        private const int N = (int)(1.0 / InvariantCell) + 1;
        private readonly int[] _start = new int[(Classes * N * N) + 1];
        private readonly int[] _items;

        public InvariantIndex(Triangle[] tri)
        {
            _items = new int[tri.Length];
            var cell = new int[tri.Length];
            for (int i = 0; i < tri.Length; i++)
            {
                cell[i] = (ClassOf(tri[i].E) * N * N) + Cell(tri[i].U, tri[i].V);
                _start[cell[i] + 1]++;
            }

            for (int c = 0; c < Classes * N * N; c++)
            {
                _start[c + 1] += _start[c];
            }

            var fill = new int[Classes * N * N];
            for (int i = 0; i < tri.Length; i++)
            {
                _items[_start[cell[i]] + fill[cell[i]]++] = i;
            }
        }

        /// <summary>Upper tolerance of each class.</summary>
        public static ReadOnlySpan<double> ClassLimit => [0.003, 0.008, 0.016, 0.031];

        private static int ClassOf(double e)
        {
            for (int c = 0; c < Classes - 1; c++)
            {
                if (e <= ClassLimit[c])
                {
                    return c;
                }
            }

            return Classes - 1;
        }

        private static int Cell(double u, double v) =>
            (Math.Clamp((int)(v / InvariantCell), 0, N - 1) * N) + Math.Clamp((int)(u / InvariantCell), 0, N - 1);

        public static (int U0, int U1, int V0, int V1) Window(double u, double v, double win) => (
            Math.Clamp((int)((u - win) / InvariantCell), 0, N - 1),
            Math.Clamp((int)((u + win) / InvariantCell), 0, N - 1),
            Math.Clamp((int)((v - win) / InvariantCell), 0, N - 1),
            Math.Clamp((int)((v + win) / InvariantCell), 0, N - 1));

        public (int From, int To) Range(int cls, int cu, int cv)
        {
            int c = (cls * N * N) + (cv * N) + cu;
            return (_start[c], _start[c + 1]);
        }

        public int Item(int k) => _items[k];
    }
}
