using TweakDrizzle.Diagnostics.Drizzle;
using TweakDrizzle.Resample;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Pipeline.Combine;

/// <summary>One trial of the advisor: a scale and pixfrac with the weight-map and point-source figures it gives.</summary>
/// <param name="ScaleArcsec">Output pixel scale, arcsec.</param>
/// <param name="Pixfrac">Drop size.</param>
/// <param name="RmsOverMedian">Weight-map RMS / median in the central region.</param>
/// <param name="HoleFraction">Fraction of footprint pixels without weight.</param>
public sealed record AdviceTrial(double ScaleArcsec, double Pixfrac, double RmsOverMedian, double HoleFraction)
{
    /// <summary>
    /// RMS of the relative aperture-photometry error of noise-free point sources drizzled with this scale and pixfrac
    /// (see <see cref="DrizzleAdvisor"/>); NaN when not measured.
    /// </summary>
    public double PointSourceRms { get; init; } = double.NaN;

    /// <summary>Largest relative aperture-photometry error of those point sources; NaN when not measured.</summary>
    public double PointSourceMax { get; init; } = double.NaN;

    /// <summary>True when the weight map is uniform enough (RMS/median below 0.2) and has no holes.</summary>
    public bool Acceptable => RmsOverMedian < DrizzlePlots.WeightRmsGuideline && !(HoleFraction > 0);

    /// <summary>This trial as a point of the Diagnostics pixfrac plot (<see cref="DrizzlePlots.WeightVsPixfrac"/>).</summary>
    /// <returns>The plot's trial.</returns>
    public PixfracTrial ToPixfracTrial() =>
        new(Pixfrac, RmsOverMedian) { HoleFraction = HoleFraction, PointSourceRms = PointSourceRms, PointSourceMax = PointSourceMax };
}

/// <summary>Options of <see cref="DrizzleAdvisor.Advise(IReadOnlyList{Exposure}, DrizzleAdvisorOptions)"/>.</summary>
public sealed record DrizzleAdvisorOptions
{
    /// <summary>DQ bits treated as good (as final_bits); null: every flagged pixel is bad.</summary>
    public DqBits? Bits { get; init; }

    /// <summary>Side of the central output patch the trials drizzle, arcsec (default 8).</summary>
    public double PatchArcsec { get; init; } = 8.0;

    /// <summary>FWHM of the Gaussian point sources of the photometry trial, in native pixels (default 2, ACS/WFC-like).</summary>
    public double PsfFwhm { get; init; } = 2.0;

    /// <summary>
    /// When set, a trial is recommended only if its largest point-source error (<see cref="AdviceTrial.PointSourceMax"/>)
    /// is at most this fraction (for example 0.01); null (default): only the weight map counts, as in DrizzlePac's recipe.
    /// </summary>
    public double? MaxPointSourceError { get; init; }

    /// <summary>Output scales to try, arcsec; null (default): the native scale × 1, 0.8, 0.6 and 0.5.</summary>
    public IReadOnlyList<double>? Scales { get; init; }

    /// <summary>Pixfracs to try; null (default): 1.0, 0.9, … 0.3.</summary>
    public IReadOnlyList<double>? Pixfracs { get; init; }

    /// <summary>Largest number of threads.</summary>
    public int? NumCores { get; init; }
}

/// <summary>The advisor's recommendation.</summary>
/// <param name="FinalScale">Recommended final_scale, arcsec.</param>
/// <param name="FinalPixfrac">Recommended final_pixfrac.</param>
/// <param name="NativeScale">The inputs' native scale, arcsec.</param>
/// <param name="Exposures">Number of exposures.</param>
/// <param name="Trials">Every trial, scale by scale.</param>
/// <param name="Reason">One line explaining the choice.</param>
public sealed record DrizzleAdvice(double FinalScale, double FinalPixfrac, double NativeScale, int Exposures, IReadOnlyList<AdviceTrial> Trials, string Reason);

