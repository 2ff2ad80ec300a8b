using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TweakDrizzle.Wcs;

/// <summary>Which distortion model a <see cref="FitsWcs"/> carries.</summary>
public enum DistortionKind
{
    /// <summary>Plain TAN (gnomonic) projection, no distortion.</summary>
    None,

    /// <summary>TAN-SIP: A/B polynomials on pixel offsets before the CD matrix.</summary>
    Sip,

    /// <summary>TPV: PV polynomials on intermediate coordinates after the CD matrix.</summary>
    Tpv,
}

/// <summary>
/// A celestial FITS world coordinate system (Greisen &amp; Calabretta 2002, Calabretta &amp; Greisen 2002) with the
/// gnomonic (TAN) projection and optional SIP or TPV distortion: pixel ↔ world both ways, one point or spans.
/// </summary>
/// <remarks>
/// <para><b>Conventions.</b> Pixel positions in every method are 0-based: the centre of the first pixel is
/// (0, 0), x runs along NAXIS1. The header keywords keep their FITS meaning: <see cref="Crpix1"/> and
/// <see cref="Crpix2"/> are 1-based like CRPIX1/2. Angles are in degrees; right ascension comes out in
/// [0, 360).</para>
/// <para><b>Model.</b> Pixel offsets (u, v) = (x − (CRPIX1 − 1), y − (CRPIX2 − 1)); SIP adds (f(u, v), g(u, v));
/// the CD matrix gives intermediate coordinates (x', y') in degrees; TPV maps them to (ξ, η); then the TAN
/// projection and the spherical rotation to (CRVAL1, CRVAL2) with LONPOLE (default 180°, or 0° when
/// CRVAL2 = +90°) give (ra, dec). The "intermediate" coordinates of <see cref="PixelToIntermediate(double, double)"/>
/// are the final projection-plane coordinates (after the distortion, before the projection).</para>
/// <para><b>Inverse.</b> World → pixel inverts the projection exactly, then the distortion by Newton
/// iteration (SIP: on A/B, with AP/BP only as the first guess) until the Newton step is below 1e-9 pixel,
/// which leaves an error far below 1e-12 pixel (Newton converges quadratically). Points that
/// are on the far side of the sky from the tangent point, or where the iteration fails, give NaN.</para>
/// <para><b>Thread safety.</b> Immutable: every method may be called from any number of threads at once. The
/// span methods allocate nothing.</para>
/// </remarks>
public sealed partial class FitsWcs : IEquatable<FitsWcs>
{
    private const double D2R = Math.PI / 180.0;
    private const double R2D = 180.0 / Math.PI;

    private readonly double _x0, _y0;
    private readonly double _cd11, _cd12, _cd21, _cd22;
    private readonly double _ci11, _ci12, _ci21, _ci22;
    private readonly double _pixelScaleDeg;

    // Unit vectors in the frame rotated by -CRVAL1 about the pole: e0 is the tangent point, ex and ey the
    // directions of increasing intermediate x and y.
    private readonly double _e0x, _e0y, _e0z, _exx, _exy, _exz, _eyx, _eyy, _eyz;

    /// <summary>Creates a WCS from its parameters.</summary>
    /// <param name="crval1">CRVAL1: right ascension (longitude) of the reference point, degrees.</param>
    /// <param name="crval2">CRVAL2: declination (latitude) of the reference point, degrees, within [−90, 90].</param>
    /// <param name="crpix1">CRPIX1: the reference pixel along x, <b>1-based</b> as in the header.</param>
    /// <param name="crpix2">CRPIX2: the reference pixel along y, 1-based.</param>
    /// <param name="cd">The CD matrix, degrees per pixel.</param>
    /// <param name="sip">SIP distortion, or null.</param>
    /// <param name="tpv">TPV distortion, or null (at most one of <paramref name="sip"/> and <paramref name="tpv"/>).</param>
    /// <param name="lonpole">LONPOLE in degrees, or null for the default (180°, or 0° when CRVAL2 = +90°).</param>
    /// <param name="metadata">Name, frame and image size; null for defaults.</param>
    /// <param name="lookup">HST lookup-table distortions (D2IM, NPOL), or null.</param>
    /// <exception cref="WcsException">A parameter is not finite, CRVAL2 is outside [−90, 90], the CD matrix is
    /// singular, or both SIP and TPV are given, or lookup tables with TPV.</exception>
    public FitsWcs(
        double crval1,
        double crval2,
        double crpix1,
        double crpix2,
        Matrix2x2 cd,
        SipDistortion? sip = null,
        TpvDistortion? tpv = null,
        double? lonpole = null,
        WcsMetadata? metadata = null,
        LookupDistortion? lookup = null)
    {
        if (!double.IsFinite(crval1) || !double.IsFinite(crval2) || !double.IsFinite(crpix1) || !double.IsFinite(crpix2))
        {
            throw new WcsException("CRVAL and CRPIX must be finite numbers");
        }

        if (crval2 is < -90 or > 90)
        {
            throw new WcsException($"CRVAL2 = {crval2} is not a latitude in [-90, 90] degrees");
        }

        if (!cd.IsFinite || cd.Determinant == 0 || !double.IsFinite(cd.Determinant))
        {
            throw new WcsException("the CD matrix is singular: the WCS cannot map pixels to the sky");
        }

        if (sip is not null && tpv is not null)
        {
            throw new WcsException("a WCS cannot have both SIP and TPV distortion");
        }

        if (lookup is not null && tpv is not null)
        {
            throw new WcsException("lookup-table distortions go with SIP or plain TAN, not with TPV");
        }

        if (lonpole is double lp && !double.IsFinite(lp))
        {
            throw new WcsException("LONPOLE must be a finite number");
        }

        Crval1 = crval1;
        Crval2 = crval2;
        Crpix1 = crpix1;
        Crpix2 = crpix2;
        Cd = cd;
        Sip = sip;
        Tpv = tpv;
        Lookup = lookup;
        LonPoleKeyword = lonpole;
        Metadata = metadata ?? new WcsMetadata();
        LonPole = lonpole ?? (crval2 >= 90 ? 0.0 : 180.0);

        _x0 = crpix1 - 1;
        _y0 = crpix2 - 1;
        (_cd11, _cd12, _cd21, _cd22) = (cd.M11, cd.M12, cd.M21, cd.M22);
        Matrix2x2 ci = cd.Inverse();
        (_ci11, _ci12, _ci21, _ci22) = (ci.M11, ci.M12, ci.M21, ci.M22);
        _pixelScaleDeg = Math.Sqrt(Math.Abs(cd.Determinant));

        (double sd0, double cd0) = Matrix2x2.SinCosDegrees(crval2);
        (double sp, double cp) = Matrix2x2.SinCosDegrees(LonPole);

        // Tangent point, local east (0, 1, 0) and north (-sin d0, 0, cos d0) in the rotated frame.
        (_e0x, _e0y, _e0z) = (cd0, 0.0, sd0);
        double nx = -sd0, nz = cd0;

        // ex = -cos(phi_p) east + sin(phi_p) north; ey = -sin(phi_p) east - cos(phi_p) north.
        (_exx, _exy, _exz) = (sp * nx, -cp, sp * nz);
        (_eyx, _eyy, _eyz) = (-cp * nx, -sp, -cp * nz);
    }

