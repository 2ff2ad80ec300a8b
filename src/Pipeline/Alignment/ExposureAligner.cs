using System.Globalization;
using TweakDrizzle.Fits;
using TweakDrizzle.Matching;
using TweakDrizzle.Pipeline.Combine;
using TweakDrizzle.SourceFinder;
using TweakDrizzle.Wcs;
using TweakDrizzle.WcsFit;
using MatchCatalog = TweakDrizzle.Matching.SourceCatalog;

namespace TweakDrizzle.Pipeline.Alignment;

/// <summary>A source on the sky (an external reference catalog entry or a detection projected through its chip's WCS).</summary>
/// <param name="Ra">Right ascension, degrees.</param>
/// <param name="Dec">Declination, degrees.</param>
/// <param name="Flux">Flux (any unit; used only to rank sources).</param>
public readonly record struct SkySource(double Ra, double Dec, double Flux);

/// <summary>Options of <see cref="ExposureAligner"/> (TweakReg's parameters where they exist).</summary>
public sealed record AlignmentOptions
{
    /// <summary>PSF FWHM for detection, pixels (TweakReg conv_width is about twice this).</summary>
    public double Fwhm { get; init; } = 2.0;

    /// <summary>Detection threshold, matched-filter S/N (TweakReg threshold).</summary>
    public double Threshold { get; init; } = 5.0;

    /// <summary>Keep only the brightest N sources per exposure (null: all).</summary>
    public int? Brightest { get; init; } = 600;

    /// <summary>DQ bits treated as good while detecting; default 0 (every flagged pixel masked).</summary>
    public DqBits Bits { get; init; } = DqBits.AllBad;

    /// <summary>Fit geometry (fitgeometry), default rscale.</summary>
    public FitGeometry FitGeometry { get; init; } = FitGeometry.RScale;

    /// <summary>Clipping iterations (nclip), default 3.</summary>
    public int NClip { get; init; } = 3;

    /// <summary>Clipping limit in sigmas (sigma), default 3.</summary>
    public double Sigma { get; init; } = 3.0;

    /// <summary>Match-and-fit iterations per exposure (each starts from the previous correction), default 2.</summary>
    public int Iterations { get; init; } = 2;

    /// <summary>Index of the reference exposure (refimage), default 0.</summary>
    public int ReferenceIndex { get; init; }

    /// <summary>An external reference catalog (refcat, e.g. Gaia): the reference exposure is first aligned to it; null: none.</summary>
    public IReadOnlyList<SkySource>? ReferenceCatalog { get; init; }

    /// <summary>Largest number of threads; null: all cores.</summary>
    public int? NumCores { get; init; }

    /// <summary>Receives log lines; null for none.</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>The alignment of one exposure.</summary>
/// <param name="Name">Exposure name.</param>
/// <param name="IsReference">True for the reference exposure (unchanged unless a reference catalog was given).</param>
/// <param name="Success">Whether a correction was found and applied.</param>
/// <param name="Message">A one-line summary or the reason of a failure.</param>
/// <param name="Sources">Sources detected.</param>
/// <param name="Fit">The last fit (input → reference frame, reference-frame pixels), or null.</param>
/// <param name="Total">The total correction applied (input → reference frame), identity when none.</param>
/// <param name="PixelScaleArcsec">Size of a reference-frame pixel, arcsec.</param>
/// <param name="X">Matched input positions in the reference frame (after the correction), pixels.</param>
/// <param name="Y">Same, y.</param>
public sealed record ExposureAlignment(
    string Name,
    bool IsReference,
    bool Success,
    string Message,
    int Sources,
    FitResult? Fit,
    Affine2D Total,
    double PixelScaleArcsec,
    IReadOnlyList<double> X,
    IReadOnlyList<double> Y)
{
    /// <summary>Fit RMS in milliarcseconds (NaN without a fit).</summary>
    public double RmsMas => Fit is null ? double.NaN : Fit.FitRms * PixelScaleArcsec * 1000.0;
}

/// <summary>The result of <see cref="ExposureAligner.Align"/>.</summary>
/// <param name="Exposures">The exposures with corrected WCSs (same order; a failed one keeps its WCS).</param>
/// <param name="Alignments">Per exposure.</param>
/// <param name="Frame">The reference tangent-plane frame the fits were made in.</param>
public sealed record AlignmentResult(IReadOnlyList<Exposure> Exposures, IReadOnlyList<ExposureAlignment> Alignments, FitsWcs Frame);

/// <summary>
/// TweakReg-style relative alignment: detect stars on every chip with the refined detector, project them through
/// the full WCS (distortion included) to the sky and onto the reference exposure's tangent plane, match each
/// exposure's catalog to the reference catalog with the automatic matcher, fit the correction (rscale by default)
/// with clipping, and apply it to every chip's WCS: CRVAL and CD change, CRPIX and SIP do not.
/// </summary>
public static class ExposureAligner
{
    private sealed record Detection(int Chip, double X, double Y, double Flux);

