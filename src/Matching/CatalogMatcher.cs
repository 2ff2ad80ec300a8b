namespace TweakDrizzle.Matching;

/// <summary>How the first guess of the transformation is found.</summary>
public enum MatchStrategy
{
    /// <summary>Offset histogram when the catalogs are already close, asterisms when not, the better result kept.</summary>
    Auto,

    /// <summary>Offset histogram only (TweakReg's <c>use2dhist=True</c>).</summary>
    Histogram,

    /// <summary>The given <c>xoffset</c>/<c>yoffset</c> only (TweakReg's <c>use2dhist=False</c>).</summary>
    Tolerance,

    /// <summary>Asterism (triangle) matching only.</summary>
    Asterism,
}

/// <summary>Units of the histogram search radius.</summary>
public enum SearchUnits
{
    /// <summary>Reference pixels.</summary>
    Pixels,

    /// <summary>Arcseconds, converted with <see cref="MatchOptions.PixelScale"/>.</summary>
    Arcseconds,
}

/// <summary>Outcome of a match.</summary>
public enum MatchStatus
{
    /// <summary>A solution that beats chance by the required margin.</summary>
    Success,

    /// <summary>No solution beats chance; see the message.</summary>
    Failed,
}

/// <summary>Options of <see cref="CatalogMatcher"/>; names follow TweakReg.</summary>
public sealed record MatchOptions
{
    /// <summary>How the first guess is found (default <see cref="MatchStrategy.Auto"/>).</summary>
    public MatchStrategy Strategy { get; init; } = MatchStrategy.Auto;

    /// <summary>Geometry used while iterating the matches (default rscale).</summary>
    public FitGeometry FitGeometry { get; init; } = FitGeometry.RScale;

    /// <summary>Search radius of the offset histogram (TweakReg <c>searchrad</c>) in <see cref="SearchUnits"/>; null: 20 px.</summary>
    public double? SearchRadius { get; init; }

    /// <summary>Units of <see cref="SearchRadius"/> (TweakReg <c>searchunits</c>, default pixels).</summary>
    public SearchUnits SearchUnits { get; init; } = SearchUnits.Pixels;

    /// <summary>Reference pixel scale in arcsec per pixel; needed when <see cref="SearchUnits"/> is arcseconds.</summary>
    public double? PixelScale { get; init; }

    /// <summary>Matching tolerance in reference pixels (TweakReg <c>tolerance</c>); null: adapted to the residuals.</summary>
    public double? Tolerance { get; init; }

    /// <summary>Sources closer than this (reference pixels) are confused and not matched (TweakReg <c>separation</c>, default 0.5).</summary>
    public double Separation { get; init; } = 0.5;

    /// <summary>Initial x offset ref − in (note: TweakReg's <c>xoffset</c> has the opposite sign), default 0.</summary>
    public double XOffset { get; init; }

    /// <summary>Initial y offset ref − in, default 0.</summary>
    public double YOffset { get; init; }

    /// <summary>Minimum number of matches for success; null: the geometry's parameter count / 2 + 1.</summary>
    public int? MinObj { get; init; }

    /// <summary>Largest accepted probability that the solution arose by chance (default 0.01).</summary>
    public double MaxFalseAlarm { get; init; } = 0.01;

    /// <summary>Smallest adapted tolerance, reference pixels (default 0.5).</summary>
    public double MinTolerance { get; init; } = 0.5;

    /// <summary>Most match/fit iterations (default 10).</summary>
    public int MaxIterations { get; init; } = 10;

    /// <summary>Options of the asterism matcher.</summary>
    public AsterismOptions Asterism { get; init; } = new();
}

