using TweakDrizzle.Resample;

namespace TweakDrizzle.Pipeline.Combine;

/// <summary>Sky estimation methods (AstroDrizzle <c>skymethod</c>).</summary>
public enum SkyMethod
{
    /// <summary>Per exposure: the smallest chip sky, subtracted from every chip of that exposure.</summary>
    Localmin,

    /// <summary>The smallest chip sky over all exposures (as a rate, scaled by each exposure time), subtracted everywhere.</summary>
    Globalmin,

    /// <summary>Sky differences measured where the exposures overlap, solved for one offset per exposure relative to the lowest (<see cref="SkyMatch"/>).</summary>
    Match,

    /// <summary><see cref="Match"/> plus the global minimum sky (globalmin+match).</summary>
    GlobalminMatch,
}

/// <summary>Sky statistic of a chip (AstroDrizzle <c>skystat</c>).</summary>
public enum SkyStatistic
{
    /// <summary>Sigma-clipped median.</summary>
    Median,

    /// <summary>Sigma-clipped mode (Pearson's estimate 3·median − 2·mean of the clipped sample).</summary>
    Mode,
}

/// <summary>How the separate drizzles are combined (AstroDrizzle <c>combine_type</c>).</summary>
public enum CombineType
{
    /// <summary>Median of the values left after dropping <c>combine_nlow</c>/<c>combine_nhigh</c>.</summary>
    Median,

    /// <summary>AstroDrizzle's minmed: the median, replaced by the minimum where the two differ by more than combine_nsigma noise.</summary>
    Minmed,

    /// <summary>Mean of the values left after dropping <c>combine_nlow</c>/<c>combine_nhigh</c>.</summary>
    Mean,
}

/// <summary>Final weight type (AstroDrizzle <c>final_wht_type</c>).</summary>
public enum WeightType
{
    /// <summary>Exposure time.</summary>
    Exp,

    /// <summary>Inverse variance from the ERR arrays (1/ERR² as a rate).</summary>
    Err,

    /// <summary>Inverse variance from the noise model: sky plus read noise (AstroDrizzle's IVM built without IVM files).</summary>
    Ivm,
}

/// <summary>Units of the final product (AstroDrizzle <c>final_units</c>).</summary>
public enum OutputUnits
{
    /// <summary>Electrons (or counts) per second.</summary>
    Cps,

    /// <summary>Electrons (or counts): the rate times the total exposure time.</summary>
    Counts,
}

/// <summary>
/// Options of an <see cref="AstroDrizzle"/> run: AstroDrizzle's parameters with its defaults (final_bits 0, square
/// kernel, EXP weights, output in e⁻/s, sky subtraction on, minmed combination, driz_cr on), plus two extensions:
/// the cosmic-ray tail search (<see cref="DrizCrTail"/>, on by default) and the hole fill (<see cref="FinalHolePixfrac"/>, off).
/// </summary>
public sealed record AstroDrizzleOptions
{
    /// <summary>Root name of the product: <c>&lt;output&gt;_drc.fits</c> for _flc inputs, else <c>_drz.fits</c>.</summary>
    public string Output { get; init; } = "final";

    /// <summary>Folder for the product and intermediates (default: the current folder).</summary>
    public string OutputFolder { get; init; } = ".";

    /// <summary>Use the custom output grid (final_wcs). Implied by any of the final grid options.</summary>
    public bool FinalWcs { get; init; }

    /// <summary>Output pixel scale, arcsec (final_scale); null: the native scale of the first input chip.</summary>
    public double? FinalScale { get; init; }

    /// <summary>Position angle of the output +y axis, degrees east of north (final_rot); null: the first chip's orientation, or 0 with final_wcs.</summary>
    public double? FinalRot { get; init; }

    /// <summary>Output width (final_outnx); null: cover every input.</summary>
    public int? FinalOutNx { get; init; }

    /// <summary>Output height (final_outny); null: cover every input.</summary>
    public int? FinalOutNy { get; init; }

    /// <summary>Right ascension of output pixel ((NX+1)/2, (NY+1)/2), 1-based (final_ra), degrees.</summary>
    public double? FinalRa { get; init; }