    /// <summary>Aligns the exposures to the reference exposure (and it to the external catalog, when given).</summary>
    /// <param name="exposures">The exposures.</param>
    /// <param name="options">Options, or null.</param>
    /// <returns>The corrected exposures and the fits.</returns>
    /// <exception cref="CombineException">No exposures or a bad reference index.</exception>
    public static AlignmentResult Align(IReadOnlyList<Exposure> exposures, AlignmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(exposures);
        options ??= new AlignmentOptions();
        if (exposures.Count == 0)
        {
            throw new CombineException("no exposures to align");
        }

        if (options.ReferenceIndex < 0 || options.ReferenceIndex >= exposures.Count)
        {
            throw new CombineException($"reference index {options.ReferenceIndex} is outside the {exposures.Count} exposures");
        }

        var detections = exposures.Select(e => Detect(e, options)).ToList();
        Exposure reference = exposures[options.ReferenceIndex];
        Chip rc = reference.Chips[0];
        (double fx, double fy) = ((rc.Width - 1) / 2.0, (rc.Height - 1) / 2.0);
        (double ra0, double dec0) = rc.Wcs.PixelToWorld(fx, fy);
        double scale = rc.Wcs.PixelScale(fx, fy);
        FitsWcs frame = FitsWcs.CreateTan(ra0, dec0, 1, 1, scale, rc.Wcs.Orientation(fx, fy));
        var result = exposures.ToArray();
        var alignments = new ExposureAlignment[exposures.Count];
        FitOptions fit = new() { FitGeometry = options.FitGeometry, NClip = options.NClip, Sigma = options.Sigma };

        if (options.ReferenceCatalog is { Count: > 0 } refcat)
        {
            MatchCatalog external = ToFrame(refcat, frame);
            (result[options.ReferenceIndex], alignments[options.ReferenceIndex]) = AlignOne(reference, detections[options.ReferenceIndex], external, frame, fit, options, true);
        }
        else
        {
            alignments[options.ReferenceIndex] = new ExposureAlignment(reference.Name, true, true, "reference", detections[options.ReferenceIndex].Count,
                null, Affine2D.Identity, scale, [], []);
        }

        MatchCatalog refCatalog = ToFrame(Project(result[options.ReferenceIndex], detections[options.ReferenceIndex]), frame);
        for (int i = 0; i < exposures.Count; i++)
        {
            if (i == options.ReferenceIndex)
            {
                continue;
            }

            (result[i], alignments[i]) = AlignOne(exposures[i], detections[i], refCatalog, frame, fit, options, false);
        }

        return new AlignmentResult(result, alignments, frame);
    }

    /// <summary>The detections of an exposure, projected to the sky through each chip's full WCS.</summary>
    /// <param name="exposure">The exposure.</param>
    /// <param name="options">Detection options.</param>
    /// <returns>Sky positions, brightest first.</returns>
    public static IReadOnlyList<SkySource> DetectSources(Exposure exposure, AlignmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        return Project(exposure, Detect(exposure, options ?? new AlignmentOptions()));
    }

