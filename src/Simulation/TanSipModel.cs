using System.Globalization;

namespace TweakDrizzle.Simulation;

/// <summary>One term of a SIP distortion polynomial: A_p_q and B_p_q multiply u^p v^q.</summary>
/// <param name="P">Power of u (the x offset from CRPIX, pixels).</param>
/// <param name="Q">Power of v (the y offset from CRPIX, pixels).</param>
/// <param name="A">The A_p_q coefficient (x correction).</param>
/// <param name="B">The B_p_q coefficient (y correction).</param>
public readonly record struct SipTerm(int P, int Q, double A, double B);

/// <summary>One FITS header card (key, value, comment) that describes part of a WCS.</summary>
/// <param name="Key">The keyword.</param>
/// <param name="Value">A string, double, int or bool.</param>
/// <param name="Comment">The comment.</param>
public readonly record struct WcsCard(string Key, object Value, string Comment);

/// <summary>Maps pixels to the sky and back; what the renderer projects every source through.</summary>
/// <remarks>Pixel coordinates are 0-based with the centre of the first pixel at (0, 0); angles in degrees.</remarks>
public interface IPixelSkyMapping
{
    /// <summary>Pixel positions to right ascension and declination (degrees).</summary>
    /// <param name="x">0-based x (column).</param>
    /// <param name="y">0-based y (row).</param>
    /// <param name="ra">Output right ascensions.</param>
    /// <param name="dec">Output declinations.</param>
    void PixelToWorld(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> ra, Span<double> dec);

    /// <summary>Sky positions (degrees) to 0-based pixel positions, inverting any distortion.</summary>
    /// <param name="ra">Right ascensions.</param>
    /// <param name="dec">Declinations.</param>
    /// <param name="x">Output 0-based x.</param>
    /// <param name="y">Output 0-based y.</param>
    void WorldToPixel(ReadOnlySpan<double> ra, ReadOnlySpan<double> dec, Span<double> x, Span<double> y);
}

/// <summary>
/// A gnomonic (TAN) WCS with optional SIP distortion, implemented here independently of
/// <c>TweakDrizzle.Wcs</c> so the simulated truth does not depend on the code under test.
/// </summary>
/// <remarks>
/// Pixel → world: u = x - (CRPIX1 - 1), v = y - (CRPIX2 - 1); (ξ, η) = CD · (u + A(u,v), v + B(u,v));
/// then the inverse gnomonic projection about CRVAL. World → pixel inverts the polynomial by Newton
/// iteration (no AP/BP are needed). Immutable and thread-safe.
/// </remarks>
public sealed class TanSipModel : IPixelSkyMapping
{
    private const double Deg = Math.PI / 180.0;
    private readonly Polynomial2 _a;
    private readonly Polynomial2 _b;
    private readonly double _i11, _i12, _i21, _i22;

    /// <summary>Creates the model.</summary>
    /// <param name="crpix1">CRPIX1 (1-based, as in the header).</param>
    /// <param name="crpix2">CRPIX2 (1-based).</param>
    /// <param name="crval1">CRVAL1, right ascension of the reference point (degrees).</param>
    /// <param name="crval2">CRVAL2, declination of the reference point (degrees).</param>
    /// <param name="cd">The CD matrix [[CD1_1, CD1_2], [CD2_1, CD2_2]] in degrees per pixel.</param>
    /// <param name="sip">SIP terms (order 2 and higher); empty for a plain TAN WCS.</param>
    public TanSipModel(double crpix1, double crpix2, double crval1, double crval2, double[,] cd, IReadOnlyList<SipTerm>? sip = null)
    {
        ArgumentNullException.ThrowIfNull(cd);
        CrPix1 = crpix1;
        CrPix2 = crpix2;
        CrVal1 = crval1;
        CrVal2 = crval2;
        Cd11 = cd[0, 0];
        Cd12 = cd[0, 1];
        Cd21 = cd[1, 0];
        Cd22 = cd[1, 1];
        double det = (Cd11 * Cd22) - (Cd12 * Cd21);
        if (det == 0 || !double.IsFinite(det))
        {
            throw new ArgumentException("The CD matrix is singular.", nameof(cd));
        }

        _i11 = Cd22 / det;
        _i12 = -Cd12 / det;
        _i21 = -Cd21 / det;
        _i22 = Cd11 / det;
        Sip = sip?.Where(t => t.P + t.Q >= 2).OrderBy(t => t.P + t.Q).ThenByDescending(t => t.P).ToArray() ?? [];
        SipOrder = Sip.Count == 0 ? 0 : Sip.Max(t => t.P + t.Q);
        _a = new Polynomial2(Math.Max(SipOrder, 1));
        _b = new Polynomial2(Math.Max(SipOrder, 1));
        foreach (SipTerm t in Sip)
        {
            _a.C[t.P, t.Q] = t.A;
            _b.C[t.P, t.Q] = t.B;
        }
    }