    /// <summary>Declination of that pixel (final_dec), degrees.</summary>
    public double? FinalDec { get; init; }

    /// <summary>A product (or image) whose grid (WCS without distortion and shape) is used (final_refimage).</summary>
    public string? FinalRefImage { get; init; }

    /// <summary>Final kernel (final_kernel), default square.</summary>
    public DrizzleKernel FinalKernel { get; init; } = DrizzleKernel.Square;

    /// <summary>Final drop size (final_pixfrac), default 1.</summary>
    public double FinalPixfrac { get; init; } = 1.0;

    /// <summary>
    /// Fill the final drizzle's holes (zero weight inside the footprint, where the rejections of every overlapping
    /// drop coincide) from a co-add of the same data with this larger pixfrac (see <see cref="HoleFill"/>; not in
    /// AstroDrizzle); null (default): holes stay, as in AstroDrizzle.
    /// </summary>
    public double? FinalHolePixfrac { get; init; }

    /// <summary>Value of output pixels without data (final_fillval); INDEF (default) leaves 0.</summary>
    public FillValue FinalFillval { get; init; } = FillValue.Indef;

    /// <summary>Final weights (final_wht_type), default EXP.</summary>
    public WeightType FinalWhtType { get; init; } = WeightType.Exp;

    /// <summary>
    /// Also write an ERR extension (default false): the inputs' ERR arrays carried through the final drizzle as
    /// variances co-added with squared weights (drizzle's data2), its square root in the units of SCI. Needs ERR
    /// arrays in every input.
    /// </summary>
    public bool FinalErr { get; init; }

    /// <summary>DQ bits treated as good in the final drizzle (final_bits), default 0: every flagged pixel is rejected.</summary>
    public DqBits FinalBits { get; init; } = DqBits.AllBad;

    /// <summary>DQ bits treated as good in the separate drizzles (driz_sep_bits), default 0.</summary>
    public DqBits DrizSepBits { get; init; } = DqBits.AllBad;

    /// <summary>Units of the product (final_units), default cps.</summary>
    public OutputUnits FinalUnits { get; init; } = OutputUnits.Cps;

    /// <summary>Build the static mask of anomalously low pixels (static), default on.</summary>
    public bool StaticMask { get; init; } = true;

    /// <summary>Static mask threshold in sky sigmas below the sky (static_sig), default 4.</summary>
    public double StaticSig { get; init; } = 4.0;

    /// <summary>Subtract the sky (skysub), default on.</summary>
    public bool SkySub { get; init; } = true;

    /// <summary>Sky method (skymethod), default localmin.</summary>
    public SkyMethod SkyMethod { get; init; } = SkyMethod.Localmin;

    /// <summary>Sky statistic (skystat), default median.</summary>
    public SkyStatistic SkyStat { get; init; } = SkyStatistic.Median;

    /// <summary>Clipping iterations of the sky statistic (skyclip), default 5.</summary>
    public int SkyClip { get; init; } = 5;

    /// <summary>Lower clipping limit in sigmas (skylsigma), default 4.</summary>
    public double SkyLSigma { get; init; } = 4.0;

    /// <summary>Upper clipping limit in sigmas (skyusigma), default 4.</summary>
    public double SkyUSigma { get; init; } = 4.0;

    /// <summary>Kernel of the separate drizzles (driz_sep_kernel), default turbo.</summary>
    public DrizzleKernel DrizSepKernel { get; init; } = DrizzleKernel.Turbo;

    /// <summary>Drop size of the separate drizzles (driz_sep_pixfrac), default 1.</summary>
    public double DrizSepPixfrac { get; init; } = 1.0;

    /// <summary>Combination (combine_type), default minmed.</summary>
    public CombineType CombineType { get; init; } = CombineType.Minmed;

    /// <summary>minmed thresholds (combine_nsigma), default (4, 3).</summary>
    public (double First, double Second) CombineNSigma { get; init; } = (4.0, 3.0);

    /// <summary>Lowest values dropped per pixel (combine_nlow).</summary>
    public int CombineNLow { get; init; }

    /// <summary>Highest values dropped per pixel (combine_nhigh).</summary>
    public int CombineNHigh { get; init; }

