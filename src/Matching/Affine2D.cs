namespace TweakDrizzle.Matching;

/// <summary>
/// A linear map of the plane: <c>ref = M · in + t</c> with <c>M = [[A, B], [C, D]]</c> and <c>t = (Tx, Ty)</c>,
/// in 0-based pixels.
/// </summary>
/// <param name="A">M[0,0].</param>
/// <param name="B">M[0,1].</param>
/// <param name="C">M[1,0].</param>
/// <param name="D">M[1,1].</param>
/// <param name="Tx">Shift in x.</param>
/// <param name="Ty">Shift in y.</param>
public readonly record struct Affine2D(double A, double B, double C, double D, double Tx, double Ty)
{
    /// <summary>The identity map.</summary>
    public static Affine2D Identity => new(1, 0, 0, 1, 0, 0);

    /// <summary>Determinant of M (negative for a parity flip).</summary>
    public double Determinant => (A * D) - (B * C);

    /// <summary>Mean linear scale, <c>sqrt(|det M|)</c>.</summary>
    public double Scale => Math.Sqrt(Math.Abs(Determinant));

    /// <summary>A pure shift.</summary>
    /// <param name="tx">Shift in x.</param>
    /// <param name="ty">Shift in y.</param>
    /// <returns>The map <c>ref = in + t</c>.</returns>
    public static Affine2D Translation(double tx, double ty) => new(1, 0, 0, 1, tx, ty);

    /// <summary>A similarity: scale, counter-clockwise rotation (degrees), optional flip of the input y axis, then shift.</summary>
    /// <param name="scale">Scale factor.</param>
    /// <param name="rotationDeg">Rotation in degrees (x towards y).</param>
    /// <param name="flip">True to mirror the input (y → −y) before rotating.</param>
    /// <param name="tx">Shift in x.</param>
    /// <param name="ty">Shift in y.</param>
    /// <returns>The map.</returns>
    public static Affine2D Similarity(double scale, double rotationDeg, bool flip, double tx, double ty)
    {
        double th = rotationDeg * Math.PI / 180.0;
        double c = scale * Math.Cos(th), s = scale * Math.Sin(th);
        double p = flip ? -1.0 : 1.0;
        return new Affine2D(c, -s * p, s, c * p, tx, ty);
    }

    /// <summary>Applies the map to one point.</summary>
    /// <param name="x">Input x.</param>
    /// <param name="y">Input y.</param>
    /// <returns>The mapped point.</returns>
    public (double X, double Y) Apply(double x, double y) => ((A * x) + (B * y) + Tx, (C * x) + (D * y) + Ty);

    /// <summary>The inverse map.</summary>
    /// <returns>The map from the reference frame back to the input frame.</returns>
    /// <exception cref="MatchingException">M is singular.</exception>
    public Affine2D Inverse()
    {
        double det = Determinant;
        if (det == 0 || !double.IsFinite(det))
        {
            throw new MatchingException("the transformation is singular and has no inverse");
        }

        double ia = D / det, ib = -B / det, ic = -C / det, id = A / det;
        return new Affine2D(ia, ib, ic, id, -((ia * Tx) + (ib * Ty)), -((ic * Tx) + (id * Ty)));
    }

    /// <summary>The map <c>this ∘ first</c>: apply <paramref name="first"/>, then this.</summary>
    /// <param name="first">The map applied first.</param>
    /// <returns>The composition.</returns>
    public Affine2D After(Affine2D first) => new(
        (A * first.A) + (B * first.C),
        (A * first.B) + (B * first.D),
        (C * first.A) + (D * first.C),
        (C * first.B) + (D * first.D),
        (A * first.Tx) + (B * first.Ty) + Tx,
        (C * first.Tx) + (D * first.Ty) + Ty);
}

/// <summary>The fit geometries of TweakReg and tweakwcs.</summary>
public enum FitGeometry
{
    /// <summary>Shift only (2 parameters).</summary>
    Shift,

    /// <summary>Shift and rotation (3 parameters, scale fixed to 1; parity follows the data).</summary>
    RShift,

    /// <summary>Shift, rotation and one scale (4 parameters; parity follows the data).</summary>
    RScale,

    /// <summary>Full affine (6 parameters).</summary>
    General,
}

/// <summary>Helpers for <see cref="FitGeometry"/>.</summary>
public static class FitGeometryExtensions
{
    /// <summary>Number of free parameters of the geometry.</summary>
    /// <param name="geometry">The geometry.</param>
    /// <returns>2, 3, 4 or 6.</returns>
    public static int ParameterCount(this FitGeometry geometry) => geometry switch
    {
        FitGeometry.Shift => 2,
        FitGeometry.RShift => 3,
        FitGeometry.RScale => 4,
        _ => 6,
    };

    /// <summary>The lower-case name TweakReg uses (<c>shift</c>, <c>rshift</c>, <c>rscale</c>, <c>general</c>).</summary>
    /// <param name="geometry">The geometry.</param>
    /// <returns>The name.</returns>
    public static string ToName(this FitGeometry geometry) => geometry switch
    {
        FitGeometry.Shift => "shift",
        FitGeometry.RShift => "rshift",
        FitGeometry.RScale => "rscale",
        _ => "general",
    };

    /// <summary>Parses a TweakReg geometry name (case-insensitive).</summary>
    /// <param name="name">shift, rshift, rscale or general.</param>
    /// <returns>The geometry.</returns>
    /// <exception cref="MatchingException">Unknown name.</exception>
    public static FitGeometry Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "shift" => FitGeometry.Shift,
        "rshift" => FitGeometry.RShift,
        "rscale" => FitGeometry.RScale,
        "general" => FitGeometry.General,
        _ => throw new MatchingException($"unknown fit geometry '{name}' (use shift, rshift, rscale or general)"),
    };
}