    /// <summary>
    /// Applies a correction found in <paramref name="frame"/>'s pixels (<c>ref = M·in + t</c>) to every chip of an
    /// exposure: each chip gets a new CRVAL (the corrected sky position of its reference pixel) and CD (the linear part
    /// of the correction, expressed on the sky, times the old CD); CRPIX and the distortion are kept.
    /// </summary>
    /// <param name="exposure">The exposure.</param>
    /// <param name="frame">The tangent-plane frame of the fit.</param>
    /// <param name="correction">The correction.</param>
    /// <returns>A new exposure sharing the pixel arrays.</returns>
    public static Exposure ApplyCorrection(Exposure exposure, FitsWcs frame, Affine2D correction)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        ArgumentNullException.ThrowIfNull(frame);
        Matrix2x2 fcd = frame.Cd;
        Matrix2x2 linear = fcd * new Matrix2x2(correction.A, correction.B, correction.C, correction.D) * fcd.Inverse();
        var chips = new List<Chip>();
        foreach (Chip c in exposure.Chips)
        {
            FitsWcs w = c.Wcs;
            (double ra, double dec) = w.PixelToWorld(w.Crpix1 - 1.0, w.Crpix2 - 1.0);
            (double px, double py) = frame.WorldToPixel(ra, dec);
            (double qx, double qy) = correction.Apply(px, py);
            (double nra, double ndec) = frame.PixelToWorld(qx, qy);
            FitsWcs corrected = w.WithCorrection(nra, ndec, linear * w.Cd);
            chips.Add(new Chip(c.Name, c.ExtVer, c.Width, c.Height, c.Sci, c.Err, c.Dq, corrected, c.Header));
        }

        return new Exposure(exposure.Name, exposure.Path, exposure.ExposureTime, exposure.Units, chips, exposure.PrimaryHeader);
    }

    /// <summary>
    /// Writes corrected WCSs into an exposure's file: every SCI header gets the new primary WCS (named
    /// <paramref name="wcsName"/>) and keeps the previous one under the next free alternate key, as TweakReg does.
    /// Each header is replaced through the Fits module's atomic header update; the pixels are not touched.
    /// </summary>
    /// <param name="path">The exposure file.</param>
    /// <param name="corrected">The corrected exposure (its chips' EXTVERs name the SCI extensions).</param>
    /// <param name="wcsName">WCSNAME of the new WCS.</param>
    public static void UpdateHeaders(string path, Exposure corrected, string wcsName = "TWEAK")
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(corrected);
        var updates = new List<(int Index, FitsHeader Header)>();
        using (FitsFile file = FitsFile.Open(path))
        {
            foreach (Chip c in corrected.Chips)
            {
                FitsHdu hdu = file.Find("SCI", c.ExtVer) ?? file.FirstImage ?? throw new CombineException($"{path} has no SCI,{c.ExtVer}");
                FitsHeader h = hdu.Header.Clone();
                FitsWcs old = FitsWcs.FromHeader(h);
                char key = FitsWcs.NextFreeAlternateKey(h);
                old.WithName(old.Name ?? "OPUS").WriteTo(h, key);
                c.Wcs.WithName(wcsName).WriteTo(h);
                updates.Add((hdu.Index, h));
            }
        }