/// <summary>
/// Recommends final_scale and final_pixfrac from trial drizzles of the inputs' weights (good-pixel masks, DQ bits as
/// in the final drizzle) on a central patch of the output grid: the smallest scale, among native × (1, 0.8, 0.6, 0.5)
/// (or <see cref="DrizzleAdvisorOptions.Scales"/>), that some pixfrac in 1.0 … 0.3 keeps uniform on a patch at the
/// first chip's centre (weight RMS/median &lt; 0.2) and free of holes (and, when asked, keeps point sources within
/// <see cref="DrizzleAdvisorOptions.MaxPointSourceError"/>), and at that scale the smallest such pixfrac (sharpest
/// result). When no trial qualifies, the coarsest scale tried with its most uniform pixfrac.
/// </summary>
/// <remarks>
/// Each trial also drizzles noise-free point sources: up to 36 Gaussian stars (<see cref="DrizzleAdvisorOptions.PsfFwhm"/>)
/// on a grid over the patch, at spread-out pixel phases, rendered into every chip through its WCS (pixel-integrated,
/// flat-fielded like FLT data). Their aperture sums (radius 3 FWHM, which holds all of a Gaussian's light) on the
/// trial drizzle give the photometric error drizzle itself makes at that scale and pixfrac with these dithers: drizzle
/// averages the drops that cover each output pixel, and where the weight map is not uniform a star's core pixels are
/// counted with unequal weights, so its flux depends on where it falls. The weights are those of the weight trial, so
/// this costs no extra drizzle. Stars with a zero-weight output pixel in their aperture (a hole, or sky no chip
/// covers) are left out; the trial's hole fraction reports holes.
/// </remarks>
public static class DrizzleAdvisor
{
    private static readonly double[] ScaleFactors = [1.0, 0.8, 0.6, 0.5];
    private static readonly double[] Pixfracs = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3];

    /// <summary>Runs the trials and chooses.</summary>
    /// <param name="exposures">The inputs (aligned).</param>
    /// <param name="bits">DQ bits treated as good.</param>
    /// <param name="patch">Side of the central output patch used for the trials, arcsec.</param>
    /// <param name="numCores">Largest number of threads.</param>
    /// <returns>The advice.</returns>
    public static DrizzleAdvice Advise(IReadOnlyList<Exposure> exposures, DqBits? bits = null, double patch = 8.0, int? numCores = null) =>
        Advise(exposures, new DrizzleAdvisorOptions { Bits = bits, PatchArcsec = patch, NumCores = numCores });

    /// <summary>Runs the trials and chooses.</summary>
    /// <param name="exposures">The inputs (aligned).</param>
    /// <param name="options">The options.</param>
    /// <returns>The advice.</returns>
    public static DrizzleAdvice Advise(IReadOnlyList<Exposure> exposures, DrizzleAdvisorOptions options)
    {
        ArgumentNullException.ThrowIfNull(exposures);
        ArgumentNullException.ThrowIfNull(options);
        if (exposures.Count == 0)
        {
            throw new CombineException("no exposures to advise on");
        }

        if (!(options.PatchArcsec > 0) || double.IsInfinity(options.PatchArcsec) || options.MaxPointSourceError is { } limit && !(limit > 0))
        {
            throw new CombineException("advise: the patch size and the largest point-source error must be positive");
        }

        // The test stars are integrated over the pixel with 8×8 sub-samples, exact for FWHM ≥ 0.5 pixel.
        if (!(options.PsfFwhm >= 0.5) || double.IsInfinity(options.PsfFwhm))
        {
            throw new CombineException(FormattableString.Invariant($"advise: the PSF FWHM must be at least 0.5 pixel, got {options.PsfFwhm}"));
        }

        if (options.Scales is { Count: 0 } || options.Scales?.Any(v => !(v > 0) || double.IsInfinity(v)) == true
            || options.Pixfracs is { Count: 0 } || options.Pixfracs?.Any(v => !(v > 0) || v > 10) == true)
        {
            throw new CombineException("advise: the scales to try must be positive and the pixfracs in (0, 10]");
        }

        DqBits bits = options.Bits ?? DqBits.AllBad;
        int? numCores = options.NumCores;
        Chip first = exposures[0].Chips[0];
        double native = first.Wcs.PixelScale((first.Width - 1) / 2.0, (first.Height - 1) / 2.0);
        // The patch sits at the centre of the first chip, away from chip gaps (whose partial coverage is not pixfrac's doing).
        (double ra, double dec) = first.Wcs.PixelToWorld((first.Width - 1) / 2.0, (first.Height - 1) / 2.0);
        var field = new PointSourceField(ra, dec, options.PatchArcsec, options.PsfFwhm * native, native);
        if (field.Count == 0)
        {
            throw new CombineException(FormattableString.Invariant(
                $"advise: a test star's aperture (3 FWHM, {3 * options.PsfFwhm * native:0.##}\") does not fit in the {options.PatchArcsec:0.##}\" patch; use a smaller PSF FWHM"));
        }

        double[] scales = options.Scales is { } given ? [.. given.Distinct().OrderByDescending(v => v)] : [.. ScaleFactors.Select(f => native * f)];

        // Only the part of each chip under the patch is drizzled: its good-pixel mask and test stars, cropped (a few
        // hundred pixels a side), so memory and time do not grow with the chips. Header-only exposures have their
        // chips' SCI and DQ read here, one chip at a time.
        var pixels = new ExposureLoadOptions { ReadErr = false };
        var crops = new List<PatchCrop>();

        // Half the side of the largest trial grid (at least 16 pixels a side), plus a margin of 4 native pixels.
        double half = scales.Max(v => GridSide(options.PatchArcsec, v) * v / 2) + (4 * native);
        foreach (Exposure e in exposures)
        {
            for (int i = 0; i < e.Chips.Count; i++)
            {
                if (PatchBox(e.Chips[i], field.Frame, half) is { } box)
                {
                    bool[] good = e.ReadChip(i, pixels).GoodPixels(bits);
                    var mask = new float[box.Width * box.Height];
                    for (int y = 0; y < box.Height; y++)
                    {
                        for (int x = 0; x < box.Width; x++)
                        {
                            mask[(y * box.Width) + x] = good[((long)(y + box.Y0) * e.Chips[i].Width) + x + box.X0] ? 1f : 0f;
                        }
                    }

                    crops.Add(new PatchCrop(e.ExposureTime, e.Chips[i], box, mask, field.Render(e.Chips[i], box.X0, box.Y0, box.Width, box.Height)));
                }
            }
        }

        var trials = new List<AdviceTrial>();
        foreach (double scale in scales)
        {
            int n = GridSide(options.PatchArcsec, scale);
            FitsWcs wcs = FitsWcs.CreateTan(ra, dec, (n + 1) / 2.0, (n + 1) / 2.0, scale, 0);
            var pixmaps = crops.Select(c => Map(c, wcs, numCores)).ToList();
            foreach (double pf in options.Pixfracs ?? Pixfracs)
            {
                var driz = new Drizzle(new DrizzleOptions { Kernel = DrizzleKernel.Square, OutputWidth = n, OutputHeight = n, DisableCtx = true, MaxDegreeOfParallelism = numCores });
                for (int i = 0; i < crops.Count; i++)
                {
                    PatchCrop c = crops[i];
                    driz.AddImage(new DrizzleInput
                    {
                        Data = c.Stars,
                        Exptime = c.Exptime,
                        Pixmap = pixmaps[i],
                        WeightMap = c.Mask,
                        WhtScale = c.Exptime,
                        Pixfrac = pf,
                    });
                }

                float[] wht = driz.OutWht ?? new float[n * n];
                WeightStatistics st = DrizzleQuality.Measure(wht, n, n);
                (double rms, double max) = field.Measure(driz.OutImg ?? new float[n * n], wht, wcs, n, scale);
                trials.Add(new AdviceTrial(scale, pf, st.RmsOverMedian, st.HoleFraction) { PointSourceRms = rms, PointSourceMax = max });
            }
        }

        bool Qualifies(AdviceTrial t) => t.Acceptable && (options.MaxPointSourceError is not { } most || t.PointSourceMax <= most);
        string criteria = options.MaxPointSourceError is { } m
            ? FormattableString.Invariant($"a uniform, hole-free weight map and point sources within {100 * m:0.##}%")
            : "a uniform, hole-free weight map";
        foreach (double scale in scales.Reverse())
        {
            AdviceTrial? best = trials.Where(t => t.ScaleArcsec == scale && Qualifies(t)).OrderBy(t => t.Pixfrac).FirstOrDefault();
            if (best is not null)
            {
                return new DrizzleAdvice(best.ScaleArcsec, best.Pixfrac, native, exposures.Count, trials,
                    FormattableString.Invariant($"smallest scale with {criteria}: {best.ScaleArcsec:0.####}\" with pixfrac {best.Pixfrac:0.0} (weight rms/median {best.RmsOverMedian:0.000}, ")
                    + (double.IsNaN(best.PointSourceMax) ? "point sources not measured: every test star touches a hole)" : FormattableString.Invariant($"point sources within {100 * best.PointSourceMax:0.00}%)")));
            }
        }

        // Nothing qualifies: the coarsest scale tried (the native one by default) with its most uniform pixfrac.
        AdviceTrial fallback = trials.Where(t => t.ScaleArcsec == scales[0])
            .OrderBy(t => double.IsNaN(t.RmsOverMedian)).ThenBy(t => t.RmsOverMedian).ThenByDescending(t => t.Pixfrac).First();
        return new DrizzleAdvice(fallback.ScaleArcsec, fallback.Pixfrac, native, exposures.Count, trials,
            FormattableString.Invariant($"no trial met {criteria}; keep the scale {fallback.ScaleArcsec:0.####}\" and pixfrac {fallback.Pixfrac:0.0} (most uniform: rms/median {fallback.RmsOverMedian:0.000})"));
    }

    /// <summary>Side of a trial grid, pixels: the patch at this scale, at least 16 pixels.</summary>
    private static int GridSide(double patch, double scale) => Math.Max(16, (int)Math.Round(patch / scale));

    /// <summary>The pixmap of a crop onto the trial grid.</summary>
    private static Pixmap Map(PatchCrop crop, FitsWcs target, int? cores)
    {
        FitsWcs source = crop.Chip.Wcs;
        int x0 = crop.Box.X0, y0 = crop.Box.Y0;
        void Transform(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> xo, Span<double> yo)
        {
            // Crop pixels to chip pixels in the output spans, then through the sky in place.
            for (int k = 0; k < x.Length; k++)
            {
                xo[k] = x[k] + x0;
                yo[k] = y[k] + y0;
            }

            source.PixelToPixel(target, xo, yo, xo, yo);
        }

        return PixmapCalculator.Calculate(Transform, crop.Box.Width, crop.Box.Height, new PixmapOptions { MaxDegreeOfParallelism = cores });
    }

    /// <summary>
    /// The chip's pixels under a square of half-side <paramref name="half"/> arcsec around the frame's origin: the
    /// bounding box of the square's outline mapped into the chip (64 points; the distortion bends edges only slightly),
    /// 2 pixels wider, clipped to the chip; null when that leaves less than 2×2 pixels (the chip does not reach the
    /// square).
    /// </summary>
    internal static CropBox? PatchBox(Chip chip, FitsWcs frame, double half)
    {
        double xmin = double.MaxValue, ymin = double.MaxValue, xmax = double.MinValue, ymax = double.MinValue;
        const int PerEdge = 16;
        for (int k = 0; k < 4 * PerEdge; k++)
        {
            double t = -half + (2 * half * (k % PerEdge) / PerEdge);
            (double u, double v) = (k / PerEdge) switch
            {
                0 => (t, -half),
                1 => (half, t),
                2 => (-t, half),
                _ => (-half, -t),
            };
            (double r, double d) = frame.PixelToWorld(u, v);
            (double x, double y) = chip.Wcs.WorldToPixel(r, d);
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                return null;
            }

            xmin = Math.Min(xmin, x);
            xmax = Math.Max(xmax, x);
            ymin = Math.Min(ymin, y);
            ymax = Math.Max(ymax, y);
        }

        int x0 = Math.Max(0, (int)Math.Floor(xmin) - 2), x1 = Math.Min(chip.Width - 1, (int)Math.Ceiling(xmax) + 2);
        int y0 = Math.Max(0, (int)Math.Floor(ymin) - 2), y1 = Math.Min(chip.Height - 1, (int)Math.Ceiling(ymax) + 2);
        // A box under 2 pixels wide lies wholly in the margin (and the square kernel needs 2×2 pixels).
        return x1 - x0 < 1 || y1 - y0 < 1 ? null : new CropBox(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    /// <summary>A rectangle of chip pixels.</summary>
    internal readonly record struct CropBox(int X0, int Y0, int Width, int Height);

    /// <summary>One chip's part under the patch: its exposure time, good-pixel mask (1 or 0) and rendered test stars.</summary>
    private sealed record PatchCrop(double Exptime, Chip Chip, CropBox Box, float[] Mask, float[] Stars);
}
