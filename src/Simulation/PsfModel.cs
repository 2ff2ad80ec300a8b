namespace TweakDrizzle.Simulation;

/// <summary>
/// A point-spread function on the detector, integrated over square pixels when rendered.
/// </summary>
/// <remarks>
/// <see cref="Gaussian(double)"/> is integrated exactly (a product of error-function differences);
/// <see cref="Moffat(double, double)"/> is integrated by sub-pixel sampling (4x4 samples per pixel within
/// 1 FWHM of the centre, 2x2 out to 2.5 FWHM, the pixel centre beyond, each sample
/// with the h²/24·∇²f midpoint correction: about 1e-3 of a pixel's value at worst, 5e-5 of the flux in all). Stamps are truncated where the
/// profile drops below a surface brightness floor, so a few electrons in the far wings of bright stars
/// are not rendered. Immutable and thread-safe.
/// </remarks>
public abstract class PsfModel
{
    private protected PsfModel(double fwhm)
    {
        if (!(fwhm > 0.1) || !double.IsFinite(fwhm))
        {
            throw new ArgumentOutOfRangeException(nameof(fwhm), fwhm, "The PSF FWHM must be larger than 0.1 pixel.");
        }

        Fwhm = fwhm;
    }

    /// <summary>The full width at half maximum, in pixels.</summary>
    public double Fwhm { get; }

    /// <summary>The largest stamp half-width (pixels) any star is rendered with.</summary>
    public int MaxStampRadius { get; init; } = 64;

    /// <summary>A circular Gaussian PSF.</summary>
    /// <param name="fwhm">FWHM in pixels (1.5–2.5 gives undersampled, HST-like images).</param>
    /// <returns>The PSF.</returns>
    public static PsfModel Gaussian(double fwhm) => new GaussianPsf(fwhm);

    /// <summary>A circular Moffat PSF, I(r) ∝ (1 + r²/α²)^-β: a core with power-law wings.</summary>
    /// <param name="fwhm">FWHM in pixels.</param>
    /// <param name="beta">The wing exponent β (&gt; 1; 2.5 is a common choice).</param>
    /// <returns>The PSF.</returns>
    public static PsfModel Moffat(double fwhm, double beta = 2.5) => new MoffatPsf(fwhm, beta);

    /// <summary>The unit-flux surface brightness at distance <paramref name="r"/> pixels from the centre (per pixel²).</summary>
    /// <param name="r">Distance in pixels.</param>
    /// <returns>The profile value.</returns>
    public abstract double Profile(double r);

    /// <summary>The fraction of the total flux inside a circle of radius <paramref name="r"/> pixels.</summary>
    /// <param name="r">Radius in pixels.</param>
    /// <returns>The encircled energy, between 0 and 1.</returns>
    public abstract double EncircledEnergy(double r);

    /// <summary>
    /// The half-width of the stamp needed for a star of <paramref name="flux"/> so that the profile beyond it is
    /// below <paramref name="floor"/> (same units as flux, per pixel).
    /// </summary>
    /// <param name="flux">Total flux.</param>
    /// <param name="floor">Surface-brightness floor (per pixel); positive.</param>
    /// <returns>The radius in whole pixels, between 2 and <see cref="MaxStampRadius"/>.</returns>
    public int StampRadius(double flux, double floor)
    {
        double r = RadiusAtLevel(floor / Math.Max(flux, 1e-300));
        return (int)Math.Clamp(Math.Ceiling(r), 2, MaxStampRadius);
    }

    /// <summary>
    /// Renders a unit-flux star centred at (x, y) (0-based pixel coordinates of the stamp's own grid) into a
    /// stamp of <paramref name="width"/> x <paramref name="height"/> pixels.
    /// </summary>
    /// <param name="x">Star x within the stamp (pixel centres at integers).</param>
    /// <param name="y">Star y within the stamp.</param>
    /// <param name="width">Stamp width.</param>
    /// <param name="height">Stamp height.</param>
    /// <returns>The pixel-integrated values, row-major (index y*width+x).</returns>
    public double[] RenderStamp(double x, double y, int width, int height)
    {
        var stamp = new double[width * height];
        AddTo(stamp, width, 0, height, x, y, 1.0, 0, width - 1, 0, height - 1);
        return stamp;
    }

    /// <summary>The radius (pixels) where the unit-flux profile equals <paramref name="level"/>.</summary>
    internal abstract double RadiusAtLevel(double level);

    /// <summary>
    /// Adds flux·PSF for pixels [x0..x1] x [y0..y1] (image coordinates) into <paramref name="band"/>, which holds
    /// image rows [bandStart, bandStart + bandRows) of width <paramref name="nx"/>.
    /// </summary>
    internal abstract void AddTo(double[] band, int nx, int bandStart, int bandRows, double x, double y, double flux, int x0, int x1, int y0, int y1);
}

/// <summary>A circular Gaussian, integrated exactly over pixels.</summary>
internal sealed class GaussianPsf : PsfModel
{
    private readonly double _sigma;

    public GaussianPsf(double fwhm)
        : base(fwhm)
    {
        _sigma = fwhm / (2.0 * Math.Sqrt(2.0 * Math.Log(2.0)));
    }

    public override double Profile(double r) => Math.Exp(-0.5 * r * r / (_sigma * _sigma)) / (2 * Math.PI * _sigma * _sigma);

