namespace TweakDrizzle.Wcs;

/// <summary>
/// The TPV distortion (SCAMP / DECam / IRAF TNX successor): polynomials of the intermediate world coordinates,
/// up to order 7 with the odd radial terms, given by the PV1_k and PV2_k keywords (k = 0..39).
/// </summary>
/// <remarks>
/// <para>With (x, y) = CD · (pixel − CRPIX) in degrees and r = √(x² + y²):
/// <c>ξ = Σ PV1_k T_k(x, y, r)</c> and <c>η = Σ PV2_k T_k(y, x, r)</c> — x and y swap roles on the second axis.
/// T_0 = 1, T_1 = x, T_2 = y, T_3 = r, T_4..6 = x², xy, y², T_7..10 = x³, x²y, xy², y³, T_11 = r³,
/// T_12..16 the 4th powers, T_17..22 the 5th, T_23 = r⁵, T_24..30 the 6th, T_31..38 the 7th, T_39 = r⁷.</para>
/// <para>The inverse (ξ, η) → (x, y) is solved by Newton iteration. Immutable and thread-safe.</para>
/// </remarks>
public sealed class TpvDistortion : IEquatable<TpvDistortion>
{
    /// <summary>Number of PVi_k coefficients per axis (k = 0..39).</summary>
    public const int TermCount = 40;

    private const int MaxIterations = 60;
    private static readonly int[] DegreeStart = [0, 1, 4, 7, 12, 17, 24, 31];

    private readonly double[] _pv1;
    private readonly double[] _pv2;
    private readonly DualPolynomial _poly;

    // Radial coefficients for r, r^3, r^5, r^7 on both axes.
    private readonly double _r1a, _r3a, _r5a, _r7a, _r1b, _r3b, _r5b, _r7b;
    private readonly bool _hasRadial;

    /// <summary>Creates a TPV distortion from the PV1_k and PV2_k coefficients.</summary>
    /// <param name="pv1">PV1_0, PV1_1, ...; at most 40 values; missing ones are 0.</param>
    /// <param name="pv2">PV2_0, PV2_1, ...; at most 40 values; missing ones are 0.</param>
    /// <exception cref="WcsException">More than 40 coefficients, or a coefficient that is not finite.</exception>
    /// <remarks>The identity is PV1_1 = PV2_1 = 1 with every other coefficient 0.</remarks>
    public TpvDistortion(ReadOnlySpan<double> pv1, ReadOnlySpan<double> pv2)
    {
        _pv1 = Copy(pv1, 1);
        _pv2 = Copy(pv2, 2);
        int order = Math.Max(Degree(_pv1), Degree(_pv2));
        Order = order;
        var f = new double[order + 1, order + 1];
        var g = new double[order + 1, order + 1];
        for (int d = 0; d <= order; d++)
        {
            for (int j = 0; j <= d; j++)
            {
                int k = DegreeStart[d] + j;

                // T_k(a, b) = a^(d-j) b^j. Axis 1 uses (x, y); axis 2 uses (y, x), i.e. y^(d-j) x^j.
                f[d - j, j] = _pv1[k];
                g[j, d - j] = _pv2[k];
            }
        }

        _poly = new DualPolynomial(order, f, g);
        (_r1a, _r3a, _r5a, _r7a) = (_pv1[3], _pv1[11], _pv1[23], _pv1[39]);
        (_r1b, _r3b, _r5b, _r7b) = (_pv2[3], _pv2[11], _pv2[23], _pv2[39]);
        _hasRadial = _r1a != 0 || _r3a != 0 || _r5a != 0 || _r7a != 0 || _r1b != 0 || _r3b != 0 || _r5b != 0 || _r7b != 0;
    }

    /// <summary>The highest polynomial degree with a non-zero coefficient (radial terms included).</summary>
    public int Order { get; }

    /// <summary>PV1_k (0 when k is out of range).</summary>
    /// <param name="k">Term index 0..39.</param>
    public double Pv1(int k) => k is >= 0 and < TermCount ? _pv1[k] : 0;

    /// <summary>PV2_k (0 when k is out of range).</summary>
    /// <param name="k">Term index 0..39.</param>
    public double Pv2(int k) => k is >= 0 and < TermCount ? _pv2[k] : 0;

    /// <summary>The distorted coordinates (ξ, η) of intermediate coordinates (x, y), all in degrees.</summary>
    /// <param name="x">First intermediate coordinate, degrees.</param>
    /// <param name="y">Second intermediate coordinate, degrees.</param>
    public (double Xi, double Eta) Forward(double x, double y)
    {
        Apply(x, y, out double xi, out double eta);
        return (xi, eta);
    }

    /// <summary>The intermediate coordinates (x, y) whose distorted coordinates are (ξ, η) (Newton iteration).</summary>
    /// <param name="xi">ξ, degrees.</param>
    /// <param name="eta">η, degrees.</param>
    /// <returns>(x, y) in degrees, or NaN where the iteration does not converge.</returns>
    public (double X, double Y) Inverse(double xi, double eta)
    {
        Invert(xi, eta, 1e-30, out double x, out double y);
        return (x, y);
    }