    /// <summary>CRVAL1: longitude (right ascension) of the reference point, degrees.</summary>
    public double Crval1 { get; }

    /// <summary>CRVAL2: latitude (declination) of the reference point, degrees.</summary>
    public double Crval2 { get; }

    /// <summary>CRPIX1, <b>1-based</b> as in the FITS header (the 0-based reference pixel is CRPIX1 − 1).</summary>
    public double Crpix1 { get; }

    /// <summary>CRPIX2, 1-based as in the FITS header.</summary>
    public double Crpix2 { get; }

    /// <summary>The 0-based pixel position of the reference pixel: (CRPIX1 − 1, CRPIX2 − 1).</summary>
    public (double X, double Y) ReferencePixel => (_x0, _y0);

    /// <summary>The CD matrix (degrees per pixel); PC + CDELT and CROTA2 headers are converted to it.</summary>
    public Matrix2x2 Cd { get; }

    /// <summary>SIP distortion, or null.</summary>
    public SipDistortion? Sip { get; }

    /// <summary>TPV distortion, or null.</summary>
    public TpvDistortion? Tpv { get; }

    /// <summary>
    /// HST lookup-table distortions (D2IM and NPOL) on top of SIP or TAN, or null. They live in extensions of the
    /// file, not in the header: <see cref="FromFile(string, char)"/> and
    /// <see cref="FromHeader(Fits.FitsHeader, Fits.FitsFile, char)"/> attach them;
    /// <see cref="FromHeader(Fits.FitsHeader, char)"/> alone cannot.
    /// </summary>
    public LookupDistortion? Lookup { get; }

    /// <summary>Which distortion model is present.</summary>
    public DistortionKind Distortion => Sip is not null ? DistortionKind.Sip : Tpv is not null ? DistortionKind.Tpv : DistortionKind.None;

    /// <summary>The native longitude of the celestial pole used, degrees (LONPOLE or its default).</summary>
    public double LonPole { get; }

    /// <summary>LONPOLE as given (null when the default applies); kept so that a header is written back as read.</summary>
    public double? LonPoleKeyword { get; }

    /// <summary>Name, frame and image size.</summary>
    public WcsMetadata Metadata { get; }

    /// <summary>WCSNAME, or null.</summary>
    public string? Name => Metadata.WcsName;

    /// <summary>CTYPE1 as written to a header, for example <c>RA---TAN-SIP</c>.</summary>
    public string CType1 => CType(Metadata.LongitudeType);

    /// <summary>CTYPE2 as written to a header, for example <c>DEC--TAN-SIP</c>.</summary>
    public string CType2 => CType(Metadata.LatitudeType);

    /// <summary>
    /// A plain TAN WCS (no distortion).
    /// </summary>
    /// <param name="crval1">Right ascension of the reference point, degrees.</param>
    /// <param name="crval2">Declination of the reference point, degrees.</param>
    /// <param name="crpix1">CRPIX1, 1-based.</param>
    /// <param name="crpix2">CRPIX2, 1-based.</param>
    /// <param name="cd">CD matrix, degrees per pixel.</param>
    /// <param name="metadata">Name, frame and image size; null for defaults.</param>
    public static FitsWcs CreateTan(double crval1, double crval2, double crpix1, double crpix2, Matrix2x2 cd, WcsMetadata? metadata = null) =>
        new(crval1, crval2, crpix1, crpix2, cd, metadata: metadata);