/// <summary>Result of <see cref="CatalogMatcher.Match"/>.</summary>
/// <param name="Status">Success or failure.</param>
/// <param name="Message">Why it failed, or a one-line summary.</param>
/// <param name="Strategy">What gave the first guess: <c>histogram</c>, <c>tolerance</c> or <c>asterism</c> (empty if none).</param>
/// <param name="Transform">The map input → reference fitted to the pairs while matching (geometry of the options).</param>
/// <param name="Pairs">Matched pairs (one-to-one), sorted by input row.</param>
/// <param name="Tolerance">Final matching tolerance, reference pixels.</param>
/// <param name="ExpectedChance">Number of matches expected by chance with this tolerance (the free parameters included).</param>
/// <param name="Log10FalseAlarm">log10 of the probability that a solution this good arises from unrelated catalogs.</param>
/// <param name="InputOverlap">Input sources falling inside the reference catalog's extent.</param>
/// <param name="ReferenceOverlap">Reference sources inside the mapped input extent.</param>
/// <param name="Histogram">The offset histogram peak, when the histogram ran.</param>
public sealed record MatchResult(
    MatchStatus Status,
    string Message,
    string Strategy,
    Affine2D Transform,
    IReadOnlyList<MatchPair> Pairs,
    double Tolerance,
    double ExpectedChance,
    double Log10FalseAlarm,
    int InputOverlap,
    int ReferenceOverlap,
    HistogramPeak? Histogram)
{
    /// <summary>Number of matched pairs.</summary>
    public int NMatch => Pairs.Count;
}

/// <summary>
/// Matches two catalogs in one undistorted pixel frame: a first guess (histogram, given offset or asterisms),
/// then iterated one-to-one tolerance matching and fitting, then a test against chance.
/// </summary>
/// <remarks>
/// Never a silent wrong answer: success requires that the number of matches beats the number expected from
/// unrelated catalogs (for the search performed) with false-alarm probability below
/// <see cref="MatchOptions.MaxFalseAlarm"/>. Deterministic and thread-safe.
/// </remarks>
public static class CatalogMatcher
{
    /// <summary>Default TweakReg search radius, pixels.</summary>
    public const double DefaultSearchRadius = 20.0;

    /// <summary>Matches <paramref name="input"/> to <paramref name="reference"/>.</summary>
    /// <param name="input">Input catalog.</param>
    /// <param name="reference">Reference catalog.</param>
    /// <param name="options">Options (null: defaults).</param>
    /// <returns>The result; <see cref="MatchStatus.Failed"/> with a reason when nothing beats chance.</returns>
    /// <exception cref="MatchingException">Bad option values.</exception>
    public static MatchResult Match(SourceCatalog input, SourceCatalog reference, MatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(reference);
        options ??= new MatchOptions();
        Validate(options);
        int minObj = options.MinObj ?? (FreePairs(options.FitGeometry) + 1);
        if (input.Count == 0 || reference.Count == 0)
        {
            return Failed("a catalog is empty", null);
        }

        var ctx = new Context(input, reference, options);
        Affine2D guess = Affine2D.Translation(options.XOffset, options.YOffset);
        Candidate? best = null;
        HistogramPeak? peak = null;
        bool complete = false;

        if (options.Strategy is MatchStrategy.Auto or MatchStrategy.Histogram)
        {
            double radius = options.SearchRadius is { } sr
                ? (options.SearchUnits == SearchUnits.Arcseconds ? sr / options.PixelScale!.Value : sr)
                : DefaultSearchRadius;
            peak = OffsetHistogram.Estimate(input, reference, guess, radius);
            if (peak.Method != PeakMethod.NoPairs)
            {
                Affine2D t0 = Affine2D.Translation(options.XOffset + peak.Dx, options.YOffset + peak.Dy);
                best = ctx.Refine(t0, options.Tolerance ?? 3.0, options.FitGeometry, "histogram");
                complete = best.Pairs.Length >= 0.6 * Math.Min(best.InOverlap, best.RefOverlap) && best.Log10Fap < -10;
            }
        }
        else if (options.Strategy == MatchStrategy.Tolerance)
        {
            best = ctx.Refine(guess, options.Tolerance ?? 1.0, options.FitGeometry, "tolerance");
        }

        if (options.Strategy == MatchStrategy.Asterism || (options.Strategy == MatchStrategy.Auto && !complete))
        {
            FitGeometry verify = options.FitGeometry == FitGeometry.General ? FitGeometry.General : FitGeometry.RScale;

            // Coarse to fine: few bright sources first, more only when nothing convincing turned up.
            int maxLocal = Math.Max(3, options.Asterism.LocalCount);
            int prevLevel = 0;
            bool found = false;
            foreach (int level in new[] { 300, 1000, 3000, maxLocal })
            {
                int use = Math.Min(level, maxLocal);
                if (use <= prevLevel || found)
                {
                    continue;
                }

                if (prevLevel >= input.Count && prevLevel >= reference.Count)
                {
                    break;
                }

                prevLevel = use;
                AsterismOptions ao = options.Asterism with { LocalCount = use };
                foreach (AsterismCandidate cand in AsterismMatcher.FindCandidates(input, reference, ao))
                {
                    Candidate c = ctx.Refine(cand.Transform, options.Tolerance ?? 2.0, verify, "asterism");
                    if (best is null || Better(c, best))
                    {
                        best = c;
                    }

                    if (c.Log10Fap < -30 && c.Pairs.Length >= 0.25 * Math.Min(c.InOverlap, c.RefOverlap))
                    {
                        found = true;
                        break;
                    }
                }
            }

            if (best is not null && best.Strategy == "asterism" && verify != options.FitGeometry)
            {
                best = ctx.Refine(best.Transform, best.Tolerance, options.FitGeometry, "asterism");
            }
        }

        if (best is null)
        {
            return Failed("no candidate solution: no source pairs within the search radius and no matching asterisms", peak);
        }

        double log10Max = Math.Log10(options.MaxFalseAlarm);
        string stats = $"{best.Pairs.Length} matches with tolerance {best.Tolerance:0.###} px where chance gives {best.Expected:0.###}; " +
            $"false-alarm probability 10^{best.Log10Fap:0.#}";
        if (best.Pairs.Length < minObj)
        {
            return Make(MatchStatus.Failed, $"too few matches: {best.Pairs.Length} < minobj {minObj} ({stats})", best, peak);
        }

        if (!(best.Log10Fap <= log10Max))
        {
            return Make(MatchStatus.Failed, $"no significant match: best solution ({best.Strategy}) has {stats}, above the limit {options.MaxFalseAlarm:g3}", best, peak);
        }

        return Make(MatchStatus.Success, $"{best.Strategy}: {stats}", best, peak);
    }