    internal void Apply(double x, double y, out double xi, out double eta)
    {
        _poly.Evaluate(x, y, out xi, out eta);
        if (_hasRadial)
        {
            AddRadial(x, y, ref xi, ref eta);
        }
    }

    /// <summary>Jacobian of (ξ, η) with respect to (x, y).</summary>
    internal Matrix2x2 Jacobian(double x, double y) => ValueAndJacobian(x, y, out _, out _);

    /// <summary>(ξ, η) and their Jacobian at (x, y) in one pass over the coefficients.</summary>
    private Matrix2x2 ValueAndJacobian(double x, double y, out double xi, out double eta)
    {
        _poly.EvaluateWithGradient(x, y, out xi, out eta, out double fx, out double fy, out double gx, out double gy);
        if (_hasRadial)
        {
            AddRadial(x, y, ref xi, ref eta);
            RadialSlopes(x, y, out double ka, out double kb);
            fx += ka * x;
            fy += ka * y;
            gx += kb * x;
            gy += kb * y;
        }

        return new Matrix2x2(fx, fy, gx, gy);
    }

    /// <summary>Adds the radial terms c1 r + c3 r³ + c5 r⁵ + c7 r⁷ of both axes.</summary>
    private void AddRadial(double x, double y, ref double xi, ref double eta)
    {
        double r2 = (x * x) + (y * y);
        double r = Math.Sqrt(r2);
        xi += r * (_r1a + (r2 * (_r3a + (r2 * (_r5a + (r2 * _r7a))))));
        eta += r * (_r1b + (r2 * (_r3b + (r2 * (_r5b + (r2 * _r7b))))));
    }

    /// <summary>
    /// The derivative of the radial terms with respect to r, divided by r, for both axes: times x or y it is the
    /// derivative along x or y. 0 at r = 0, where r is not differentiable.
    /// </summary>
    private void RadialSlopes(double x, double y, out double ka, out double kb)
    {
        double r2 = (x * x) + (y * y);
        if (!(r2 > 0))
        {
            ka = kb = 0;
            return;
        }

        double r = Math.Sqrt(r2);
        ka = (_r1a / r) + (r * ((3 * _r3a) + (r2 * ((5 * _r5a) + (7 * r2 * _r7a)))));
        kb = (_r1b / r) + (r * ((3 * _r3b) + (r2 * ((5 * _r5b) + (7 * r2 * _r7b)))));
    }

    /// <summary>Newton inverse; <paramref name="tolerance"/> is the squared step (degrees²) that ends it.</summary>
    internal bool Invert(double xi, double eta, double tolerance, out double x, out double y)
    {
        if (!double.IsFinite(xi) || !double.IsFinite(eta))
        {
            x = y = double.NaN;
            return false;
        }

        // First guess from the constant and linear terms.
        var linear = new Matrix2x2(_pv1[1], _pv1[2], _pv2[2], _pv2[1]);
        double det = linear.Determinant;
        if (det != 0 && double.IsFinite(det))
        {
            (x, y) = linear.Inverse().Transform(xi - _pv1[0], eta - _pv2[0]);
        }
        else
        {
            x = xi;
            y = eta;
        }

        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            Matrix2x2 j = ValueAndJacobian(x, y, out double fx, out double fy);
            double rx = fx - xi, ry = fy - eta;
            double d = j.Determinant;
            double sx = ((j.M22 * rx) - (j.M12 * ry)) / d;
            double sy = ((j.M11 * ry) - (j.M21 * rx)) / d;
            x -= sx;
            y -= sy;
            double step2 = (sx * sx) + (sy * sy);
            if (!double.IsFinite(step2))
            {
                break;
            }

            if (step2 < tolerance)
            {
                return true;
            }
        }

        Apply(x, y, out double ex, out double ey);
        ex -= xi;
        ey -= eta;
        if ((ex * ex) + (ey * ey) < tolerance)
        {
            return true;
        }

        x = y = double.NaN;
        return false;
    }

    /// <inheritdoc/>
    public bool Equals(TpvDistortion? other) =>
        other is not null && _pv1.AsSpan().SequenceEqual(other._pv1) && _pv2.AsSpan().SequenceEqual(other._pv2);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TpvDistortion);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_pv1[0], _pv1[1], _pv2[0], _pv2[1], Order);

    private static double[] Copy(ReadOnlySpan<double> pv, int axis)
    {
        if (pv.Length > TermCount)
        {
            throw new WcsException($"TPV has at most {TermCount} PV{axis}_k coefficients (k = 0..39), got {pv.Length}");
        }

        var copy = new double[TermCount];
        for (int k = 0; k < pv.Length; k++)
        {
            if (!double.IsFinite(pv[k]))
            {
                throw new WcsException($"TPV coefficient PV{axis}_{k} is not a finite number");
            }

            copy[k] = pv[k];
        }

        return copy;
    }

    private static int Degree(double[] pv)
    {
        int degree = 1;
        for (int k = 0; k < TermCount; k++)
        {
            if (pv[k] != 0)
            {
                int d = 7;
                while (DegreeStart[d] > k)
                {
                    d--;
                }

                degree = Math.Max(degree, d);
            }
        }

        return degree;
    }
}