    /// <summary>CRPIX1 (1-based).</summary>
    public double CrPix1 { get; }

    /// <summary>CRPIX2 (1-based).</summary>
    public double CrPix2 { get; }

    /// <summary>CRVAL1 (degrees).</summary>
    public double CrVal1 { get; }

    /// <summary>CRVAL2 (degrees).</summary>
    public double CrVal2 { get; }

    /// <summary>CD1_1 (degrees per pixel).</summary>
    public double Cd11 { get; }

    /// <summary>CD1_2 (degrees per pixel).</summary>
    public double Cd12 { get; }

    /// <summary>CD2_1 (degrees per pixel).</summary>
    public double Cd21 { get; }

    /// <summary>CD2_2 (degrees per pixel).</summary>
    public double Cd22 { get; }

    /// <summary>The SIP terms (empty for plain TAN).</summary>
    public IReadOnlyList<SipTerm> Sip { get; }

    /// <summary>The SIP order (A_ORDER = B_ORDER), 0 without distortion.</summary>
    public int SipOrder { get; }

    /// <summary>The mean pixel scale, sqrt|det CD|, in arcseconds.</summary>
    public double PixelScaleArcsec => Math.Sqrt(Math.Abs((Cd11 * Cd22) - (Cd12 * Cd21))) * 3600.0;

    /// <summary>A copy with another reference point and CD matrix (same CRPIX and SIP).</summary>
    /// <param name="crval1">New CRVAL1.</param>
    /// <param name="crval2">New CRVAL2.</param>
    /// <param name="cd">New CD matrix.</param>
    /// <returns>The new model.</returns>
    public TanSipModel WithPointing(double crval1, double crval2, double[,] cd) => new(CrPix1, CrPix2, crval1, crval2, cd, Sip);

    /// <summary>The CD matrix as a new 2x2 array.</summary>
    /// <returns>[[CD1_1, CD1_2], [CD2_1, CD2_2]].</returns>
    public double[,] GetCd() => new[,] { { Cd11, Cd12 }, { Cd21, Cd22 } };

    /// <summary>One pixel position to the sky.</summary>
    /// <param name="x">0-based x.</param>
    /// <param name="y">0-based y.</param>
    /// <returns>(ra, dec) in degrees, ra in [0, 360).</returns>
    public (double Ra, double Dec) PixelToWorld(double x, double y)
    {
        double u = x - (CrPix1 - 1.0), v = y - (CrPix2 - 1.0);
        double uu = u, vv = v;
        if (SipOrder > 0)
        {
            uu += _a.Evaluate(u, v);
            vv += _b.Evaluate(u, v);
        }

        double xi = (Cd11 * uu) + (Cd12 * vv);
        double eta = (Cd21 * uu) + (Cd22 * vv);
        return SkyMath.InverseGnomonic(CrVal1, CrVal2, xi, eta);
    }

    /// <summary>One sky position to a pixel position (Newton inversion of the SIP polynomial).</summary>
    /// <param name="ra">Right ascension (degrees).</param>
    /// <param name="dec">Declination (degrees).</param>
    /// <returns>0-based (x, y); NaN for points on the far hemisphere.</returns>
    public (double X, double Y) WorldToPixel(double ra, double dec)
    {
        (double xi, double eta) = SkyMath.Gnomonic(CrVal1, CrVal2, ra, dec);
        if (double.IsNaN(xi))
        {
            return (double.NaN, double.NaN);
        }

        double tu = (_i11 * xi) + (_i12 * eta);
        double tv = (_i21 * xi) + (_i22 * eta);
        double u = tu, v = tv;
        if (SipOrder > 0)
        {
            for (int it = 0; it < 50; it++)
            {
                double fu = u + _a.Evaluate(u, v) - tu;
                double fv = v + _b.Evaluate(u, v) - tv;
                (double adu, double adv) = Gradient(_a, u, v);
                (double bdu, double bdv) = Gradient(_b, u, v);
                double j11 = 1 + adu, j12 = adv, j21 = bdu, j22 = 1 + bdv;
                double det = (j11 * j22) - (j12 * j21);
                double du = ((j22 * fu) - (j12 * fv)) / det;
                double dv = ((j11 * fv) - (j21 * fu)) / det;
                u -= du;
                v -= dv;
                if (Math.Abs(du) + Math.Abs(dv) < 1e-12)
                {
                    break;
                }
            }
        }

        return (u + CrPix1 - 1.0, v + CrPix2 - 1.0);
    }

