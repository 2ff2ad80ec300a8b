namespace TweakDrizzle.SourceFinder;

/// <summary>
/// One-call detection with the sky handled for the caller (what <c>tweakdrizzle find --nsigma K</c> does):
/// estimate the sky, subtract it, and detect at K·σ.
/// </summary>
public static class SourceFinderModes
{
    /// <summary>
    /// DAO mode with <c>--nsigma</c>: astropy-style sigma-clipped statistics (3σ, 5 iterations, double; on a fixed
    /// subsample of about four million pixels for larger images, see <see cref="SkyStatistics.DefaultStride"/>), the
    /// median subtracted, and photutils <c>DAOStarFinder</c> at <c>threshold = nsigma·std</c>.
    /// </summary>
    /// <param name="image">The image with its sky.</param>
    /// <param name="options">DAO options; <see cref="DaoStarFinderOptions.Threshold"/> is replaced by nsigma·std.</param>
    /// <param name="nsigma">Threshold in units of the sky σ.</param>
    /// <returns>The catalog, with <see cref="SourceCatalog.SkyLevel"/> and <see cref="SourceCatalog.SkySigma"/> set.</returns>
    public static SourceCatalog DaoWithSky(DetectionImage image, DaoStarFinderOptions options, double nsigma)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        ClippedStats stats = SkyStatistics.SigmaClippedSampled(image, SkyStatistics.DefaultStride(image.Data.LongLength));
        if (stats.Count == 0 || !(stats.Std > 0))
        {
            return new SourceCatalog(DetectorMode.Dao, [], double.NaN, double.IsNaN(stats.Median) ? 0 : stats.Median, stats.Std,
                "the image has no usable pixels or no noise: no sources");
        }

        float[] sub = new float[image.Data.Length];
        float med = (float)stats.Median;
        float[] src = image.Data;
        Parallel.For(0, (sub.Length + 65535) / 65536, c =>
        {
            int i1 = Math.Min(sub.Length, (c + 1) * 65536);
            for (int i = c * 65536; i < i1; i++)
            {
                sub[i] = src[i] - med;
            }
        });
        var finder = new DaoStarFinder(options with { Threshold = nsigma * stats.Std });
        SourceCatalog cat = finder.Find(new DetectionImage(sub, image.Width, image.Height, image.BadPixels));
        return cat with { SkyLevel = stats.Median, SkySigma = stats.Std };
    }

    /// <summary>Runs a mode by name with default options (benchmarks and quick use).</summary>
    /// <param name="image">The image with its sky.</param>
    /// <param name="mode"><c>dao</c>, <c>tweakreg</c> or <c>refined</c>.</param>
    /// <param name="fwhm">PSF FWHM in pixels.</param>
    /// <param name="nsigma">Threshold in σ.</param>
    /// <returns>The catalog.</returns>
    public static SourceCatalog Run(DetectionImage image, string mode, double fwhm, double nsigma) => mode switch
    {
        "dao" => DaoWithSky(image, new DaoStarFinderOptions { Fwhm = fwhm, Threshold = 1.0 }, nsigma),
        "tweakreg" => new TweakRegStarFinder(new TweakRegFinderOptions { ConvWidth = fwhm, Threshold = nsigma }).Find(image),
        "refined" => new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = fwhm, NSigma = nsigma }).Find(image),
        _ => throw new SourceFinderException($"unknown detector mode '{mode}' (dao, tweakreg or refined)"),
    };
}
