using TweakDrizzle.Matching;
using TweakDrizzle.WcsFit;

namespace TweakDrizzle.Pipeline.Alignment;

/// <summary>Which source detector builds the per-chip catalogs.</summary>
public enum StarDetector
{
    /// <summary>The refined detector (matched filter + PSF fit, cosmic-ray rejection): the default.</summary>
    Refined,

    /// <summary>photutils-style DAOStarFinder on the sky-subtracted chip.</summary>
    Dao,

    /// <summary>A port of TweakReg's own detector (imagefind).</summary>
    TweakReg,
}

/// <summary>How the flux column of an external reference catalog is expressed (TweakReg <c>rfluxunits</c>).</summary>
public enum FluxUnits
{
    /// <summary>Magnitudes: brighter is smaller (TweakReg's default).</summary>
    Mag,

    /// <summary>Fluxes (counts or count rates): brighter is larger.</summary>
    Flux,
}

/// <summary>
/// Options of <see cref="TweakRegRun"/>: TweakReg's parameters with TweakReg's defaults, in C# names
/// (<c>conv_width</c> → <see cref="ConvWidth"/>, <c>updatehdr</c> → <see cref="UpdateHeader"/>, ...).
/// </summary>
public sealed record TweakRegOptions
{
    /// <summary>Reference image (TweakReg <c>refimage</c>); null: an external catalog or the first input.</summary>
    public string? RefImage { get; init; }

    /// <summary>External reference catalog file (TweakReg <c>refcat</c>): CSV with <c>ra,dec</c> in degrees and an optional flux or mag column.</summary>
    public string? RefCat { get; init; }

    /// <summary>An external reference catalog in memory (used instead of <see cref="RefCat"/> when given).</summary>
    public IReadOnlyList<SkySource>? RefCatalog { get; init; }

    /// <summary>Flux column of <see cref="RefCat"/> (TweakReg <c>rfluxcol</c>); null: <c>flux</c>, else <c>mag</c> when present.</summary>
    public string? RefFluxColumn { get; init; }

    /// <summary>Units of the reference flux column (TweakReg <c>rfluxunits</c>, default mag); set by the column name when it is <c>mag</c> or <c>flux</c>.</summary>
    public FluxUnits? RefFluxUnits { get; init; }

    /// <summary>Keep reference sources whose flux column is at least this (TweakReg <c>rminflux</c>); null: no cut.</summary>
    public double? RefMinFlux { get; init; }

    /// <summary>Keep reference sources whose flux column is at most this (TweakReg <c>rmaxflux</c>); null: no cut.</summary>
    public double? RefMaxFlux { get; init; }

    /// <summary>Keep only the N brightest reference sources (TweakReg <c>refnbright</c>); null: all.</summary>
    public int? RefNBright { get; init; }

    /// <summary>Grow the reference catalog with the unmatched sources of each aligned image (TweakReg <c>expand_refcat</c>).</summary>
    public bool ExpandRefCat { get; init; }

    /// <summary>Align in the order given (TweakReg <c>enforce_user_order</c>, default true); false: the largest footprint overlap with the reference catalog first, as TweakReg.</summary>
    public bool EnforceUserOrder { get; init; } = true;

    /// <summary>User catalogs (TweakReg <c>catfile</c>): lines <c>image cat_chip1 [cat_chip2 ...]</c>; null: detect.</summary>
    public string? CatFile { get; init; }

    /// <summary>Detector of the per-chip catalogs (default <see cref="StarDetector.Refined"/>).</summary>
    public StarDetector Detector { get; init; } = StarDetector.Refined;

    /// <summary>Convolution kernel width in pixels, about twice the PSF FWHM (TweakReg <c>conv_width</c>, default 3.5).</summary>
    public double ConvWidth { get; init; } = 3.5;

    /// <summary>Detection threshold in sky sigmas (TweakReg <c>threshold</c>, default 4).</summary>
    public double Threshold { get; init; } = 4.0;

    /// <summary>Reject sources whose peak is at or below this (TweakReg <c>peakmin</c>); null: none.</summary>
    public double? PeakMin { get; init; }

    /// <summary>Reject sources whose peak is at or above this, i.e. saturated (TweakReg <c>peakmax</c>); null: none.</summary>
    public double? PeakMax { get; init; }

    /// <summary>DQ bits treated as good while detecting (TweakReg <c>dqbits</c>); default: every flagged pixel is masked.</summary>
    public DqBits DqBits { get; init; } = DqBits.AllBad;

    /// <summary>Fit geometry (TweakReg <c>fitgeometry</c>, default rscale).</summary>
    public FitGeometry FitGeometry { get; init; } = FitGeometry.RScale;

    /// <summary>Search radius of the offset histogram (TweakReg <c>searchrad</c>, default 1.0 in <see cref="SearchUnits"/>).</summary>
    public double SearchRad { get; init; } = 1.0;

