namespace TweakDrizzle.SourceFinder;

/// <summary>
/// The DAOFIND "lowered, truncated elliptical Gaussian" density kernel, exactly as photutils 1.6
/// <c>_StarFinderKernel</c> builds it (and as TweakReg's <c>gausspars</c> with the same parameters).
/// </summary>
/// <remarks>
/// Convolving an image with <see cref="Weights"/> gives at each pixel the least-squares amplitude of
/// <c>h·G + sky</c> fitted over <see cref="Mask"/>; its noise is σ·<see cref="RelErr"/>. Immutable and thread safe.
/// </remarks>
public sealed class StarFinderKernel
{
    /// <summary>FWHM → σ for a Gaussian: 1/(2√(2 ln 2)).</summary>
    public const double FwhmToSigma = 0.42466090014400953;

    private readonly double[] _weights;
    private readonly bool[] _mask;
    private readonly double[] _gaussian;

    /// <summary>Builds the kernel.</summary>
    /// <param name="fwhm">Full width at half maximum of the major axis, pixels (&gt; 0).</param>
    /// <param name="ratio">Minor/major σ ratio, 0 &lt; ratio ≤ 1.</param>
    /// <param name="theta">Position angle of the major axis, degrees counter-clockwise from +x.</param>
    /// <param name="sigmaRadius">Truncation radius in units of σ (photutils <c>sigma_radius</c>).</param>
    /// <exception cref="SourceFinderException">A parameter is out of range.</exception>
    public StarFinderKernel(double fwhm, double ratio = 1.0, double theta = 0.0, double sigmaRadius = 1.5)
    {
        if (!(fwhm > 0) || !double.IsFinite(fwhm))
        {
            throw new SourceFinderException($"fwhm must be a positive number, got {fwhm}");
        }

        if (!(ratio > 0 && ratio <= 1))
        {
            throw new SourceFinderException($"ratio must be in (0, 1], got {ratio}");
        }

        if (!(sigmaRadius > 0) || !double.IsFinite(sigmaRadius))
        {
            throw new SourceFinderException($"sigma_radius must be a positive number, got {sigmaRadius}");
        }

        if (!double.IsFinite(theta))
        {
            throw new SourceFinderException($"theta must be a finite number, got {theta}");
        }

        Fwhm = fwhm;
        Ratio = ratio;
        Theta = theta;
        SigmaRadius = sigmaRadius;
        XSigma = fwhm * FwhmToSigma;
        YSigma = XSigma * ratio;
        double t = theta * Math.PI / 180.0;
        double cost = Math.Cos(t), sint = Math.Sin(t);
        double xs2 = XSigma * XSigma, ys2 = YSigma * YSigma;
        double a = (cost * cost / (2 * xs2)) + (sint * sint / (2 * ys2));
        double b = 0.5 * cost * sint * ((1.0 / xs2) - (1.0 / ys2));
        double c = (sint * sint / (2 * xs2)) + (cost * cost / (2 * ys2));
        double f = sigmaRadius * sigmaRadius / 2.0;
        double denom = (a * c) - (b * b);
        Nx = (2 * (int)Math.Max(2, Math.Sqrt(c * f / denom))) + 1;
        Ny = (2 * (int)Math.Max(2, Math.Sqrt(a * f / denom))) + 1;
        XRadius = Nx / 2;
        YRadius = Ny / 2;
        int n = Nx * Ny;
        _mask = new bool[n];
        _gaussian = new double[n];
        _weights = new double[n];
        int npix = 0;
        double sumG = 0, sumG2 = 0;
        for (int j = 0; j < Ny; j++)
        {
            for (int i = 0; i < Nx; i++)
            {
                int dx = i - XRadius, dy = j - YRadius;
                double circ = Math.Sqrt((double)(dx * dx) + (dy * dy));
                double ell = (a * dx * dx) + (2.0 * b * dx * dy) + (c * dy * dy);
                bool m = ell <= f || circ <= 2.0;
                int k = (j * Nx) + i;
                _mask[k] = m;
                _gaussian[k] = Math.Exp(-ell);
                if (m)
                {
                    npix++;
                }
            }
        }

        // numpy sums the masked kernel over the whole box in raster order (pairwise for > 8 elements is
        // irrelevant at these sizes: differences stay at the 1e-16 level).
        for (int k = 0; k < n; k++)
        {
            double g = _mask[k] ? _gaussian[k] : 0.0;
            sumG += g;
            sumG2 += g * g;
        }

        NPixels = npix;
        double den = sumG2 - (sumG * sumG / npix);
        RelErr = 1.0 / Math.Sqrt(den);
        for (int k = 0; k < n; k++)
        {
            double g = _mask[k] ? _gaussian[k] : 0.0;
            _weights[k] = _mask[k] ? (g - (sumG / npix)) / den : 0.0;
        }

        A = a;
        B = b;
        C = c;
        F = f;
    }

    /// <summary>Requested FWHM, pixels.</summary>
    public double Fwhm { get; }

    /// <summary>Minor/major axis ratio.</summary>
    public double Ratio { get; }

    /// <summary>Position angle, degrees.</summary>
    public double Theta { get; }

    /// <summary>Truncation radius in σ.</summary>
    public double SigmaRadius { get; }

    /// <summary>Gaussian σ along the major axis (unrotated), pixels.</summary>
    public double XSigma { get; }

    /// <summary>Gaussian σ along the minor axis (unrotated), pixels.</summary>
    public double YSigma { get; }

    /// <summary>Box width (odd, ≥ 5).</summary>
    public int Nx { get; }

    /// <summary>Box height (odd, ≥ 5).</summary>
    public int Ny { get; }

    /// <summary>Half width, <c>Nx / 2</c>.</summary>
    public int XRadius { get; }

    /// <summary>Half height, <c>Ny / 2</c>.</summary>
    public int YRadius { get; }

    /// <summary>Number of pixels inside the mask.</summary>
    public int NPixels { get; }

    /// <summary>Noise of the convolved image in units of the pixel σ: 1/√(ΣG² − (ΣG)²/n) over the mask.</summary>
    public double RelErr { get; }

    /// <summary>Quadratic-form coefficient a of <c>a dx² + 2b dx dy + c dy²</c>.</summary>
    public double A { get; }

    /// <summary>Quadratic-form coefficient b.</summary>
    public double B { get; }

    /// <summary>Quadratic-form coefficient c.</summary>
    public double C { get; }

    /// <summary>Mask limit f = sigma_radius²/2.</summary>
    public double F { get; }

    /// <summary>The zero-sum density kernel, row-major <c>Ny × Nx</c>, zero outside the mask.</summary>
    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>The footprint: pixels with <c>E ≤ f</c> or within 2 px of the centre.</summary>
    public ReadOnlySpan<bool> Mask => _mask;

    /// <summary>The unmasked Gaussian <c>exp(−E)</c> with peak 1, row-major <c>Ny × Nx</c>.</summary>
    public ReadOnlySpan<double> Gaussian => _gaussian;

    internal double[] WeightsArray => _weights;

    internal bool[] MaskArray => _mask;

    internal double[] GaussianArray => _gaussian;
}
