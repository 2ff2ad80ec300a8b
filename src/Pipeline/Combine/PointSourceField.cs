using TweakDrizzle.Wcs;

namespace TweakDrizzle.Pipeline.Combine;

/// <summary>
/// The advisor's photometry trial: a grid of noise-free Gaussian stars of flux 1 on a patch of sky, rendered into each
/// chip (flat-fielded, integrated over the pixel) and measured by aperture sums on a trial drizzle.
/// </summary>
internal sealed class PointSourceField
{
    /// <summary>Stars per side of the grid, at most.</summary>
    private const int MaxPerSide = 6;

    /// <summary>Sub-samples per pixel side when a star is integrated over a pixel.</summary>
    private const int SubSamples = 8;

    /// <summary>Aperture radius in FWHM: a Gaussian keeps 1 − 2·10⁻¹¹ of its light inside 3 FWHM.</summary>
    private const double ApertureInFwhm = 3.0;

    private readonly FitsWcs frame;
    private readonly List<(double Ra, double Dec)> stars = [];
    private readonly double sigma;
    private readonly double native;
    private readonly double aperture;

    /// <summary>Places the stars.</summary>
    /// <param name="ra">Patch centre, degrees.</param>
    /// <param name="dec">Patch centre, degrees.</param>
    /// <param name="patch">Side of the patch, arcsec.</param>
    /// <param name="fwhm">FWHM of the stars, arcsec.</param>
    /// <param name="native">The inputs' pixel scale, arcsec: flat-fielded values are surface brightness times its square.</param>
    public PointSourceField(double ra, double dec, double patch, double fwhm, double native)
    {
        this.native = native;
        sigma = fwhm / (2 * Math.Sqrt(2 * Math.Log(2)));
        aperture = ApertureInFwhm * fwhm;

        // A tangent-plane frame of 1" pixels centred on the patch: its pixel offsets are arcsec on the sky.
        frame = FitsWcs.CreateTan(ra, dec, 1, 1, 1.0, 0);
        // Stars 2.5 apertures apart or more; none when not even one aperture fits in the patch with its margin.
        int perSide = Math.Min((int)Math.Floor(patch / (2.5 * aperture)) - 1, MaxPerSide);
        double spacing = patch / (perSide + 1);
        for (int a = 0; a < perSide; a++)
        {
            for (int b = 0; b < perSide; b++)
            {
                // Additive recurrences with irrational steps spread the stars' pixel phases evenly.
                int k = (a * perSide) + b;
                double px = Frac(0.5 + (k * 0.6180339887498949)) - 0.5;
                double py = Frac(0.5 + (k * 0.7548776662466927)) - 0.5;
                double x = ((a - ((perSide - 1) / 2.0)) * spacing) + (px * native);
                double y = ((b - ((perSide - 1) / 2.0)) * spacing) + (py * native);
                (double sra, double sdec) = frame.PixelToWorld(x, y);
                stars.Add((sra, sdec));
            }
        }
    }

    /// <summary>Number of stars.</summary>
    public int Count => stars.Count;

    /// <summary>The tangent-plane frame of the patch: 1" pixels, origin at the patch centre.</summary>
    public FitsWcs Frame => frame;