    /// <summary>
    /// A plain TAN WCS with square pixels of <paramref name="scaleArcsec"/> whose +y axis points at position
    /// angle <paramref name="orientation"/> (degrees east of north), with the usual parity (east to the left
    /// when north is up), as AstroDrizzle builds its output grid from final_scale and final_rot.
    /// </summary>
    /// <param name="crval1">Right ascension of the reference point, degrees.</param>
    /// <param name="crval2">Declination of the reference point, degrees.</param>
    /// <param name="crpix1">CRPIX1, 1-based.</param>
    /// <param name="crpix2">CRPIX2, 1-based.</param>
    /// <param name="scaleArcsec">Pixel scale, arcseconds per pixel (positive).</param>
    /// <param name="orientation">Position angle of the +y axis, degrees east of north (0: north up).</param>
    /// <param name="metadata">Name, frame and image size; null for defaults.</param>
    public static FitsWcs CreateTan(double crval1, double crval2, double crpix1, double crpix2, double scaleArcsec, double orientation, WcsMetadata? metadata = null)
    {
        if (!(scaleArcsec > 0) || !double.IsFinite(scaleArcsec))
        {
            throw new WcsException($"the pixel scale must be a positive number of arcseconds, got {scaleArcsec}");
        }

        double s = scaleArcsec / 3600.0;
        (double sin, double cos) = Matrix2x2.SinCosDegrees(orientation);
        return new FitsWcs(crval1, crval2, crpix1, crpix2, new Matrix2x2(-s * cos, s * sin, s * sin, s * cos), metadata: metadata);
    }

    /// <summary>
    /// A copy with a new reference point and CD matrix, keeping CRPIX, the distortion (SIP or TPV), LONPOLE and the
    /// metadata: the form of a TweakReg/tweakwcs correction.
    /// </summary>
    /// <param name="crval1">New CRVAL1, degrees.</param>
    /// <param name="crval2">New CRVAL2, degrees.</param>
    /// <param name="cd">New CD matrix, degrees per pixel.</param>
    public FitsWcs WithCorrection(double crval1, double crval2, Matrix2x2 cd) =>
        new(crval1, crval2, Crpix1, Crpix2, cd, Sip, Tpv, LonPoleKeyword, Metadata, Lookup);

    /// <summary>A copy with other metadata (name, frame, image size); the mapping is unchanged.</summary>
    /// <param name="metadata">The new metadata.</param>
    public FitsWcs WithMetadata(WcsMetadata metadata) =>
        new(Crval1, Crval2, Crpix1, Crpix2, Cd, Sip, Tpv, LonPoleKeyword, metadata, Lookup);

    /// <summary>A copy with these lookup-table distortions (D2IM, NPOL) added to the SIP or TAN mapping.</summary>
    /// <param name="lookup">The tables, or null for none.</param>
    public FitsWcs WithLookup(LookupDistortion? lookup) =>
        new(Crval1, Crval2, Crpix1, Crpix2, Cd, Sip, Tpv, LonPoleKeyword, Metadata, lookup);

    /// <summary>A copy with WCSNAME set to <paramref name="name"/>.</summary>
    /// <param name="name">The new WCSNAME.</param>
    public FitsWcs WithName(string? name) => WithMetadata(Metadata with { WcsName = name });

    /// <summary>A copy without distortion (the linear TAN part only; lookup tables dropped too).</summary>
    public FitsWcs WithoutDistortion() => new(Crval1, Crval2, Crpix1, Crpix2, Cd, null, null, LonPoleKeyword, Metadata);

    /// <summary>A copy with another reference pixel; the world position of every pixel changes accordingly.</summary>
    /// <param name="crpix1">New CRPIX1, 1-based.</param>
    /// <param name="crpix2">New CRPIX2, 1-based.</param>
    public FitsWcs WithReferencePixel(double crpix1, double crpix2) =>
        new(Crval1, Crval2, crpix1, crpix2, Cd, Sip, Tpv, LonPoleKeyword, Metadata, Lookup);

    // ------------------------------------------------------------------ single points

    /// <summary>Pixel → world for one point, through the full distortion model.</summary>
    /// <param name="x">0-based pixel x.</param>
    /// <param name="y">0-based pixel y.</param>
    /// <returns>Right ascension in [0, 360) and declination, degrees.</returns>
    public (double Ra, double Dec) PixelToWorld(double x, double y)
    {
        PixelToIntermediateAny(x, y, out double xi, out double eta);
        IntermediateToWorldCore(xi, eta, out double ra, out double dec);
        return (ra, dec);
    }

    /// <summary>World → pixel for one point, inverting the full distortion model.</summary>
    /// <param name="ra">Right ascension, degrees (any branch).</param>
    /// <param name="dec">Declination, degrees.</param>
    /// <returns>0-based pixel (x, y), or NaN when the point cannot be mapped.</returns>
    public (double X, double Y) WorldToPixel(double ra, double dec)
    {
        WorldToIntermediateCore(ra, dec, out double xi, out double eta);
        IntermediateToPixelAny(xi, eta, out double x, out double y);
        return (x, y);
    }

    /// <summary>Pixel → projection-plane coordinates (after the distortion, before the TAN projection).</summary>
    /// <param name="x">0-based pixel x.</param>
    /// <param name="y">0-based pixel y.</param>
    /// <returns>(ξ, η) in degrees: ξ grows to the east and η to the north at the reference point when LONPOLE = 180°.</returns>
    public (double Xi, double Eta) PixelToIntermediate(double x, double y)
    {
        PixelToIntermediateAny(x, y, out double xi, out double eta);
        return (xi, eta);
    }