        foreach ((int index, FitsHeader h) in updates)
        {
            FitsWriter.UpdateHeader(path, index, h);
        }
    }

    private static (Exposure, ExposureAlignment) AlignOne(Exposure exposure, List<Detection> detections, MatchCatalog reference, FitsWcs frame,
        FitOptions fit, AlignmentOptions options, bool isReference)
    {
        double scale = frame.PixelScale(0, 0);
        Exposure current = exposure;
        Affine2D total = Affine2D.Identity;
        FitResult? last = null;
        string message = string.Empty;
        double[] lastX = [], lastY = [];
        for (int it = 0; it < Math.Max(1, options.Iterations); it++)
        {
            MatchCatalog input = ToFrame(Project(current, detections), frame);
            MatchResult match = CatalogMatcher.Match(input, reference, new MatchOptions
            {
                FitGeometry = options.FitGeometry,
                SearchRadius = it == 0 ? null : 5.0,
            });
            if (match.Status != MatchStatus.Success)
            {
                message = $"matching failed: {match.Message}";
                break;
            }

            double[] xin = match.Pairs.Select(p => input.X[p.InIndex]).ToArray();
            double[] yin = match.Pairs.Select(p => input.Y[p.InIndex]).ToArray();
            double[] xr = match.Pairs.Select(p => reference.X[p.RefIndex]).ToArray();
            double[] yr = match.Pairs.Select(p => reference.Y[p.RefIndex]).ToArray();
            FitResult f = LinearFitter.Fit(xin, yin, xr, yr, [], fit);
            if (f.Status != FitStatus.Success)
            {
                message = $"fit failed: {f.Message}";
                break;
            }

            last = f;
            total = f.Transform.After(total);
            current = ApplyCorrection(current, frame, f.Transform);
            lastX = xin.Select((x, i) => f.Transform.Apply(x, yin[i]).X).ToArray();
            lastY = xin.Select((x, i) => f.Transform.Apply(x, yin[i]).Y).ToArray();
            message = string.Create(CultureInfo.InvariantCulture,
                $"{f.NMatch} matches, xsh {f.XSh:0.0000} ysh {f.YSh:0.0000} rot {f.Rot:0.00000} scale {f.Scale:0.000000}, rms {f.FitRms * scale * 1000:0.00} mas");
        }

        bool ok = last is not null;
        options.Log?.Invoke($"{exposure.Name}{(isReference ? " (reference, to the external catalog)" : string.Empty)}: {message}");
        return (ok ? current : exposure,
            new ExposureAlignment(exposure.Name, isReference, ok, message, detections.Count, last, ok ? total : Affine2D.Identity, scale, lastX, lastY));
    }

    private static List<Detection> Detect(Exposure exposure, AlignmentOptions options)
    {
        var all = new List<Detection>();
        var finder = new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = options.Fwhm, NSigma = options.Threshold });
        for (int c = 0; c < exposure.Chips.Count; c++)
        {
            Chip chip = exposure.Chips[c];
            bool[] good = chip.GoodPixels(options.Bits);
            bool[] bad = Array.ConvertAll(good, g => !g);
            SourceFinder.SourceCatalog cat = finder.Find(new DetectionImage(chip.Sci, chip.Width, chip.Height, bad));
            foreach (DetectedSource s in cat.Sources)
            {
                if ((s.Flags & (SourceQuality.FitFailed | SourceQuality.Saturated)) == 0 && double.IsFinite(s.X) && double.IsFinite(s.Y))
                {
                    all.Add(new Detection(c, s.X, s.Y, s.Flux));
                }
            }
        }

        var sorted = all.OrderByDescending(d => d.Flux).ToList();
        return options.Brightest is { } nb && sorted.Count > nb ? sorted.GetRange(0, nb) : sorted;
    }

    private static List<SkySource> Project(Exposure exposure, List<Detection> detections)
    {
        var list = new List<SkySource>(detections.Count);
        foreach (Detection d in detections)
        {
            (double ra, double dec) = exposure.Chips[d.Chip].Wcs.PixelToWorld(d.X, d.Y);
            list.Add(new SkySource(ra, dec, d.Flux));
        }

        return list;
    }

    private static MatchCatalog ToFrame(IReadOnlyList<SkySource> sources, FitsWcs frame)
    {
        var x = new double[sources.Count];
        var y = new double[sources.Count];
        var f = new double[sources.Count];
        for (int i = 0; i < sources.Count; i++)
        {
            (x[i], y[i]) = frame.WorldToPixel(sources[i].Ra, sources[i].Dec);
            f[i] = sources[i].Flux;
        }

        return new MatchCatalog(x, y, f);
    }
}