    /// <summary>Units of <see cref="SearchRad"/> (TweakReg <c>searchunits</c>, default arcseconds; the Matching module's enum).</summary>
    public SearchUnits SearchUnits { get; init; } = SearchUnits.Arcseconds;

    /// <summary>Use the 2-D offset histogram for the first guess (TweakReg <c>use2dhist</c>, default true); false: start from <see cref="XOffset"/>, <see cref="YOffset"/>.</summary>
    public bool Use2DHist { get; init; } = true;

    /// <summary>Initial x offset input − reference in pixels (TweakReg <c>xoffset</c>, default 0).</summary>
    public double XOffset { get; init; }

    /// <summary>Initial y offset input − reference in pixels (TweakReg <c>yoffset</c>, default 0).</summary>
    public double YOffset { get; init; }

    /// <summary>Matching tolerance in reference pixels (TweakReg <c>tolerance</c>, default 1.0); null: adapted to the residuals.</summary>
    public double? Tolerance { get; init; } = 1.0;

    /// <summary>Sources closer than this are confused and not matched (TweakReg <c>separation</c>, default 0.5 px).</summary>
    public double Separation { get; init; } = 0.5;

    /// <summary>Fewest sources and matches an image needs (TweakReg <c>minobj</c>, default 15).</summary>
    public int MinObj { get; init; } = 15;

    /// <summary>Clipping passes (TweakReg <c>nclip</c>, default 3).</summary>
    public int NClip { get; init; } = 3;

    /// <summary>Clipping limit in standard deviations (TweakReg <c>sigma</c>, default 3).</summary>
    public double Sigma { get; init; } = 3.0;

    /// <summary>Write the corrected WCS into every SCI header of every input (TweakReg <c>updatehdr</c>).</summary>
    public bool UpdateHeader { get; init; }

    /// <summary>WCSNAME of the new WCS (TweakReg <c>wcsname</c>, default TWEAK).</summary>
    public string WcsName { get; init; } = "TWEAK";

    /// <summary>Allow a WCSNAME that already exists in a header (TweakReg <c>reusename</c>).</summary>
    public bool ReuseName { get; init; }

    /// <summary>Largest number of threads for detection; null: all cores. Results do not depend on it.</summary>
    public int? NumCores { get; init; }

    /// <summary>Receives progress lines; null: none.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>The search radius in reference-frame pixels.</summary>
    /// <param name="pixelScaleArcsec">The reference frame's pixel scale.</param>
    /// <returns>Pixels.</returns>
    public double SearchRadiusPixels(double pixelScaleArcsec) => SearchUnits == SearchUnits.Arcseconds ? SearchRad / pixelScaleArcsec : SearchRad;

    /// <summary>Checks the values.</summary>
    /// <exception cref="TweakRegException">A value is out of range.</exception>
    public void Validate()
    {
        Check(ConvWidth > 0 && double.IsFinite(ConvWidth), $"conv_width must be a positive number of pixels, got {ConvWidth}");
        Check(Threshold > 0 && double.IsFinite(Threshold), $"threshold must be positive, got {Threshold}");
        Check(SearchRad > 0 && double.IsFinite(SearchRad), $"searchrad must be positive, got {SearchRad}");
        Check(Tolerance is null || (Tolerance > 0 && double.IsFinite(Tolerance.Value)), $"tolerance must be positive, got {Tolerance}");
        Check(Separation >= 0 && double.IsFinite(Separation), $"separation must be zero or positive, got {Separation}");
        Check(MinObj >= 1, $"minobj must be at least 1, got {MinObj}");
        Check(NClip >= 0, $"nclip must be zero or positive, got {NClip}");
        Check(Sigma > 0 && double.IsFinite(Sigma), $"sigma must be positive, got {Sigma}");
        Check(NumCores is null or > 0, $"num_cores must be positive, got {NumCores}");
        Check(RefNBright is null or > 0, $"refnbright must be positive, got {RefNBright}");
        Check(!string.IsNullOrWhiteSpace(WcsName) && WcsName.Trim().Length <= 68, "wcsname must have 1 to 68 characters");
        Check(PeakMin is null || PeakMax is null || PeakMin < PeakMax, $"peakmin ({PeakMin}) must be below peakmax ({PeakMax})");
    }

    private static void Check(bool ok, string message)
    {
        if (!ok)
        {
            throw new TweakRegException(message);
        }
    }
}

/// <summary>A <c>tweakreg</c> run cannot go on: bad input or option, or a refused header update. One-line message.</summary>
public sealed class TweakRegException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TweakRegException()
    {
    }

    /// <summary>Creates the exception with a one-line message.</summary>
    /// <param name="message">What is wrong, in plain words.</param>
    public TweakRegException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    /// <param name="message">What is wrong, in plain words.</param>
    /// <param name="innerException">The cause.</param>
    public TweakRegException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