    /// <summary>The stars on a rectangle of one chip.</summary>
    /// <param name="chip">The chip (its WCS).</param>
    /// <param name="x0">First column of the rectangle.</param>
    /// <param name="y0">First row.</param>
    /// <param name="width">Its width.</param>
    /// <param name="height">Its height.</param>
    /// <returns>The rectangle's pixel values (flux 1 per star, flat-fielded to the native pixel area), row by row.</returns>
    public float[] Render(Chip chip, int x0, int y0, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(chip);
        var image = new float[width * height];
        double norm = native * native / (2 * Math.PI * sigma * sigma) / (SubSamples * SubSamples);
        foreach ((double ra, double dec) in stars)
        {
            (double x, double y) = chip.Wcs.WorldToPixel(ra, dec);
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                continue;
            }

            // Chip pixels to arcsec on the sky (east, north), linear around the star (a few pixels); the star is
            // isotropic, so only the metric of this map matters.
            Matrix2x2 local = chip.Wcs.LocalJacobian(x, y);
            double j11 = local.M11 * 3600, j12 = local.M12 * 3600, j21 = local.M21 * 3600, j22 = local.M22 * 3600;
            double pixel = Math.Sqrt(Math.Abs((j11 * j22) - (j12 * j21)));
            if (!(pixel > 0))
            {
                continue;
            }

            int half = (int)Math.Ceiling(5 * sigma / pixel) + 1;
            int i0 = Math.Max(x0, (int)Math.Round(x) - half), i1 = Math.Min(x0 + width - 1, (int)Math.Round(x) + half);
            int j0 = Math.Max(y0, (int)Math.Round(y) - half), j1 = Math.Min(y0 + height - 1, (int)Math.Round(y) + half);
            for (int j = j0; j <= j1; j++)
            {
                for (int i = i0; i <= i1; i++)
                {
                    double sum = 0;
                    for (int v = 0; v < SubSamples; v++)
                    {
                        double py = j - 0.5 + ((v + 0.5) / SubSamples) - y;
                        for (int u = 0; u < SubSamples; u++)
                        {
                            double px = i - 0.5 + ((u + 0.5) / SubSamples) - x;
                            double ex = (j11 * px) + (j12 * py), ey = (j21 * px) + (j22 * py);
                            sum += Math.Exp(-((ex * ex) + (ey * ey)) / (2 * sigma * sigma));
                        }
                    }

                    image[((j - y0) * width) + (i - x0)] += (float)(sum * norm);
                }
            }
        }

        return image;
    }

    /// <summary>The stars' aperture sums on a drizzle of them, against their flux of 1.</summary>
    /// <param name="sci">The drizzled image (flat-fielded values, as the inputs).</param>
    /// <param name="wht">Its weights: a star with a pixel of zero weight in its aperture (a hole, or sky no input covers) is left out.</param>
    /// <param name="wcs">Its WCS.</param>
    /// <param name="n">Its side.</param>
    /// <param name="scale">Its pixel scale, arcsec.</param>
    /// <returns>RMS and largest absolute relative error over the stars measured; NaN when none could be.</returns>
    public (double Rms, double Max) Measure(float[] sci, float[] wht, FitsWcs wcs, int n, double scale)
    {
        ArgumentNullException.ThrowIfNull(sci);
        ArgumentNullException.ThrowIfNull(wht);
        ArgumentNullException.ThrowIfNull(wcs);
        double r = aperture / scale;
        double sum2 = 0, max = 0;
        int count = 0;
        foreach ((double ra, double dec) in stars)
        {
            (double x, double y) = wcs.WorldToPixel(ra, dec);
            if (!(x - r >= 0 && y - r >= 0 && x + r <= n - 1 && y + r <= n - 1))
            {
                continue;
            }

            double flux = 0;
            bool covered = true;
            for (int j = (int)Math.Ceiling(y - r); j <= (int)Math.Floor(y + r) && covered; j++)
            {
                for (int i = (int)Math.Ceiling(x - r); i <= (int)Math.Floor(x + r); i++)
                {
                    if (((i - x) * (i - x)) + ((j - y) * (j - y)) > r * r)
                    {
                        continue;
                    }

                    int k = (j * n) + i;
                    if (!(wht[k] > 0))
                    {
                        covered = false;
                        break;
                    }

                    flux += sci[k];
                }
            }

            if (!covered)
            {
                continue;
            }

            // Flat-fielded values are surface brightness times the native pixel area; an output pixel is scale².
            double error = (flux * scale * scale / (native * native)) - 1;
            sum2 += error * error;
            max = Math.Max(max, Math.Abs(error));
            count++;
        }

        return count == 0 ? (double.NaN, double.NaN) : (Math.Sqrt(sum2 / count), max);
    }

    private static double Frac(double v) => v - Math.Floor(v);
}
