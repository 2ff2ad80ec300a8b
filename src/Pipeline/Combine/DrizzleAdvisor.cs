using TweakDrizzle.Diagnostics.Drizzle;
using TweakDrizzle.Resample;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Pipeline.Combine;

/// <summary>One trial of the advisor: a scale and pixfrac with the weight-map figures it gives.</summary>
/// <param name="ScaleArcsec">Output pixel scale, arcsec.</param>
/// <param name="Pixfrac">Drop size.</param>
/// <param name="RmsOverMedian">Weight-map RMS / median in the central region.</param>
/// <param name="HoleFraction">Fraction of footprint pixels without weight.</param>
public sealed record AdviceTrial(double ScaleArcsec, double Pixfrac, double RmsOverMedian, double HoleFraction)
{
    /// <summary>True when the weight map is uniform enough (RMS/median below 0.2) and has no holes.</summary>
    public bool Acceptable => RmsOverMedian < DrizzlePlots.WeightRmsGuideline && !(HoleFraction > 0);
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
/// in the final drizzle) on a central patch of the output grid: the smallest scale, among native × (1, 0.8, 0.6, 0.5),
/// that some pixfrac in 1.0 … 0.3 keeps uniform on a patch at the first chip's centre (weight RMS/median &lt; 0.2) and free of holes, and at that scale the
/// smallest such pixfrac (sharpest result).
/// </summary>
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
    public static DrizzleAdvice Advise(IReadOnlyList<Exposure> exposures, DqBits? bits = null, double patch = 8.0, int? numCores = null)
    {
        ArgumentNullException.ThrowIfNull(exposures);
        if (exposures.Count == 0)
        {
            throw new CombineException("no exposures to advise on");
        }

        bits ??= DqBits.AllBad;
        Chip first = exposures[0].Chips[0];
        double native = first.Wcs.PixelScale((first.Width - 1) / 2.0, (first.Height - 1) / 2.0);
        // The patch sits at the centre of the first chip, away from chip gaps (whose partial coverage is not pixfrac's doing).
        (double ra, double dec) = first.Wcs.PixelToWorld((first.Width - 1) / 2.0, (first.Height - 1) / 2.0);
        // Header-only exposures have their chips' SCI and DQ read here (ReadChip returns a chip with pixels as it is).
        var pixels = new ExposureLoadOptions { ReadErr = false };
        var masks = exposures.SelectMany(e => e.Chips.Select((c, i) => (e, c, w: Array.ConvertAll(e.ReadChip(i, pixels).GoodPixels(bits), g => g ? 1f : 0f)))).ToList();
        var trials = new List<AdviceTrial>();
        foreach (double f in ScaleFactors)
        {
            double scale = native * f;
            int n = Math.Max(16, (int)Math.Round(patch / scale));
            FitsWcs wcs = FitsWcs.CreateTan(ra, dec, (n + 1) / 2.0, (n + 1) / 2.0, scale, 0);
            var pixmaps = masks.Select(m => Map(m.c, wcs, n, numCores)).ToList();
            foreach (double pf in Pixfracs)
            {
                var driz = new Drizzle(new DrizzleOptions { Kernel = DrizzleKernel.Square, OutputWidth = n, OutputHeight = n, DisableCtx = true, MaxDegreeOfParallelism = numCores });
                var sci = new float[n * n];
                for (int i = 0; i < masks.Count; i++)
                {
                    if (pixmaps[i] is not { } pm)
                    {
                        continue;
                    }

                    driz.AddImage(new DrizzleInput
                    {
                        Data = masks[i].w,
                        Exptime = masks[i].e.ExposureTime,
                        Pixmap = pm.Map,
                        WeightMap = masks[i].w,
                        WhtScale = masks[i].e.ExposureTime,
                        Pixfrac = pf,
                        Xmin = pm.X0,
                        Xmax = pm.X1,
                        Ymin = pm.Y0,
                        Ymax = pm.Y1,
                    });
                }

                float[] wht = driz.OutWht ?? new float[n * n];
                WeightStatistics st = DrizzleQuality.Measure(wht, n, n);
                trials.Add(new AdviceTrial(scale, pf, st.RmsOverMedian, st.HoleFraction));
            }
        }

        foreach (double f in ScaleFactors.Reverse())
        {
            AdviceTrial? best = trials.Where(t => Math.Abs(t.ScaleArcsec - (native * f)) < 1e-12 && t.Acceptable).OrderBy(t => t.Pixfrac).FirstOrDefault();
            if (best is not null)
            {
                return new DrizzleAdvice(best.ScaleArcsec, best.Pixfrac, native, exposures.Count, trials,
                    FormattableString.Invariant($"smallest scale with a uniform, hole-free weight map: {best.ScaleArcsec:0.####}\" with pixfrac {best.Pixfrac:0.0} (weight rms/median {best.RmsOverMedian:0.000})"));
            }
        }

        AdviceTrial fallback = trials.Where(t => t.ScaleArcsec == native).OrderBy(t => t.RmsOverMedian).First();
        return new DrizzleAdvice(native, 1.0, native, exposures.Count, trials,
            FormattableString.Invariant($"no trial met RMS/median < 0.2 without holes; keep the native scale {native:0.####}\" and pixfrac 1 (best rms/median {fallback.RmsOverMedian:0.000})"));
    }

    private static (Pixmap Map, int X0, int X1, int Y0, int Y1)? Map(Chip c, FitsWcs target, int n, int? cores)
    {
        FitsWcs source = c.Wcs;
        void Transform(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> xo, Span<double> yo)
        {
            var ra = new double[x.Length];
            var dec = new double[x.Length];
            source.PixelToWorld(x, y, ra, dec);
            target.WorldToPixel(ra, dec, xo, yo);
        }

        Pixmap pm = PixmapCalculator.Calculate(Transform, c.Width, c.Height, new PixmapOptions { Fast = true, MaxDegreeOfParallelism = cores });
        int x0 = int.MaxValue, x1 = -1, y0 = int.MaxValue, y1 = -1;
        for (int j = 0; j < c.Height; j++)
        {
            for (int i = 0; i < c.Width; i++)
            {
                long k = ((long)j * c.Width) + i;
                double x = pm.X[k], y = pm.Y[k];
                if (x > -2 && y > -2 && x < n + 1 && y < n + 1)
                {
                    x0 = Math.Min(x0, i);
                    x1 = Math.Max(x1, i);
                    y0 = Math.Min(y0, j);
                    y1 = Math.Max(y1, j);
                }
            }
        }

        return x1 < 0 ? null : (pm, x0, x1, y0, y1);
    }
}