    private static bool Better(Candidate a, Candidate b)
    {
        if (a.Pairs.Length != b.Pairs.Length)
        {
            return a.Pairs.Length > b.Pairs.Length;
        }

        return a.Log10Fap < b.Log10Fap;
    }

    private static MatchResult Make(MatchStatus status, string message, Candidate c, HistogramPeak? peak) =>
        new(status, message, c.Strategy, c.Transform, c.Pairs, c.Tolerance, c.Expected, c.Log10Fap, c.InOverlap, c.RefOverlap, peak);

    private static MatchResult Failed(string message, HistogramPeak? peak) =>
        new(MatchStatus.Failed, message, "", Affine2D.Identity, [], 0, 0, 0, 0, 0, peak);

    private static void Validate(MatchOptions o)
    {
        if (o.SearchRadius is { } r && !(r > 0))
        {
            throw new MatchingException("searchrad must be a positive number of pixels");
        }

        if (o.SearchUnits == SearchUnits.Arcseconds && o.SearchRadius.HasValue && !(o.PixelScale is > 0))
        {
            throw new MatchingException("a search radius in arcseconds needs the reference pixel scale (arcsec per pixel)");
        }

        if (o.Tolerance is { } t && !(t > 0))
        {
            throw new MatchingException("tolerance must be a positive number of pixels");
        }

        if (!(o.Separation >= 0))
        {
            throw new MatchingException("separation must be zero or a positive number of pixels");
        }

        if (!(o.MaxFalseAlarm > 0 && o.MaxFalseAlarm < 1))
        {
            throw new MatchingException("the false-alarm limit must lie strictly between 0 and 1");
        }

        if (o.MinObj is < 1)
        {
            throw new MatchingException("minobj must be at least 1");
        }

        if (!(o.MinTolerance > 0) || o.MaxIterations < 1)
        {
            throw new MatchingException("the minimum tolerance must be positive and at least one iteration is needed");
        }
    }

