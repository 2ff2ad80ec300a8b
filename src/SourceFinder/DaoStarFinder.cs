namespace TweakDrizzle.SourceFinder;

/// <summary>
/// Options of <see cref="DaoStarFinder"/>: the photutils 1.6 <c>DAOStarFinder</c> keywords and defaults, plus the
/// IRAF behaviours photutils lacks (all off by default, so the defaults reproduce photutils 1.6 exactly).
/// </summary>
public sealed record DaoStarFinderOptions
{
    /// <summary>FWHM of the major axis of the Gaussian kernel, pixels (required).</summary>
    public required double Fwhm { get; init; }

    /// <summary>
    /// Absolute detection threshold in data units for a background-subtracted image (photutils <c>threshold</c>);
    /// the convolved image is compared with <c>Threshold·relerr</c>.
    /// </summary>
    public required double Threshold { get; init; }

    /// <summary>Kernel truncation radius in σ (photutils <c>sigma_radius</c>, default 1.5).</summary>
    public double SigmaRadius { get; init; } = 1.5;

    /// <summary>Minor/major σ ratio (default 1).</summary>
    public double Ratio { get; init; } = 1.0;

    /// <summary>Major-axis position angle, degrees counter-clockwise from +x (default 0).</summary>
    public double Theta { get; init; }

    /// <summary>Lower sharpness bound, exclusive (default 0.2).</summary>
    public double SharpLo { get; init; } = 0.2;

    /// <summary>Upper sharpness bound, exclusive (default 1.0).</summary>
    public double SharpHi { get; init; } = 1.0;

    /// <summary>Lower bound for both roundness values, exclusive (default −1).</summary>
    public double RoundLo { get; init; } = -1.0;

    /// <summary>Upper bound for both roundness values, exclusive (default 1).</summary>
    public double RoundHi { get; init; } = 1.0;

    /// <summary>Keep only peaks with <c>r &lt; peak &lt; n − r</c> on each axis (photutils 1.6 rule).</summary>
    public bool ExcludeBorder { get; init; }

    /// <summary>Drop sources whose peak is not below this value (photutils: <c>peak &lt; peakmax</c>); null = off.</summary>
    public double? PeakMax { get; init; }

    /// <summary>Keep only the N brightest sources by flux; null = all.</summary>
    public int? Brightest { get; init; }

    /// <summary>
    /// IRAF <c>datamin</c>: pixels below it leave the convolution (masked least-squares fit, IRAF
    /// <c>ap_gconvolve</c>) and the shape sums. Null = off.
    /// </summary>
    public double? DataMin { get; init; }

    /// <summary>
    /// IRAF <c>datamax</c>: pixels above it leave the convolution and the shape sums; a star whose peak pixel is
    /// above it is saturated: it is kept and flagged, its sharpness and roundness2 are not tested. Null = off.
    /// </summary>
    public double? DataMax { get; init; }

    /// <summary>
    /// Minimum separation of peaks in pixels: when &gt; 0 the peak footprint is the disk
    /// <c>dx² + dy² ≤ min_separation²</c> instead of the kernel mask (photutils 3.x style). Default 0.
    /// </summary>
    public double MinSeparation { get; init; }
}

/// <summary>
/// DAOFIND exactly as photutils 1.6 <c>DAOStarFinder</c> does it (see research/sourcefind.md §1 and §5):
/// zero-sum truncated Gaussian convolution, peaks over the kernel mask, DAOFIND sharpness and roundness, one
/// linearised marginal Gaussian step for the centroid, strict filters, <c>brightest</c>.
/// </summary>
/// <remarks>
/// Bad pixels (mask or non-finite) are treated as missing data instead of propagating NaN: they are never peaks,
/// the convolved value over them is the masked least-squares fit of IRAF, and they count as 0 in the cutouts
/// (flagged <see cref="SourceQuality.BadPixelsInBox"/>). On images without bad pixels this changes nothing.
/// Thread safe: an instance holds only immutable options and the kernel.
/// </remarks>
public sealed class DaoStarFinder
{
    /// <summary>Creates the detector and its kernel.</summary>
    /// <param name="options">Detection options.</param>
    /// <exception cref="SourceFinderException">An option is out of range.</exception>
    public DaoStarFinder(DaoStarFinderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!double.IsFinite(options.Threshold))
        {
            throw new SourceFinderException($"threshold must be a finite number, got {options.Threshold}");
        }

        if (options.Brightest is < 0)
        {
            throw new SourceFinderException($"brightest must be 0 or more, got {options.Brightest}");
        }

        if (options.MinSeparation < 0 || !double.IsFinite(options.MinSeparation))
        {
            throw new SourceFinderException($"min_separation must be 0 or a positive number, got {options.MinSeparation}");
        }

        Options = options;
        Kernel = new StarFinderKernel(options.Fwhm, options.Ratio, options.Theta, options.SigmaRadius);
    }

    /// <summary>The options.</summary>
    public DaoStarFinderOptions Options { get; }

    /// <summary>The DAOFIND kernel.</summary>
    public StarFinderKernel Kernel { get; }

    /// <summary>The threshold applied to the convolved image: <c>Threshold·relerr</c>.</summary>
    public double ThresholdEff => Options.Threshold * Kernel.RelErr;

    /// <summary>Finds stars in a background-subtracted image.</summary>
    /// <param name="image">The image.</param>
    /// <returns>The catalog (empty, with a message, when nothing is found).</returns>
    public SourceCatalog Find(DetectionImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        DaoOptionsCore core = DaoOptionsCore.From(Options);
        List<DetectedSource> sources = DaoCore.Run(image, Kernel, core, out string? message);
        return new SourceCatalog(DetectorMode.Dao, sources, Options.Threshold, 0.0, double.NaN, message);
    }
}