    /// <summary>Projection-plane coordinates → 0-based pixel, inverting the distortion.</summary>
    /// <param name="xi">ξ, degrees.</param>
    /// <param name="eta">η, degrees.</param>
    public (double X, double Y) IntermediateToPixel(double xi, double eta)
    {
        IntermediateToPixelAny(xi, eta, out double x, out double y);
        return (x, y);
    }

    /// <summary>Projection-plane coordinates → world (the TAN projection about CRVAL, inverse direction).</summary>
    /// <param name="xi">ξ, degrees.</param>
    /// <param name="eta">η, degrees.</param>
    public (double Ra, double Dec) IntermediateToWorld(double xi, double eta)
    {
        IntermediateToWorldCore(xi, eta, out double ra, out double dec);
        return (ra, dec);
    }

    /// <summary>World → projection-plane coordinates (the TAN projection about CRVAL).</summary>
    /// <param name="ra">Right ascension, degrees.</param>
    /// <param name="dec">Declination, degrees.</param>
    /// <returns>(ξ, η) in degrees, or NaN for points 90° or more from the tangent point.</returns>
    public (double Xi, double Eta) WorldToIntermediate(double ra, double dec)
    {
        WorldToIntermediateCore(ra, dec, out double xi, out double eta);
        return (xi, eta);
    }

    // ------------------------------------------------------------------ spans

    /// <summary>Pixel → world for many points. Allocation-free; output spans may alias the input spans.</summary>
    /// <param name="x">0-based pixel x.</param>
    /// <param name="y">0-based pixel y.</param>
    /// <param name="ra">Receives right ascension in [0, 360), degrees.</param>
    /// <param name="dec">Receives declination, degrees.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public void PixelToWorld(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> ra, Span<double> dec)
    {
        CheckLengths(x.Length, y.Length, ra.Length, dec.Length);
        int i = 0;
        if (UseSipBlocks)
        {
            Span<double> xi = stackalloc double[4];
            Span<double> eta = stackalloc double[4];
            for (; i + 4 <= x.Length; i += 4)
            {
                SipIntermediateBlock(x.Slice(i, 4), y.Slice(i, 4), xi, eta);
                for (int k = 0; k < 4; k++)
                {
                    IntermediateToWorldCore(xi[k], eta[k], out double r, out double d);
                    ra[i + k] = r;
                    dec[i + k] = d;
                }
            }
        }

        for (; i < x.Length; i++)
        {
            PixelToIntermediateAny(x[i], y[i], out double xi, out double eta);
            IntermediateToWorldCore(xi, eta, out double r, out double d);
            ra[i] = r;
            dec[i] = d;
        }
    }

    /// <summary>World → pixel for many points. Allocation-free; output spans may alias the input spans.</summary>
    /// <param name="ra">Right ascension, degrees.</param>
    /// <param name="dec">Declination, degrees.</param>
    /// <param name="x">Receives 0-based pixel x (NaN where the point cannot be mapped).</param>
    /// <param name="y">Receives 0-based pixel y.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public void WorldToPixel(ReadOnlySpan<double> ra, ReadOnlySpan<double> dec, Span<double> x, Span<double> y)
    {
        CheckLengths(ra.Length, dec.Length, x.Length, y.Length);
        for (int i = 0; i < ra.Length; i++)
        {
            WorldToIntermediateCore(ra[i], dec[i], out double xi, out double eta);
            IntermediateToPixelAny(xi, eta, out double px, out double py);
            x[i] = px;
            y[i] = py;
        }
    }

    /// <summary>
    /// Maps pixel positions of this WCS to pixel positions of <paramref name="target"/> through the sky (full
    /// distortion both ways): the mapping a drizzle pixmap or a blot needs. Allocation-free; outputs may alias inputs.
    /// </summary>
    /// <param name="target">The WCS of the destination frame.</param>
    /// <param name="x">0-based pixel x in this frame.</param>
    /// <param name="y">0-based pixel y in this frame.</param>
    /// <param name="targetX">Receives 0-based x in the target frame (NaN where it cannot be mapped).</param>
    /// <param name="targetY">Receives 0-based y in the target frame.</param>
    public void PixelToPixel(FitsWcs target, ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> targetX, Span<double> targetY)
    {
        ArgumentNullException.ThrowIfNull(target);
        CheckLengths(x.Length, y.Length, targetX.Length, targetY.Length);
        if (Lookup is not null || target.Lookup is not null)
        {
            LookupPixelToPixel(target, x, y, targetX, targetY);
        }
        else
        {
            AnalyticPixelToPixel(target, x, y, targetX, targetY);
        }
    }