    /// <summary>Pairs needed to pin down the geometry's parameters (the free matches of the chance model).</summary>
    internal static int FreePairs(FitGeometry g) => g switch
    {
        FitGeometry.Shift => 1,
        FitGeometry.General => 3,
        _ => 2,
    };

    /// <summary>
    /// log of the probability that unrelated catalogs give a solution with <paramref name="n"/> matches: the number
    /// of hypotheses the free pairs can form times the Poisson tail of the remaining matches.
    /// </summary>
    internal static double LogFalseAlarm(int n, int freePairs, int nIn, int nRef, double lambdaPerSource)
    {
        int k = n - freePairs;
        if (k <= 0)
        {
            return 0;
        }

        double lambda = Math.Max(0, nIn - freePairs) * lambdaPerSource;
        double logH = Math.Log(2) + LogChoose(nIn, freePairs) + LogFalling(nRef, freePairs);
        double logTail = LogPoissonTail(k, lambda);
        return Math.Min(0, logH + logTail);
    }

    internal static double LogPoissonTail(int k, double lambda)
    {
        if (k <= 0)
        {
            return 0;
        }

        if (!(lambda > 0))
        {
            return double.NegativeInfinity;
        }

        if (k <= lambda)
        {
            return 0;
        }

        double logTerm = (k * Math.Log(lambda)) - lambda - LogFactorial(k);
        double sum = 1, term = 1;
        for (int j = k + 1; j < k + 10000; j++)
        {
            term *= lambda / j;
            sum += term;
            if (term < 1e-17 * sum)
            {
                break;
            }
        }

        return Math.Min(0, logTerm + Math.Log(sum));
    }

    internal static double LogFactorial(int n)
    {
        if (n < 2)
        {
            return 0;
        }

        if (n <= 30)
        {
            double s = 0;
            for (int i = 2; i <= n; i++)
            {
                s += Math.Log(i);
            }

            return s;
        }

        double x = n;
        return (x * Math.Log(x)) - x + (0.5 * Math.Log(2 * Math.PI * x)) + (1.0 / (12 * x)) - (1.0 / (360 * x * x * x));
    }

    private static double LogChoose(int n, int k) => k > n ? double.NegativeInfinity : LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFalling(int n, int k) => k > n ? double.NegativeInfinity : LogFactorial(n) - LogFactorial(n - k);

    internal sealed record Candidate(string Strategy, Affine2D Transform, MatchPair[] Pairs, double Tolerance, double Expected, double Log10Fap, int InOverlap, int RefOverlap);

    /// <summary>Catalog data shared by the refinements of one match.</summary>
    private sealed class Context
    {
        private readonly SourceCatalog _in;
        private readonly SourceCatalog _ref;
        private readonly MatchOptions _o;
        private readonly double _rx0;
        private readonly double _rx1;
        private readonly double _ry0;
        private readonly double _ry1;
        private readonly double _ix0;
        private readonly double _ix1;
        private readonly double _iy0;
        private readonly double _iy1;
        private PointGrid? _grid;
        private bool[]? _badRef;
        private bool[]? _badIn;
        private double _badInScale;

        public Context(SourceCatalog input, SourceCatalog reference, MatchOptions o)
        {
            _in = input;
            _ref = reference;
            _o = o;
            (_ix0, _ix1, _iy0, _iy1) = Box(input);
            (_rx0, _rx1, _ry0, _ry1) = Box(reference);
        }

        private static (double X0, double X1, double Y0, double Y1) Box(SourceCatalog c) =>
            (c.XArray.Min(), c.XArray.Max(), c.YArray.Min(), c.YArray.Max());