    /// <inheritdoc/>
    public void PixelToWorld(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> ra, Span<double> dec)
    {
        for (int i = 0; i < x.Length; i++)
        {
            (ra[i], dec[i]) = PixelToWorld(x[i], y[i]);
        }
    }

    /// <inheritdoc/>
    public void WorldToPixel(ReadOnlySpan<double> ra, ReadOnlySpan<double> dec, Span<double> x, Span<double> y)
    {
        for (int i = 0; i < ra.Length; i++)
        {
            (x[i], y[i]) = WorldToPixel(ra[i], dec[i]);
        }
    }

    /// <summary>The header cards of this WCS (CTYPE, CRPIX, CRVAL, CD, and A/B SIP terms), in the usual order.</summary>
    /// <param name="wcsName">The WCSNAME value, or null to leave it out.</param>
    /// <param name="alt">' ' for the primary description, or a letter A–Z for an alternate one (keywords get the
    /// letter appended; the SIP cards, which have no alternate form, are left out).</param>
    /// <returns>The cards.</returns>
    public IReadOnlyList<WcsCard> ToHeaderCards(string? wcsName = null, char alt = ' ')
    {
        if (alt != ' ' && alt is not (>= 'A' and <= 'Z'))
        {
            throw new ArgumentOutOfRangeException(nameof(alt), alt, "An alternate WCS key is a letter A-Z (or ' ' for the primary WCS).");
        }

        string k = alt == ' ' ? string.Empty : alt.ToString();
        var cards = new List<WcsCard>();
        if (wcsName is not null)
        {
            cards.Add(new("WCSNAME" + k, wcsName, "name of the world coordinate system"));
        }

        string suffix = SipOrder > 0 ? "-SIP" : string.Empty;
        string sipNote = SipOrder > 0 ? " with SIP distortion" : string.Empty;
        cards.Add(new("WCSAXES" + k, 2, "number of World Coordinate System axes"));
        cards.Add(new("CTYPE1" + k, "RA---TAN" + suffix, "gnomonic projection" + sipNote));
        cards.Add(new("CTYPE2" + k, "DEC--TAN" + suffix, "gnomonic projection" + sipNote));
        cards.Add(new("CRPIX1" + k, CrPix1, "x reference pixel (1-based)"));
        cards.Add(new("CRPIX2" + k, CrPix2, "y reference pixel (1-based)"));
        cards.Add(new("CRVAL1" + k, CrVal1, "right ascension of the reference pixel [deg]"));
        cards.Add(new("CRVAL2" + k, CrVal2, "declination of the reference pixel [deg]"));
        cards.Add(new("CUNIT1" + k, "deg", "units of CRVAL1 and CD1_j"));
        cards.Add(new("CUNIT2" + k, "deg", "units of CRVAL2 and CD2_j"));
        cards.Add(new("CD1_1" + k, Cd11, "partial of RA w.r.t. x [deg/pixel]"));
        cards.Add(new("CD1_2" + k, Cd12, "partial of RA w.r.t. y [deg/pixel]"));
        cards.Add(new("CD2_1" + k, Cd21, "partial of Dec w.r.t. x [deg/pixel]"));
        cards.Add(new("CD2_2" + k, Cd22, "partial of Dec w.r.t. y [deg/pixel]"));
        if (SipOrder > 0 && alt == ' ')
        {
            cards.Add(new("A_ORDER", SipOrder, "SIP polynomial order, axis 1"));
            foreach (SipTerm t in Sip)
            {
                cards.Add(new(string.Create(CultureInfo.InvariantCulture, $"A_{t.P}_{t.Q}"), t.A, "SIP distortion coefficient"));
            }

            cards.Add(new("B_ORDER", SipOrder, "SIP polynomial order, axis 2"));
            foreach (SipTerm t in Sip)
            {
                cards.Add(new(string.Create(CultureInfo.InvariantCulture, $"B_{t.P}_{t.Q}"), t.B, "SIP distortion coefficient"));
            }
        }

        return cards;
    }

    private static (double Du, double Dv) Gradient(Polynomial2 p, double u, double v)
    {
        double du = 0, dv = 0;
        for (int i = 0; i <= p.Order; i++)
        {
            for (int j = 0; i + j <= p.Order; j++)
            {
                double c = p.C[i, j];
                if (c == 0)
                {
                    continue;
                }

                if (i > 0)
                {
                    du += c * i * Math.Pow(u, i - 1) * Math.Pow(v, j);
                }

                if (j > 0)
                {
                    dv += c * j * Math.Pow(u, i) * Math.Pow(v, j - 1);
                }
            }
        }

        return (du, dv);
    }
}
