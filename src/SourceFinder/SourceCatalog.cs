namespace TweakDrizzle.SourceFinder;

/// <summary>Quality flags of a detected source (bit set).</summary>
[Flags]
public enum SourceQuality
{
    /// <summary>Nothing to report.</summary>
    None = 0,

    /// <summary>The peak pixel is at or above the saturation level (<c>datamax</c>/<c>peakmax</c>); the star was kept.</summary>
    Saturated = 1,

    /// <summary>At least one bad (masked or non-finite) pixel lies inside the measurement box.</summary>
    BadPixelsInBox = 2,

    /// <summary>The measurement box reaches past the image edge.</summary>
    NearEdge = 4,

    /// <summary>The refined fit did not converge; the position is the starting estimate.</summary>
    FitFailed = 8,

    /// <summary>Refined mode: pixels deviating from the fitted PSF (cosmic-ray hit, hot pixel) were left out of the fit.</summary>
    PixelsRejected = 16,
}

/// <summary>
/// One detected source. Positions are 0-based with pixel centres at integers (CONTRACTS.md).
/// For <see cref="DetectorMode.Dao"/> every column has its photutils 1.6 <c>DAOStarFinder</c> meaning.
/// </summary>
public sealed record DetectedSource
{
    /// <summary>1-based running number in catalog order.</summary>
    public int Id { get; init; }

    /// <summary>Centroid x (column), 0-based.</summary>
    public double X { get; init; }

    /// <summary>Centroid y (row), 0-based.</summary>
    public double Y { get; init; }

    /// <summary>DAOFIND sharpness (NaN when not measured, e.g. saturated stars).</summary>
    public double Sharpness { get; init; }

    /// <summary>DAOFIND symmetry roundness ("SROUND").</summary>
    public double Roundness1 { get; init; }

    /// <summary>DAOFIND marginal-fit roundness ("GROUND").</summary>
    public double Roundness2 { get; init; }

    /// <summary>Number of pixels in the measurement box (photutils 1.6: kernel box nx·ny).</summary>
    public int Npix { get; init; }

    /// <summary>Local sky level subtracted (data units); 0 for DAO mode as in photutils 1.6.</summary>
    public double Sky { get; init; }

    /// <summary>Peak pixel value above the sky (data units).</summary>
    public double Peak { get; init; }

    /// <summary>
    /// Flux. DAO mode: photutils 1.6 <c>conv_peak / (threshold·relerr)</c>; TweakReg mode: raw box sum;
    /// refined mode: total flux of the fitted PSF (data units).
    /// </summary>
    public double Flux { get; init; }

    /// <summary><c>-2.5·log10(Flux)</c>, NaN when Flux ≤ 0.</summary>
    public double Mag { get; init; }

    /// <summary>1-σ uncertainty of <see cref="Flux"/> (refined mode; NaN otherwise).</summary>
    public double FluxError { get; init; } = double.NaN;

    /// <summary>Signal-to-noise ratio of the detection (refined mode; NaN otherwise).</summary>
    public double Snr { get; init; } = double.NaN;

    /// <summary>Fitted Gaussian FWHM of the source in pixels (refined mode; NaN otherwise).</summary>
    public double Fwhm { get; init; } = double.NaN;

    /// <summary>Quality flags.</summary>
    public SourceQuality Flags { get; init; }
}

/// <summary>The detector that made a catalog.</summary>
public enum DetectorMode
{
    /// <summary>photutils 1.6 <c>DAOStarFinder</c>.</summary>
    Dao,

    /// <summary>drizzlepac TweakReg's built-in detector (<c>imagefindpars</c>).</summary>
    TweakReg,

    /// <summary>The refined detector: matched filter, fitted centroids, artifact rejection.</summary>
    Refined,
}

/// <summary>An immutable list of detections with the detection settings that produced it.</summary>
/// <param name="Mode">The detector.</param>
/// <param name="Sources">The detections, in catalog order, ids 1..n.</param>
/// <param name="Threshold">The absolute detection threshold in data units (before any kernel scaling).</param>
/// <param name="SkyLevel">The sky level that was subtracted before detection (0 when none).</param>
/// <param name="SkySigma">The sky noise σ used (NaN when the threshold was given directly).</param>
/// <param name="Message">A human-readable note, e.g. why the catalog is empty; <c>null</c> when nothing to say.</param>
public sealed record SourceCatalog(
    DetectorMode Mode,
    IReadOnlyList<DetectedSource> Sources,
    double Threshold,
    double SkyLevel,
    double SkySigma,
    string? Message)
{
    /// <summary>Number of sources.</summary>
    public int Count => Sources.Count;
}
