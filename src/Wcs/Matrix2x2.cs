namespace TweakDrizzle.Wcs;

/// <summary>
/// A 2×2 real matrix <c>[[M11, M12], [M21, M22]]</c>, used for CD matrices and local Jacobians.
/// </summary>
/// <param name="M11">Row 1, column 1 (for a CD matrix: CD1_1).</param>
/// <param name="M12">Row 1, column 2 (CD1_2).</param>
/// <param name="M21">Row 2, column 1 (CD2_1).</param>
/// <param name="M22">Row 2, column 2 (CD2_2).</param>
public readonly record struct Matrix2x2(double M11, double M12, double M21, double M22)
{
    /// <summary>The identity matrix.</summary>
    public static Matrix2x2 Identity => new(1, 0, 0, 1);

    /// <summary>The determinant <c>M11·M22 − M12·M21</c>.</summary>
    public double Determinant => (M11 * M22) - (M12 * M21);

    /// <summary>True when every element is finite.</summary>
    public bool IsFinite => double.IsFinite(M11) && double.IsFinite(M12) && double.IsFinite(M21) && double.IsFinite(M22);

    /// <summary>The inverse matrix.</summary>
    /// <exception cref="WcsException">The matrix is singular (determinant zero or not finite).</exception>
    public Matrix2x2 Inverse()
    {
        double det = Determinant;
        if (det == 0 || !double.IsFinite(det))
        {
            throw new WcsException("the matrix is singular and cannot be inverted");
        }

        double r = 1.0 / det;
        return new Matrix2x2(M22 * r, -M12 * r, -M21 * r, M11 * r);
    }

    /// <summary>The matrix product <c>this · other</c>.</summary>
    /// <param name="other">The right-hand factor.</param>
    public Matrix2x2 Multiply(Matrix2x2 other) => new(
        (M11 * other.M11) + (M12 * other.M21),
        (M11 * other.M12) + (M12 * other.M22),
        (M21 * other.M11) + (M22 * other.M21),
        (M21 * other.M12) + (M22 * other.M22));

    /// <summary>The product of this matrix with the column vector (x, y).</summary>
    /// <param name="x">First component.</param>
    /// <param name="y">Second component.</param>
    public (double X, double Y) Transform(double x, double y) => ((M11 * x) + (M12 * y), (M21 * x) + (M22 * y));

    /// <summary>Every element multiplied by <paramref name="factor"/>.</summary>
    /// <param name="factor">The scale factor.</param>
    public Matrix2x2 Scale(double factor) => new(M11 * factor, M12 * factor, M21 * factor, M22 * factor);

    /// <summary>The matrix product <c>a · b</c>.</summary>
    /// <param name="a">Left factor.</param>
    /// <param name="b">Right factor.</param>
    public static Matrix2x2 operator *(Matrix2x2 a, Matrix2x2 b) => a.Multiply(b);

    /// <summary>
    /// The rotation matrix by <paramref name="angleDegrees"/> counter-clockwise: <c>[[cos, −sin], [sin, cos]]</c>.
    /// </summary>
    /// <param name="angleDegrees">The angle in degrees.</param>
    public static Matrix2x2 Rotation(double angleDegrees)
    {
        (double s, double c) = SinCosDegrees(angleDegrees);
        return new Matrix2x2(c, -s, s, c);
    }

    /// <summary>Sine and cosine of an angle in degrees, exact at multiples of 90°.</summary>
    internal static (double Sin, double Cos) SinCosDegrees(double degrees)
    {
        double r = Math.IEEERemainder(degrees, 360.0);
        if (r == 0)
        {
            return (0, 1);
        }

        if (r == 90)
        {
            return (1, 0);
        }

        if (r == -90)
        {
            return (-1, 0);
        }

        if (r == 180 || r == -180)
        {
            return (0, -1);
        }

        return Math.SinCos(r * (Math.PI / 180.0));
    }
}