    /// <summary>Separate-drizzle pixels with weight below this fraction of that image's median weight are left out (combine_maskpt), default 0.3.</summary>
    public double CombineMaskpt { get; init; } = 0.3;

    /// <summary>Blot interpolation (blot_interp), default poly5.</summary>
    public BlotInterpolation BlotInterp { get; init; } = BlotInterpolation.Poly5;

    /// <summary>Detect cosmic rays (driz_cr), default on; needs at least two exposures.</summary>
    public bool DrizCr { get; init; } = true;

    /// <summary>S/N thresholds of the two passes (driz_cr_snr), default "3.5 3.0".</summary>
    public (double First, double Second) DrizCrSnr { get; init; } = (3.5, 3.0);

    /// <summary>Derivative scales of the two passes (driz_cr_scale), default "1.2 0.7".</summary>
    public (double First, double Second) DrizCrScale { get; init; } = (1.2, 0.7);

    /// <summary>Size of the box each cosmic-ray pixel is grown to (driz_cr_grow), default 1 (no growth).</summary>
    public int DrizCrGrow { get; init; } = 1;

    /// <summary>
    /// The cosmic-ray tail search after AstroDrizzle's rule (not in AstroDrizzle), default on with
    /// <see cref="CosmicRayTail"/>'s defaults; null: AstroDrizzle's rule alone.
    /// </summary>
    public CosmicRayTail? DrizCrTail { get; init; } = new();

    /// <summary>
    /// The single-image (L.A.Cosmic) test of the pixels whose median had too few exposures to judge them (not in
    /// AstroDrizzle), default on with <see cref="SingleImageCrTest"/>'s defaults; null: such pixels are not tested.
    /// </summary>
    public SingleImageCrTest? DrizCrSingle { get; init; } = new();

    /// <summary>Write the intermediates (single drizzles, median, blots, CR masks) next to the product.</summary>
    public bool WriteIntermediates { get; init; }

    /// <summary>Flag cosmic-ray pixels with 4096 in the inputs' DQ arrays (the only change ever made to an input).</summary>
    public bool UpdateInputDq { get; init; }

    /// <summary>Largest accepted output grid, pixels; a larger grid is refused before anything is allocated.</summary>
    public long MaxOutputPixels { get; init; } = 400_000_000;

    /// <summary>
    /// Memory budget of the streamed steps, MiB (default 2048): the final drizzle works on output tiles of as many rows as
    /// fit in half of it (one tile when the whole product fits), the median on bands of rows that fit in a quarter. The
    /// process also holds one input chip at a time with its pixmap (about 30 bytes per chip pixel).
    /// </summary>
    public int MaxMemoryMB { get; init; } = 2048;

    /// <summary>
    /// Output rows per tile of the final drizzle, overriding the budget of <see cref="MaxMemoryMB"/>; null (default)
    /// to derive it. The product does not depend on the tiling: it is bit for bit the same for any tile height.
    /// </summary>
    public int? TileRows { get; init; }

    /// <summary>Folder for the scratch files of the streamed steps (separate drizzles, median); null: the output folder. Deleted at the end.</summary>
    public string? ScratchFolder { get; init; }

    /// <summary>Largest number of threads (num_cores); null: all cores. Results do not depend on it.</summary>
    public int? NumCores { get; init; }

    /// <summary>Receives log lines (steps, figures, warnings); null for none.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Receives progress of the long steps (step name and fraction done); null for none.</summary>
    public IProgress<(string Step, double Fraction)>? Progress { get; init; }

    /// <summary>True when any custom grid option is set (so <see cref="FinalWcs"/> is implied).</summary>
    public bool UsesCustomGrid => FinalWcs || FinalScale is not null || FinalRot is not null || FinalOutNx is not null
        || FinalOutNy is not null || FinalRa is not null || FinalDec is not null || FinalRefImage is not null;
}

/// <summary>A run cannot be done as asked (bad options, inputs that do not fit together, a grid too large, ...).</summary>
public sealed class CombineException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CombineException()
    {
    }

    /// <summary>Creates the exception with a one-line message.</summary>
    /// <param name="message">What is wrong, in plain words.</param>
    public CombineException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CombineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
