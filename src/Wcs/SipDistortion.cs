using System.Runtime.Intrinsics;

namespace TweakDrizzle.Wcs;

/// <summary>
/// Simple Imaging Polynomial (SIP) distortion (Shupe et al. 2005): the forward polynomials A, B and, when the
/// header has them, the approximate inverse polynomials AP, BP.
/// </summary>
/// <remarks>
/// <para>With pixel offsets from the reference pixel <c>u = x − (CRPIX1 − 1)</c>, <c>v = y − (CRPIX2 − 1)</c>
/// (x, y 0-based), the intermediate world coordinates are <c>CD · (u + f(u, v), v + g(u, v))</c> with
/// <c>f = Σ A_p_q u^p v^q</c> and <c>g = Σ B_p_q u^p v^q</c> over <c>p + q ≤ order</c>.</para>
/// <para>AP/BP are only used as the first guess of the inverse: world → pixel always iterates (Newton) on A/B
/// until the Newton step is below 1e-9 pixel (the error left after that step is orders of magnitude
/// smaller), so a crude or missing AP/BP costs iterations, never accuracy.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class SipDistortion : IEquatable<SipDistortion>
{
    private const int MaxIterations = 60;

    private readonly double[,] _a;
    private readonly double[,] _b;
    private readonly double[,]? _ap;
    private readonly double[,]? _bp;
    private readonly DualPolynomial _forward;
    private readonly DualPolynomial? _inverse;

    /// <summary>Creates a SIP distortion from coefficient tables indexed <c>[p, q]</c>.</summary>
    /// <param name="a">A_p_q: a square (A_ORDER+1)×(A_ORDER+1) table; entries with p + q &gt; A_ORDER are ignored.</param>
    /// <param name="b">B_p_q, likewise for B_ORDER.</param>
    /// <param name="ap">AP_p_q (approximate inverse), or null when absent.</param>
    /// <param name="bp">BP_p_q, or null when absent; AP and BP must be given together.</param>
    /// <exception cref="WcsException">A table is not square, the order is outside 0..9, only one of AP/BP is given,
    /// or a coefficient is not finite.</exception>
    public SipDistortion(double[,] a, double[,] b, double[,]? ap = null, double[,]? bp = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if ((ap is null) != (bp is null))
        {
            throw new WcsException("SIP inverse coefficients need both AP and BP");
        }

        _a = CopyTable(a, "A");
        _b = CopyTable(b, "B");
        AOrder = _a.GetLength(0) - 1;
        BOrder = _b.GetLength(0) - 1;
        int order = Math.Max(AOrder, BOrder);
        _forward = new DualPolynomial(order, Pad(_a, order), Pad(_b, order));
        if (ap is not null && bp is not null)
        {
            _ap = CopyTable(ap, "AP");
            _bp = CopyTable(bp, "BP");
            ApOrder = _ap.GetLength(0) - 1;
            BpOrder = _bp.GetLength(0) - 1;
            int inverseOrder = Math.Max(ApOrder, BpOrder);
            _inverse = new DualPolynomial(inverseOrder, Pad(_ap, inverseOrder), Pad(_bp, inverseOrder));
        }
    }

    /// <summary>A_ORDER.</summary>
    public int AOrder { get; }

    /// <summary>B_ORDER.</summary>
    public int BOrder { get; }

    /// <summary>AP_ORDER, or 0 when there is no AP/BP.</summary>
    public int ApOrder { get; }

    /// <summary>BP_ORDER, or 0 when there is no AP/BP.</summary>
    public int BpOrder { get; }

    /// <summary>True when AP/BP (the approximate inverse used as a first guess) are present.</summary>
    public bool HasInverse => _inverse is not null;

    /// <summary>The coefficient A_p_q (0 outside the table or above the order).</summary>
    /// <param name="p">Power of u.</param>
    /// <param name="q">Power of v.</param>
    public double A(int p, int q) => Get(_a, p, q);

    /// <summary>The coefficient B_p_q.</summary>
    /// <param name="p">Power of u.</param>
    /// <param name="q">Power of v.</param>
    public double B(int p, int q) => Get(_b, p, q);

    /// <summary>The coefficient AP_p_q (0 when absent).</summary>
    /// <param name="p">Power of U.</param>
    /// <param name="q">Power of V.</param>
    public double AP(int p, int q) => _ap is null ? 0 : Get(_ap, p, q);

    /// <summary>The coefficient BP_p_q (0 when absent).</summary>
    /// <param name="p">Power of U.</param>
    /// <param name="q">Power of V.</param>
    public double BP(int p, int q) => _bp is null ? 0 : Get(_bp, p, q);

    /// <summary>A copy of the A table indexed [p, q].</summary>
    public double[,] GetA() => (double[,])_a.Clone();

    /// <summary>A copy of the B table indexed [p, q].</summary>
    public double[,] GetB() => (double[,])_b.Clone();

    /// <summary>A copy of the AP table, or null when absent.</summary>
    public double[,]? GetAP() => (double[,]?)_ap?.Clone();

    /// <summary>A copy of the BP table, or null when absent.</summary>
    public double[,]? GetBP() => (double[,]?)_bp?.Clone();

    /// <summary>The same A/B without AP/BP (the inverse is then found by iteration from the linear guess).</summary>
    public SipDistortion WithoutInverse() => new(_a, _b);

    /// <summary>The forward distortion offsets (f, g) at pixel offsets (u, v) from the reference pixel.</summary>
    /// <param name="u">x − (CRPIX1 − 1), pixels.</param>
    /// <param name="v">y − (CRPIX2 − 1), pixels.</param>
    /// <returns>f = Σ A_p_q u^p v^q and g = Σ B_p_q u^p v^q, pixels.</returns>
    public (double F, double G) Forward(double u, double v)
    {
        _forward.Evaluate(u, v, out double f, out double g);
        return (f, g);
    }

    /// <summary>
    /// Solves <c>u + f(u, v) = U</c>, <c>v + g(u, v) = V</c> for (u, v): the undistorted offsets (U, V) back to
    /// raw pixel offsets, by Newton iteration on A/B from the AP/BP guess.
    /// </summary>
    /// <param name="focalU">U, undistorted pixel offset along x.</param>
    /// <param name="focalV">V, undistorted pixel offset along y.</param>
    /// <returns>(u, v), or NaN where the iteration does not converge (far outside the valid field).</returns>
    public (double U, double V) Inverse(double focalU, double focalV)
    {
        Invert(focalU, focalV, out double u, out double v);
        return (u, v);
    }

    /// <summary>Forward distortion: (u, v) → (u + f, v + g).</summary>
    internal void Apply(double u, double v, out double fu, out double fv)
    {
        _forward.Evaluate(u, v, out double f, out double g);
        fu = u + f;
        fv = v + g;
    }

    /// <summary>Forward distortion of four points at once (bit-identical to four scalar calls).</summary>
    internal void Apply(Vector256<double> u, Vector256<double> v, out Vector256<double> fu, out Vector256<double> fv)
    {
        _forward.Evaluate(u, v, out Vector256<double> f, out Vector256<double> g);
        fu = u + f;
        fv = v + g;
    }

    /// <summary>Jacobian of (u + f, v + g) with respect to (u, v).</summary>
    internal Matrix2x2 Jacobian(double u, double v)
    {
        _forward.EvaluateWithGradient(u, v, out _, out _, out double fu, out double fv, out double gu, out double gv);
        return new Matrix2x2(1 + fu, fv, gu, 1 + gv);
    }

    /// <summary>Newton inverse of the forward map; returns false (and NaN) when it fails.</summary>
    internal bool Invert(double focalU, double focalV, out double u, out double v)
    {
        u = focalU;
        v = focalV;
        if (!double.IsFinite(focalU) || !double.IsFinite(focalV))
        {
            u = v = double.NaN;
            return false;
        }

        if (_inverse is not null)
        {
            _inverse.Evaluate(focalU, focalV, out double du, out double dv);
            if (double.IsFinite(du) && double.IsFinite(dv))
            {
                u = focalU + du;
                v = focalV + dv;
            }
        }

        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            _forward.EvaluateWithGradient(u, v, out double f, out double g, out double fu, out double fv, out double gu, out double gv);
            double ru = u + f - focalU;
            double rv = v + g - focalV;
            double j11 = 1 + fu, j12 = fv, j21 = gu, j22 = 1 + gv;
            double det = (j11 * j22) - (j12 * j21);
            double su = ((j22 * ru) - (j12 * rv)) / det;
            double sv = ((j11 * rv) - (j21 * ru)) / det;
            u -= su;
            v -= sv;
            double step2 = (su * su) + (sv * sv);
            if (!double.IsFinite(step2))
            {
                break;
            }

            // Newton's error after a step of length d is about (curvature) * d^2: below 1e-9 px the
            // remaining error is far below 1e-12 px for any realistic SIP, so stop here.
            if (step2 < 1e-18)
            {
                return true;
            }
        }

        // Accept a stalled iteration whose residual is still tiny (rounding at very large offsets).
        _forward.Evaluate(u, v, out double f2, out double g2);
        double eu = u + f2 - focalU, ev = v + g2 - focalV;
        if ((eu * eu) + (ev * ev) < 1e-18)
        {
            return true;
        }

        u = v = double.NaN;
        return false;
    }

    /// <inheritdoc/>
    public bool Equals(SipDistortion? other) =>
        other is not null && TablesEqual(_a, other._a) && TablesEqual(_b, other._b)
        && TablesEqual(_ap, other._ap) && TablesEqual(_bp, other._bp);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as SipDistortion);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(AOrder, BOrder, ApOrder, BpOrder, A(2, 0), B(0, 2));

    private static double Get(double[,] t, int p, int q)
    {
        int n = t.GetLength(0);
        return p < 0 || q < 0 || p >= n || q >= n || p + q > n - 1 ? 0 : t[p, q];
    }

    private static double[,] CopyTable(double[,] t, string name)
    {
        int n = t.GetLength(0);
        if (n != t.GetLength(1) || n < 1 || n > 10)
        {
            throw new WcsException($"SIP {name} coefficients must form a square table of order 0 to 9");
        }

        var copy = new double[n, n];
        for (int p = 0; p < n; p++)
        {
            for (int q = 0; q + p < n; q++)
            {
                if (!double.IsFinite(t[p, q]))
                {
                    throw new WcsException($"SIP coefficient {name}_{p}_{q} is not a finite number");
                }

                copy[p, q] = t[p, q];
            }
        }

        return copy;
    }

    private static double[,] Pad(double[,] t, int order)
    {
        var padded = new double[order + 1, order + 1];
        int n = t.GetLength(0);
        for (int p = 0; p < n; p++)
        {
            for (int q = 0; q + p < n; q++)
            {
                padded[p, q] = t[p, q];
            }
        }

        return padded;
    }

    private static bool TablesEqual(double[,]? x, double[,]? y)
    {
        if (x is null || y is null)
        {
            return x is null && y is null;
        }

        int n = Math.Max(x.GetLength(0), y.GetLength(0));
        for (int p = 0; p < n; p++)
        {
            for (int q = 0; q + p < n; q++)
            {
                if (Get(x, p, q) != Get(y, p, q))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