        private MatchPair[] MatchWith(Affine2D t, double tol)
        {
            int n = _in.Count;
            var xt = new double[n];
            var yt = new double[n];
            for (int i = 0; i < n; i++)
            {
                (xt[i], yt[i]) = t.Apply(_in.XArray[i], _in.YArray[i]);
            }

            _grid ??= new PointGrid(_ref.XArray, _ref.YArray, 1.0);
            if (_o.Separation > 0)
            {
                _badRef ??= ToleranceMatcher.Confused(_ref.XArray, _ref.YArray, _o.Separation);
            }

            if (_o.Separation > 0 && (_badIn is null || Math.Abs(Math.Log(t.Scale / _badInScale)) > 0.01))
            {
                // Confusion of the input, judged in its own frame with the separation scaled to it.
                _badInScale = t.Scale;
                _badIn = ToleranceMatcher.Confused(_in.XArray, _in.YArray, _o.Separation / Math.Max(t.Scale, 1e-12));
            }

            return ToleranceMatcher.MatchTransformed(xt, yt, _ref.XArray, _ref.YArray, _grid, tol, _o.Separation, _badRef, _badIn);
        }

        private Affine2D FitPairs(MatchPair[] pairs, FitGeometry g)
        {
            int n = pairs.Length;
            var xi = new double[n];
            var yi = new double[n];
            var xr = new double[n];
            var yr = new double[n];
            for (int k = 0; k < n; k++)
            {
                xi[k] = _in.XArray[pairs[k].InIndex];
                yi[k] = _in.YArray[pairs[k].InIndex];
                xr[k] = _ref.XArray[pairs[k].RefIndex];
                yr[k] = _ref.YArray[pairs[k].RefIndex];
            }

            return TransformEstimator.Fit(xi, yi, xr, yr, default, g);
        }

        private double AxisRms(MatchPair[] pairs, Affine2D t)
        {
            double s = 0;
            foreach (MatchPair p in pairs)
            {
                (double x, double y) = t.Apply(_in.XArray[p.InIndex], _in.YArray[p.InIndex]);
                double dx = x - _ref.XArray[p.RefIndex], dy = y - _ref.YArray[p.RefIndex];
                s += (dx * dx) + (dy * dy);
            }

            return pairs.Length > 0 ? Math.Sqrt(s / (2.0 * pairs.Length)) : double.PositiveInfinity;
        }

        private double MaxResidual(MatchPair[] pairs, Affine2D t)
        {
            double m = 0;
            foreach (MatchPair p in pairs)
            {
                (double x, double y) = t.Apply(_in.XArray[p.InIndex], _in.YArray[p.InIndex]);
                double dx = x - _ref.XArray[p.RefIndex], dy = y - _ref.YArray[p.RefIndex];
                m = Math.Max(m, Math.Sqrt((dx * dx) + (dy * dy)));
            }

            return m;
        }

        /// <summary>Iterates match → fit from a first guess and scores the result against chance.</summary>
        public Candidate Refine(Affine2D t, double tol0, FitGeometry g, string strategy)
        {
            bool fixedTol = _o.Tolerance.HasValue;
            double tol = tol0;
            int need = FreePairs(g);
            MatchPair[] pairs = MatchWith(t, tol);
            for (int it = 0; it < _o.MaxIterations && pairs.Length >= need; it++)
            {
                Affine2D nt;
                try
                {
                    nt = FitPairs(pairs, g);
                }
                catch (MatchingException)
                {
                    break;
                }

                double ntol = tol;
                if (!fixedTol)
                {
                    double rms = AxisRms(pairs, nt);
                    ntol = Math.Min(Math.Max(tol, _o.MinTolerance), Math.Max(_o.MinTolerance, 6.0 * rms));
                    if (pairs.Length <= need + 1)
                    {
                        // Too few pairs to measure the scatter: tighten only to what the pairs found need.
                        ntol = Math.Min(tol, Math.Max(_o.MinTolerance, 3.0 * MaxResidual(pairs, nt)));
                    }
                }

                MatchPair[] next = MatchWith(nt, ntol);
                bool same = next.AsSpan().SequenceEqual(pairs) && ntol == tol;
                t = nt;
                tol = ntol;
                pairs = next;
                if (same)
                {
                    break;
                }
            }

            return Score(strategy, t, pairs, tol, g);
        }