    /// <summary><see cref="PixelToPixel"/> without lookup tables: SIP in blocks of four, no trigonometry per point.</summary>
    private void AnalyticPixelToPixel(FitsWcs target, ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> targetX, Span<double> targetY)
    {
        // No trigonometry per point: the direction of each point is built in this WCS's frame, turned about the
        // pole into the target's frame (one rotation by the CRVAL1 difference) and projected there.
        (double s, double c) = Matrix2x2.SinCosDegrees(Crval1 - target.Crval1);
        Span<double> xi4 = stackalloc double[4];
        Span<double> eta4 = stackalloc double[4];
        bool blocks = UseSipBlocks;
        for (int i = 0; i < x.Length; i++)
        {
            double xi, eta;
            int k = i & 3;
            if (blocks && k == 0 && i + 4 <= x.Length)
            {
                SipIntermediateBlock(x.Slice(i, 4), y.Slice(i, 4), xi4, eta4);
            }

            if (blocks && i - k + 4 <= x.Length)
            {
                (xi, eta) = (xi4[k], eta4[k]);
            }
            else
            {
                PixelToIntermediateCore(x[i], y[i], out xi, out eta);
            }

            double a = xi * D2R, b = eta * D2R;
            double nx = _e0x + (a * _exx) + (b * _eyx);
            double ny = _e0y + (a * _exy) + (b * _eyy);
            double nz = _e0z + (a * _exz) + (b * _eyz);
            double tx = (c * nx) - (s * ny);
            double ty = (s * nx) + (c * ny);
            target.DirectionToIntermediate(tx, ty, nz, out double txi, out double teta);
            target.IntermediateToPixelCore(txi, teta, out double px, out double py);
            targetX[i] = px;
            targetY[i] = py;
        }
    }

    /// <summary><see cref="PixelToPixel"/> when either side has lookup tables: the same rotation, point by point.</summary>
    private void LookupPixelToPixel(FitsWcs target, ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> targetX, Span<double> targetY)
    {
        (double s, double c) = Matrix2x2.SinCosDegrees(Crval1 - target.Crval1);
        for (int i = 0; i < x.Length; i++)
        {
            PixelToIntermediateAny(x[i], y[i], out double xi, out double eta);
            double a = xi * D2R, b = eta * D2R;
            double nx = _e0x + (a * _exx) + (b * _eyx);
            double ny = _e0y + (a * _exy) + (b * _eyy);
            double nz = _e0z + (a * _exz) + (b * _eyz);
            target.DirectionToIntermediate((c * nx) - (s * ny), (s * nx) + (c * ny), nz, out double txi, out double teta);
            target.IntermediateToPixelAny(txi, teta, out double px, out double py);
            targetX[i] = px;
            targetY[i] = py;
        }
    }