    public override double EncircledEnergy(double r) => 1.0 - Math.Exp(-0.5 * r * r / (_sigma * _sigma));

    internal override double RadiusAtLevel(double level)
    {
        double peak = 1.0 / (2 * Math.PI * _sigma * _sigma);
        return level >= peak ? 0 : _sigma * Math.Sqrt(2.0 * Math.Log(peak / level));
    }

    internal override void AddTo(double[] band, int nx, int bandStart, int bandRows, double x, double y, double flux, int x0, int x1, int y0, int y1)
    {
        int ya = Math.Max(y0, bandStart), yb = Math.Min(y1, bandStart + bandRows - 1);
        if (ya > yb || x0 > x1)
        {
            return;
        }

        Span<double> ex = x1 - x0 + 1 <= 512 ? stackalloc double[x1 - x0 + 1] : new double[x1 - x0 + 1];
        for (int i = x0; i <= x1; i++)
        {
            ex[i - x0] = SpecialFunctions.GaussianInterval(i - 0.5 - x, i + 0.5 - x, _sigma);
        }

        for (int j = ya; j <= yb; j++)
        {
            double ey = flux * SpecialFunctions.GaussianInterval(j - 0.5 - y, j + 0.5 - y, _sigma);
            int row = (j - bandStart) * nx;
            for (int i = x0; i <= x1; i++)
            {
                band[row + i] += ey * ex[i - x0];
            }
        }
    }
}

/// <summary>A circular Moffat profile, integrated by adaptive sub-pixel sampling.</summary>
internal sealed class MoffatPsf : PsfModel
{
    private readonly double _beta;
    private readonly int _betaInt;
    private readonly int _betaKind;
    private readonly double _alpha2;
    private readonly double _norm;

    public MoffatPsf(double fwhm, double beta)
        : base(fwhm)
    {
        if (!(beta > 1.0) || !double.IsFinite(beta))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "The Moffat beta must be larger than 1.");
        }

        _beta = beta;
        _betaInt = (int)Math.Floor(beta);
        _betaKind = beta > 64 ? 0 : beta == _betaInt ? 1 : beta - _betaInt == 0.5 ? 2 : 0;
        double alpha = fwhm / (2.0 * Math.Sqrt(Math.Pow(2.0, 1.0 / beta) - 1.0));
        _alpha2 = alpha * alpha;
        _norm = (beta - 1.0) / (Math.PI * _alpha2);
    }

    public override double Profile(double r) => _norm * Math.Pow(1.0 + (r * r / _alpha2), -_beta);

    public override double EncircledEnergy(double r) => 1.0 - Math.Pow(1.0 + (r * r / _alpha2), 1.0 - _beta);

    /// <summary>sb^-β, with a fast path for the common integer and half-integer β.</summary>
    private double PowNegBeta(double sb)
    {
        switch (_betaKind)
        {
            case 1:
                return 1.0 / IntPow(sb, _betaInt);
            case 2:
                return 1.0 / (IntPow(sb, _betaInt) * Math.Sqrt(sb));
            default:
                return Math.Pow(sb, -_beta);
        }
    }

    private static double IntPow(double x, int n)
    {
        double r = 1;
        while (n > 0)
        {
            if ((n & 1) != 0)
            {
                r *= x;
            }

            x *= x;
            n >>= 1;
        }

        return r;
    }

    internal override double RadiusAtLevel(double level)
    {
        if (level >= _norm)
        {
            return 0;
        }

        return Math.Sqrt(_alpha2 * (Math.Pow(_norm / level, 1.0 / _beta) - 1.0));
    }

    internal override void AddTo(double[] band, int nx, int bandStart, int bandRows, double x, double y, double flux, int x0, int x1, int y0, int y1)
    {
        int ya = Math.Max(y0, bandStart), yb = Math.Min(y1, bandStart + bandRows - 1);
        double inner2 = Fwhm * Fwhm;
        double mid2 = 6.25 * Fwhm * Fwhm;
        double invA2 = 1.0 / _alpha2;
        double lap1 = -4.0 * _beta * invA2, lap2 = 4.0 * _beta * (_beta + 1) * invA2 * invA2;
        double scale = flux * _norm;
        for (int j = ya; j <= yb; j++)
        {
            int row = (j - bandStart) * nx;
            double dy = j - y;
            for (int i = x0; i <= x1; i++)
            {
                double dx = i - x;
                double d2 = (dx * dx) + (dy * dy);
                int n = d2 < inner2 ? 4 : d2 < mid2 ? 2 : 1;
                double step = 1.0 / n;
                double start = -0.5 + (0.5 * step);
                double corr = step * step / 24.0;
                double sum = 0;
                for (int b = 0; b < n; b++)
                {
                    double sy = dy + start + (b * step);
                    double sy2 = sy * sy;
                    for (int a = 0; a < n; a++)
                    {
                        double sx = dx + start + (a * step);
                        double r2 = (sx * sx) + sy2;
                        double sb = 1.0 + (r2 * invA2);
                        double f = PowNegBeta(sb);

                        // midpoint rule with the Laplacian correction h²/24·∇²f: fourth-order accurate.
                        sum += f * (1.0 + (corr * ((lap1 / sb) + (lap2 * r2 / (sb * sb)))));
                    }
                }

                sum /= n * n;
                band[row + i] += scale * sum;
            }
        }
    }
}
