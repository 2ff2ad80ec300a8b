using TweakDrizzle.Fits;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Resample;

/// <summary>
/// The pixmap file of CONTRACTS.md: FITS, BITPIX -64, NAXIS1 = nx_in, NAXIS2 = ny_in, NAXIS3 = 2; plane 1 holds the
/// output x of each input pixel centre, plane 2 the output y; NaN means "not mapped".
/// </summary>
public static class PixmapFile
{
    /// <summary>Reads a pixmap file (any HDU spec, .gz allowed).</summary>
    /// <param name="spec">File path, optionally with an HDU selector.</param>
    /// <returns>The pixmap.</returns>
    /// <exception cref="ResampleException">The image is not nx x ny x 2.</exception>
    /// <exception cref="FitsException">The file cannot be read.</exception>
    public static Pixmap Read(string spec)
    {
        FitsImage<double> img = FitsFile.ReadImage<double>(spec);
        if (img.Shape.Length != 3 || img.Shape[2] != 2)
        {
            throw new ResampleException($"{spec} is not a pixmap: its shape is [{string.Join(", ", img.Shape)}], expected [nx, ny, 2]");
        }

        int n = img.Shape[0] * img.Shape[1];
        return new Pixmap(img.Shape[0], img.Shape[1], img.Data[..n], img.Data[n..]);
    }

    /// <summary>Writes a pixmap file atomically.</summary>
    /// <param name="path">Destination.</param>
    /// <param name="pixmap">The pixmap.</param>
    public static void Write(string path, Pixmap pixmap)
    {
        ArgumentNullException.ThrowIfNull(pixmap);
        var data = new double[2 * pixmap.X.LongLength];
        pixmap.X.CopyTo(data, 0);
        pixmap.Y.CopyTo(data, pixmap.X.LongLength);
        FitsWriter.Write(path, [FitsWriteHdu.Image(data, [pixmap.Width, pixmap.Height, 2])]);
    }

    /// <summary>
    /// The pixmap from the pixels of <paramref name="from"/> to those of <paramref name="to"/> through the full
    /// distortion models (drizzle's <c>calc_pixmap</c>): pixel → sky in <paramref name="from"/>, sky → pixel in
    /// <paramref name="to"/> (SIP inverted by iteration).
    /// </summary>
    /// <param name="from">WCS of the input image.</param>
    /// <param name="to">WCS of the output frame.</param>
    /// <param name="width">Input columns.</param>
    /// <param name="height">Input rows.</param>
    /// <param name="options">Exact (default) or fast mode.</param>
    /// <returns>The pixmap.</returns>
    public static Pixmap CalcPixmap(FitsWcs from, FitsWcs to, int width, int height, PixmapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return PixmapCalculator.Calculate(Transform(from, to), width, height, options);
    }

    /// <summary>The input-pixel → output-pixel transform of a WCS pair (thread-safe).</summary>
    /// <param name="from">WCS of the input image.</param>
    /// <param name="to">WCS of the output frame.</param>
    /// <returns>The transform.</returns>
    public static PixelTransform Transform(FitsWcs from, FitsWcs to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return (x, y, xo, yo) =>
        {
            from.PixelToWorld(x, y, xo, yo);
            to.WorldToPixel(xo, yo, xo, yo);
        };
    }

    /// <summary>
    /// drizzle's <c>estimate_pixel_scale_ratio</c>: the linear size of an output pixel in input pixels, from the
    /// pixel areas of both WCSs at the centre of the input image and its position in the output.
    /// </summary>
    /// <param name="from">WCS of the input image.</param>
    /// <param name="to">WCS of the output frame.</param>
    /// <param name="width">Input columns.</param>
    /// <param name="height">Input rows.</param>
    /// <returns>The ratio.</returns>
    public static double EstimatePixelScaleRatio(FitsWcs from, FitsWcs to, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        double cx = (width - 1) / 2, cy = (height - 1) / 2;
        (double ra, double dec) = from.PixelToWorld(cx, cy);
        (double ox, double oy) = to.WorldToPixel(ra, dec);
        return to.PixelScale(ox, oy) / from.PixelScale(cx, cy);
    }
}