        private Candidate Score(string strategy, Affine2D t, MatchPair[] pairs, double tol, FitGeometry g)
        {
            // Overlap: the mapped input bounding box clipped to the reference bounding box.
            Span<(double X, double Y)> quad =
            [
                t.Apply(_ix0, _iy0), t.Apply(_ix1, _iy0), t.Apply(_ix1, _iy1), t.Apply(_ix0, _iy1),
            ];
            double area = ClippedArea(quad, _rx0, _rx1, _ry0, _ry1);
            int nIn = 0;
            for (int i = 0; i < _in.Count; i++)
            {
                (double x, double y) = t.Apply(_in.XArray[i], _in.YArray[i]);
                if (x >= _rx0 && x <= _rx1 && y >= _ry0 && y <= _ry1)
                {
                    nIn++;
                }
            }

            int nRef = 0;
            for (int j = 0; j < _ref.Count; j++)
            {
                if (InsideConvex(quad, _ref.XArray[j], _ref.YArray[j]))
                {
                    nRef++;
                }
            }

            nIn = Math.Max(nIn, pairs.Length);
            nRef = Math.Max(nRef, pairs.Length);
            double density = nRef / Math.Max(area, 1.0);
            double perSource = Math.Min(1.0, density * Math.PI * tol * tol);
            int free = FreePairs(g);
            double expected = free + (Math.Max(0, nIn - free) * perSource);
            double logFap = LogFalseAlarm(pairs.Length, free, nIn, nRef, perSource) / Math.Log(10);
            return new Candidate(strategy, t, pairs, tol, expected, logFap, nIn, nRef);
        }

        private static bool InsideConvex(ReadOnlySpan<(double X, double Y)> poly, double x, double y)
        {
            int sign = 0;
            for (int k = 0; k < poly.Length; k++)
            {
                (double ax, double ay) = poly[k];
                (double bx, double by) = poly[(k + 1) % poly.Length];
                double cr = ((bx - ax) * (y - ay)) - ((by - ay) * (x - ax));
                int s = cr > 0 ? 1 : cr < 0 ? -1 : 0;
                if (s == 0)
                {
                    continue;
                }

                if (sign == 0)
                {
                    sign = s;
                }
                else if (s != sign)
                {
                    return false;
                }
            }

            return true;
        }

        private static double ClippedArea(ReadOnlySpan<(double X, double Y)> poly, double x0, double x1, double y0, double y1)
        {
            var p = new List<(double X, double Y)>(poly.ToArray());
            p = Clip(p, q => q.X - x0, (a, b) => Cross(a, b, (a.X - x0) / (a.X - b.X)));
            p = Clip(p, q => x1 - q.X, (a, b) => Cross(a, b, (x1 - a.X) / (b.X - a.X)));
            p = Clip(p, q => q.Y - y0, (a, b) => Cross(a, b, (a.Y - y0) / (a.Y - b.Y)));
            p = Clip(p, q => y1 - q.Y, (a, b) => Cross(a, b, (y1 - a.Y) / (b.Y - a.Y)));
            double s = 0;
            for (int k = 0; k < p.Count; k++)
            {
                (double ax, double ay) = p[k];
                (double bx, double by) = p[(k + 1) % p.Count];
                s += (ax * by) - (bx * ay);
            }

            return Math.Abs(s) / 2;

            static (double X, double Y) Cross((double X, double Y) a, (double X, double Y) b, double f) =>
                (a.X + (f * (b.X - a.X)), a.Y + (f * (b.Y - a.Y)));

            static List<(double X, double Y)> Clip(
                List<(double X, double Y)> poly, Func<(double X, double Y), double> inside, Func<(double X, double Y), (double X, double Y), (double X, double Y)> cut)
            {
                var outp = new List<(double X, double Y)>();
                for (int k = 0; k < poly.Count; k++)
                {
                    (double X, double Y) a = poly[k], b = poly[(k + 1) % poly.Count];
                    bool ain = inside(a) >= 0, bin = inside(b) >= 0;
                    if (ain)
                    {
                        outp.Add(a);
                    }

                    if (ain != bin)
                    {
                        outp.Add(cut(a, b));
                    }
                }

                return outp;
            }
        }
    }
}
