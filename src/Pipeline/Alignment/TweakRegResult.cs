using TweakDrizzle.Matching;
using TweakDrizzle.Wcs;
using TweakDrizzle.WcsFit;
using MatchCatalog = TweakDrizzle.Matching.SourceCatalog;

namespace TweakDrizzle.Pipeline.Alignment;

/// <summary>What happened to one input of a <c>tweakreg</c> run.</summary>
public enum TweakRegStatus
{
    /// <summary>The reference image: its WCS is kept (an identity fit).</summary>
    Reference,

    /// <summary>Matched and fitted: a correction was found.</summary>
    Aligned,

    /// <summary>Too few matches or a failed fit: the WCS is kept and the header is never updated.</summary>
    Failed,
}

/// <summary>The alignment of one input file.</summary>
/// <param name="Path">Full path of the file.</param>
/// <param name="FileName">File name as in the shiftfile (no folder).</param>
/// <param name="Status">Reference, aligned or failed.</param>
/// <param name="Message">A one-line summary, or the reason of a failure.</param>
/// <param name="ChipSources">Usable sources per chip (SCI order).</param>
/// <param name="ExtVers">EXTVER of every chip.</param>
/// <param name="Match">The match, or null (reference, or not attempted).</param>
/// <param name="Fit">The fit in the reference frame (input → reference), or null.</param>
/// <param name="Wcs">Every chip's WCS after the run: corrected when aligned, as read otherwise.</param>
/// <param name="Catalog">The image's sources in the reference frame (before the correction), as matched.</param>
/// <param name="ReferenceCatalog">The reference catalog it was matched to (reference frame).</param>
/// <param name="FitX">Input x (reference frame) of the pairs given to the fit, in the fit's order.</param>
/// <param name="FitY">Input y of the same pairs.</param>
public sealed record TweakRegImage(
    string Path,
    string FileName,
    TweakRegStatus Status,
    string Message,
    IReadOnlyList<int> ChipSources,
    IReadOnlyList<int> ExtVers,
    MatchResult? Match,
    FitResult? Fit,
    IReadOnlyList<FitsWcs> Wcs,
    MatchCatalog Catalog,
    MatchCatalog ReferenceCatalog,
    IReadOnlyList<double> FitX,
    IReadOnlyList<double> FitY)
{
    /// <summary>Every chip's sources in its own pixels (0-based, SCI order), as detected or read.</summary>
    public IReadOnlyList<MatchCatalog> ChipCatalogs { get; init; } = [];

    /// <summary>TweakReg's source ID (1-based, consecutive over the chips in SCI order) of every <see cref="Catalog"/> entry.</summary>
    public IReadOnlyList<int> SourceIds { get; init; } = [];

    /// <summary>The EXTVER of the chip every <see cref="Catalog"/> entry came from.</summary>
    public IReadOnlyList<int> SourceExtVers { get; init; } = [];

    /// <summary>Usable sources over all chips.</summary>
    public int Sources => ChipSources.Sum();

    /// <summary>The file name without <c>.fits</c>/<c>.fits.gz</c> (used in plot and catalog names).</summary>
    public string Root => TweakRegRun.RootName(FileName);
}

/// <summary>The result of <see cref="TweakRegRun.Run"/>.</summary>
/// <param name="Frame">The reference tangent plane (TAN, no distortion) every fit was made in; 0-based pixels.</param>
/// <param name="FrameWidth">Width of the frame's footprint, pixels.</param>
/// <param name="FrameHeight">Height of the frame's footprint, pixels.</param>
/// <param name="ReferenceName">What the images were aligned to: the reference image's file name, or the catalog's.</param>
/// <param name="ReferenceSources">Sources in the (final) reference catalog.</param>
/// <param name="Images">Every input in the order given.</param>
/// <param name="HeadersUpdated">True when the headers were written (<c>updatehdr</c> and every input aligned).</param>
/// <param name="Options">The options of the run.</param>
public sealed record TweakRegResult(
    FitsWcs Frame,
    int FrameWidth,
    int FrameHeight,
    string ReferenceName,
    int ReferenceSources,
    IReadOnlyList<TweakRegImage> Images,
    bool HeadersUpdated,
    TweakRegOptions Options)
{
    /// <summary>Pixel scale of the reference frame, arcsec.</summary>
    public double PixelScaleArcsec => Frame.PixelScale(Frame.Crpix1 - 1, Frame.Crpix2 - 1);

    /// <summary>Inputs that could not be aligned.</summary>
    public IReadOnlyList<TweakRegImage> Failed => Images.Where(i => i.Status == TweakRegStatus.Failed).ToList();
}