    /// <summary>Pixel → projection-plane coordinates (degrees) for many points.</summary>
    /// <param name="x">0-based pixel x.</param>
    /// <param name="y">0-based pixel y.</param>
    /// <param name="xi">Receives ξ, degrees.</param>
    /// <param name="eta">Receives η, degrees.</param>
    public void PixelToIntermediate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> xi, Span<double> eta)
    {
        CheckLengths(x.Length, y.Length, xi.Length, eta.Length);
        int i = 0;
        if (UseSipBlocks)
        {
            Span<double> a4 = stackalloc double[4];
            Span<double> b4 = stackalloc double[4];
            for (; i + 4 <= x.Length; i += 4)
            {
                SipIntermediateBlock(x.Slice(i, 4), y.Slice(i, 4), a4, b4);
                a4.CopyTo(xi.Slice(i, 4));
                b4.CopyTo(eta.Slice(i, 4));
            }
        }

        for (; i < x.Length; i++)
        {
            PixelToIntermediateAny(x[i], y[i], out double a, out double b);
            xi[i] = a;
            eta[i] = b;
        }
    }

    /// <summary>Projection-plane coordinates (degrees) → 0-based pixel for many points.</summary>
    /// <param name="xi">ξ, degrees.</param>
    /// <param name="eta">η, degrees.</param>
    /// <param name="x">Receives 0-based pixel x.</param>
    /// <param name="y">Receives 0-based pixel y.</param>
    public void IntermediateToPixel(ReadOnlySpan<double> xi, ReadOnlySpan<double> eta, Span<double> x, Span<double> y)
    {
        CheckLengths(xi.Length, eta.Length, x.Length, y.Length);
        for (int i = 0; i < xi.Length; i++)
        {
            IntermediateToPixelAny(xi[i], eta[i], out double a, out double b);
            x[i] = a;
            y[i] = b;
        }
    }

    /// <summary>Projection-plane coordinates (degrees) → world for many points.</summary>
    /// <param name="xi">ξ, degrees.</param>
    /// <param name="eta">η, degrees.</param>
    /// <param name="ra">Receives right ascension, degrees.</param>
    /// <param name="dec">Receives declination, degrees.</param>
    public void IntermediateToWorld(ReadOnlySpan<double> xi, ReadOnlySpan<double> eta, Span<double> ra, Span<double> dec)
    {
        CheckLengths(xi.Length, eta.Length, ra.Length, dec.Length);
        for (int i = 0; i < xi.Length; i++)
        {
            IntermediateToWorldCore(xi[i], eta[i], out double a, out double b);
            ra[i] = a;
            dec[i] = b;
        }
    }

    /// <summary>World → projection-plane coordinates (degrees) for many points.</summary>
    /// <param name="ra">Right ascension, degrees.</param>
    /// <param name="dec">Declination, degrees.</param>
    /// <param name="xi">Receives ξ, degrees.</param>
    /// <param name="eta">Receives η, degrees.</param>
    public void WorldToIntermediate(ReadOnlySpan<double> ra, ReadOnlySpan<double> dec, Span<double> xi, Span<double> eta)
    {
        CheckLengths(ra.Length, dec.Length, xi.Length, eta.Length);
        for (int i = 0; i < ra.Length; i++)
        {
            WorldToIntermediateCore(ra[i], dec[i], out double a, out double b);
            xi[i] = a;
            eta[i] = b;
        }
    }

    // ------------------------------------------------------------------ local geometry

    /// <summary>
    /// The Jacobian of the projection-plane coordinates with respect to the pixel position,
    /// <c>∂(ξ, η)/∂(x, y)</c>, degrees per pixel (the CD matrix times the distortion's Jacobian).
    /// </summary>
    /// <param name="x">0-based pixel x.</param>
    /// <param name="y">0-based pixel y.</param>
    public Matrix2x2 IntermediateJacobian(double x, double y)
    {
        if (Lookup is not null)
        {
            // The tables are bilinear: central differences over a small step are exact inside a table cell.
            return Cd * FocalPlaneJacobian(x, y, 1e-4);
        }

        double u = x - _x0, v = y - _y0;
        if (Sip is not null)
        {
            return Cd * Sip.Jacobian(u, v);
        }

        if (Tpv is not null)
        {
            (double px, double py) = Cd.Transform(u, v);
            return Tpv.Jacobian(px, py) * Cd;
        }

        return Cd;
    }

    /// <summary>
    /// The local Jacobian of the sky with respect to the pixel position at (x, y): rows are the eastward
    /// (Δα·cos δ) and northward (Δδ) displacements, columns the derivatives along x and y, degrees per pixel.
    /// </summary>
    /// <param name="x">0-based pixel x.</param>
    /// <param name="y">0-based pixel y.</param>
    /// <remarks>Exact (analytic) through the distortion and the projection. Its determinant is negative for the
    /// usual sky parity (east to the left when north is up).</remarks>
    public Matrix2x2 LocalJacobian(double x, double y)
    {
        Matrix2x2 ji = IntermediateJacobian(x, y);
        PixelToIntermediateAny(x, y, out double xi, out double eta);
        double a = xi * D2R, b = eta * D2R;
        double nx = _e0x + (a * _exx) + (b * _eyx);
        double ny = _e0y + (a * _exy) + (b * _eyy);
        double nz = _e0z + (a * _exz) + (b * _eyz);
        double rho = Math.Sqrt((nx * nx) + (ny * ny) + (nz * nz));
        double h = Math.Sqrt((nx * nx) + (ny * ny));
        double ca, sa;
        if (h > 0)
        {
            ca = nx / h;
            sa = ny / h;
        }
        else
        {
            ca = 1;
            sa = 0;
        }

        double sd = nz / rho, cdl = h / rho;

        // Local east (-sin a, cos a, 0) and north (-sin d cos a, -sin d sin a, cos d).
        double eEx = (-sa * _exx) + (ca * _exy), eEy = (-sa * _eyx) + (ca * _eyy);
        double nEx = (-sd * ca * _exx) - (sd * sa * _exy) + (cdl * _exz);
        double nEy = (-sd * ca * _eyx) - (sd * sa * _eyy) + (cdl * _eyz);
        var projection = new Matrix2x2(eEx / rho, eEy / rho, nEx / rho, nEy / rho);
        return projection * ji;
    }

    /// <summary>The local pixel scale at (x, y): the square root of the pixel's area on the sky, arcseconds.</summary>
    /// <param name="x">0-based pixel x.</param>
    /// <param name="y">0-based pixel y.</param>
    public double PixelScale(double x, double y) => Math.Sqrt(Math.Abs(LocalJacobian(x, y).Determinant)) * 3600.0;

    /// <summary>The area on the sky of the pixel at (x, y), square arcseconds.</summary>
    /// <param name="x">0-based pixel x.</param>
    /// <param name="y">0-based pixel y.</param>
    public double PixelArea(double x, double y) => Math.Abs(LocalJacobian(x, y).Determinant) * 3600.0 * 3600.0;

    /// <summary>
    /// The orientation at (x, y): position angle of the +y pixel axis, degrees east of north in (−180, 180]
    /// (HST's ORIENTAT at the reference pixel).
    /// </summary>
    /// <param name="x">0-based pixel x.</param>
    /// <param name="y">0-based pixel y.</param>
    public double Orientation(double x, double y)
    {
        Matrix2x2 j = LocalJacobian(x, y);
        return Math.Atan2(j.M12, j.M22) * R2D;
    }

    /// <summary>
    /// The sky positions of the outer corners of a <paramref name="width"/>×<paramref name="height"/> image
    /// (pixel edges at −0.5 and size − 0.5), in the order (−0.5, −0.5), (w − 0.5, −0.5), (w − 0.5, h − 0.5),
    /// (−0.5, h − 0.5).
    /// </summary>
    /// <param name="width">NAXIS1 of the image; 0 uses <see cref="WcsMetadata.Naxis1"/>.</param>
    /// <param name="height">NAXIS2 of the image; 0 uses <see cref="WcsMetadata.Naxis2"/>.</param>
    /// <exception cref="WcsException">The image size is unknown.</exception>
    public (double Ra, double Dec)[] Footprint(long width = 0, long height = 0)
    {
        long w = width > 0 ? width : Metadata.Naxis1;
        long h = height > 0 ? height : Metadata.Naxis2;
        if (w <= 0 || h <= 0)
        {
            throw new WcsException("the image size is unknown: give the width and height (NAXIS1/NAXIS2 are not set)");
        }

        return
        [
            PixelToWorld(-0.5, -0.5),
            PixelToWorld(w - 0.5, -0.5),
            PixelToWorld(w - 0.5, h - 0.5),
            PixelToWorld(-0.5, h - 0.5),
        ];
    }

    // ------------------------------------------------------------------ equality

    /// <summary>True when both describe the same mapping with bit-identical parameters (metadata ignored).</summary>
    /// <param name="other">The other WCS.</param>
    public bool Equals(FitsWcs? other) =>
        other is not null && Crval1 == other.Crval1 && Crval2 == other.Crval2 && Crpix1 == other.Crpix1
        && Crpix2 == other.Crpix2 && Cd == other.Cd && LonPole == other.LonPole
        && Equals(Sip, other.Sip) && Equals(Tpv, other.Tpv) && Equals(Lookup, other.Lookup);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as FitsWcs);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Crval1, Crval2, Crpix1, Crpix2, Cd, LonPole, Distortion);

    /// <summary>
    /// True when the two WCSs map every pixel of a <paramref name="width"/>×<paramref name="height"/> image to
    /// the same sky position within <paramref name="toleranceArcsec"/> (checked on an 11×11 grid and the corners).
    /// </summary>
    /// <param name="other">The other WCS.</param>
    /// <param name="width">Image width in pixels (NAXIS1).</param>
    /// <param name="height">Image height in pixels (NAXIS2).</param>
    /// <param name="toleranceArcsec">Largest allowed separation, arcseconds.</param>
    public bool IsEquivalentTo(FitsWcs other, double width, double height, double toleranceArcsec = 1e-9)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int j = 0; j <= 10; j++)
        {
            for (int i = 0; i <= 10; i++)
            {
                double x = -0.5 + (width * i / 10.0), y = -0.5 + (height * j / 10.0);
                (double r1, double d1) = PixelToWorld(x, y);
                (double r2, double d2) = other.PixelToWorld(x, y);
                if (!(SphericalGeometry.SeparationDegrees(r1, d1, r2, d2) * 3600.0 <= toleranceArcsec))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>A one-line summary: projection, reference point, reference pixel and scale.</summary>
    public override string ToString() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{CType1}/{CType2} CRVAL=({Crval1}, {Crval2}) CRPIX=({Crpix1}, {Crpix2}) scale={_pixelScaleDeg * 3600:G6}\"/px{(Name is null ? string.Empty : " WCSNAME=" + Name)}");

    // ------------------------------------------------------------------ cores

    /// <summary>True when spans go through the four-lane SIP path.</summary>
    private bool UseSipBlocks => Sip is not null && Lookup is null && Vector256.IsHardwareAccelerated;

    /// <summary>
    /// Pixel → intermediate for four SIP points at once: the same operations per lane as
    /// <see cref="PixelToIntermediateCore"/>, so the results are bit-identical.
    /// </summary>
    private void SipIntermediateBlock(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> xi, Span<double> eta)
    {
        Vector256<double> u = Vector256.Create(x) - Vector256.Create(_x0);
        Vector256<double> v = Vector256.Create(y) - Vector256.Create(_y0);
        Sip!.Apply(u, v, out u, out v);
        ((_cd11 * u) + (_cd12 * v)).CopyTo(xi);
        ((_cd21 * u) + (_cd22 * v)).CopyTo(eta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PixelToIntermediateCore(double x, double y, out double xi, out double eta)
    {
        double u = x - _x0, v = y - _y0;
        SipDistortion? sip = Sip;
        if (sip is not null)
        {
            sip.Apply(u, v, out u, out v);
        }

        xi = (_cd11 * u) + (_cd12 * v);
        eta = (_cd21 * u) + (_cd22 * v);
        TpvDistortion? tpv = Tpv;
        if (tpv is not null)
        {
            tpv.Apply(xi, eta, out xi, out eta);
        }
    }

    /// <summary>Pixel → intermediate through the whole model: the lookup tables when there are any, else the analytic core.</summary>
    private void PixelToIntermediateAny(double x, double y, out double xi, out double eta)
    {
        if (Lookup is not null)
        {
            LookupPixelToIntermediate(x, y, out xi, out eta);
        }
        else
        {
            PixelToIntermediateCore(x, y, out xi, out eta);
        }
    }

    /// <summary>Intermediate → pixel through the whole model (lookup tables when there are any).</summary>
    private void IntermediateToPixelAny(double xi, double eta, out double x, out double y)
    {
        if (Lookup is not null)
        {
            LookupIntermediateToPixel(xi, eta, out x, out y);
        }
        else
        {
            IntermediateToPixelCore(xi, eta, out x, out y);
        }
    }

    /// <summary>Pixel → intermediate with the lookup tables (kept out of line, so the common paths stay small).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void LookupPixelToIntermediate(double x, double y, out double xi, out double eta)
    {
        FocalPlane(x, y, out double fu, out double fv);
        xi = (_cd11 * fu) + (_cd12 * fv);
        eta = (_cd21 * fu) + (_cd22 * fv);
    }

    /// <summary>Intermediate → pixel with the lookup tables (out of line); NaN when the inversion fails.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void LookupIntermediateToPixel(double xi, double eta, out double x, out double y)
    {
        double fu = (_ci11 * xi) + (_ci12 * eta), fv = (_ci21 * xi) + (_ci22 * eta);
        if (!InvertFocalPlane(fu, fv, out x, out y))
        {
            x = y = double.NaN;
        }
    }

    /// <summary>
    /// Pixel → focal plane relative to CRPIX with the lookup tables, in astropy's order: D2IM moves the (1-based)
    /// pixel, then SIP and NPOL are both evaluated at the moved position and added.
    /// </summary>
    private void FocalPlane(double x, double y, out double u, out double v)
    {
        Lookup!.Detector(x + 1, y + 1, out double dx, out double dy);
        u = dx - Crpix1;
        v = dy - Crpix2;
        (double nx, double ny) = Lookup.Npol(dx, dy);
        SipDistortion? sip = Sip;
        if (sip is not null)
        {
            sip.Apply(u, v, out u, out v);
        }

        u += nx;
        v += ny;
    }

    /// <summary>∂(focal plane)/∂(pixel) with the lookup tables, by central differences over ±<paramref name="h"/> pixels.</summary>
    private Matrix2x2 FocalPlaneJacobian(double x, double y, double h)
    {
        FocalPlane(x + h, y, out double a1, out double a2);
        FocalPlane(x - h, y, out double b1, out double b2);
        FocalPlane(x, y + h, out double c1, out double c2);
        FocalPlane(x, y - h, out double d1, out double d2);
        return new Matrix2x2((a1 - b1) / (2 * h), (c1 - d1) / (2 * h), (a2 - b2) / (2 * h), (c2 - d2) / (2 * h));
    }

    /// <summary>
    /// Focal plane → pixel with the lookup tables: Newton's method with the Jacobian of the focal-plane map taken
    /// by central differences once at the start (SIP's inverse, or the target itself, is the first guess); the
    /// tables are bilinear and small, so a fixed Jacobian converges to 1e-10 px in a few steps.
    /// </summary>
    private bool InvertFocalPlane(double u, double v, out double x, out double y)
    {
        double gu = u, gv = v;
        if (Sip is not null && !Sip.Invert(u, v, out gu, out gv))
        {
            (gu, gv) = (u, v);
        }

        x = gu + _x0;
        y = gv + _y0;
        Matrix2x2 j = FocalPlaneJacobian(x, y, 0.5);
        double j11 = j.M11, j12 = j.M12, j21 = j.M21, j22 = j.M22;
        double det = (j11 * j22) - (j12 * j21);
        if (!(Math.Abs(det) > 0) || !double.IsFinite(det))
        {
            return false;
        }

        for (int it = 0; it < 100; it++)
        {
            FocalPlane(x, y, out double fu, out double fv);
            double ru = u - fu, rv = v - fv;
            double sx = ((j22 * ru) - (j12 * rv)) / det, sy = ((j11 * rv) - (j21 * ru)) / det;
            x += sx;
            y += sy;
            if ((sx * sx) + (sy * sy) < 1e-24)
            {
                return double.IsFinite(x) && double.IsFinite(y);
            }
        }

        return false;
    }

    private void IntermediateToPixelCore(double xi, double eta, out double x, out double y)
    {

        TpvDistortion? tpv = Tpv;
        if (tpv is not null)
        {
            double tol = 1e-9 * _pixelScaleDeg;
            if (!tpv.Invert(xi, eta, tol * tol, out xi, out eta))
            {
                x = y = double.NaN;
                return;
            }
        }

        double u = (_ci11 * xi) + (_ci12 * eta);
        double v = (_ci21 * xi) + (_ci22 * eta);
        SipDistortion? sip = Sip;
        if (sip is not null && !sip.Invert(u, v, out u, out v))
        {
            x = y = double.NaN;
            return;
        }

        x = u + _x0;
        y = v + _y0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void IntermediateToWorldCore(double xi, double eta, out double ra, out double dec)
    {
        double a = xi * D2R, b = eta * D2R;
        double nx = _e0x + (a * _exx) + (b * _eyx);
        double ny = _e0y + (a * _exy) + (b * _eyy);
        double nz = _e0z + (a * _exz) + (b * _eyz);
        double r = Crval1 + (Math.Atan2(ny, nx) * R2D);
        dec = Math.Atan2(nz, Math.Sqrt((nx * nx) + (ny * ny))) * R2D;
        if (r < 0)
        {
            r += 360.0;
        }

        if (r >= 360.0)
        {
            r -= 360.0;
        }

        ra = r;
    }

    private void WorldToIntermediateCore(double ra, double dec, out double xi, out double eta)
    {
        if (!(Math.Abs(dec) <= 90))
        {
            xi = eta = double.NaN;
            return;
        }

        (double sa, double ca) = Math.SinCos((ra - Crval1) * D2R);
        (double sd, double cdl) = Math.SinCos(dec * D2R);
        DirectionToIntermediate(cdl * ca, cdl * sa, sd, out xi, out eta);
    }

    /// <summary>Gnomonic projection of a direction (any length) given in the frame rotated by −CRVAL1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void DirectionToIntermediate(double nx, double ny, double nz, out double xi, out double eta)
    {
        double c = (nx * _e0x) + (ny * _e0y) + (nz * _e0z);
        if (!(c > 0))
        {
            xi = eta = double.NaN;
            return;
        }

        double k = R2D / c;
        xi = ((nx * _exx) + (ny * _exy) + (nz * _exz)) * k;
        eta = ((nx * _eyx) + (ny * _eyy) + (nz * _eyz)) * k;
    }

    private static void CheckLengths(int a, int b, int c, int d)
    {
        if (a != b || a != c || a != d)
        {
            throw new ArgumentException($"coordinate spans must have equal lengths (got {a}, {b}, {c}, {d})");
        }
    }

    private string CType(string axis)
    {
        string suffix = Distortion switch { DistortionKind.Sip => "TAN-SIP", DistortionKind.Tpv => "TPV", _ => "TAN" };
        string head = axis.Length >= 4 ? axis[..4] : axis.PadRight(4, '-');
        return head + "-" + suffix;
    }
}
