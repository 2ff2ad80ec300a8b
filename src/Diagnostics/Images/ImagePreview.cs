using TweakDrizzle.Diagnostics.Plotting;

namespace TweakDrizzle.Diagnostics.Images;

/// <summary>Options of <see cref="ImagePreview"/>.</summary>
public sealed record PreviewOptions
{
    /// <summary>The stretch; asinh by default, which shows faint sky and bright stars together.</summary>
    public StretchKind Stretch { get; init; } = StretchKind.Asinh;

    /// <summary>Percentile shown as black.</summary>
    public double LowPercent { get; init; } = 0.5;

    /// <summary>Percentile shown as white.</summary>
    public double HighPercent { get; init; } = 99.8;

    /// <summary>Fixed black level (data units) instead of <see cref="LowPercent"/>; NaN to use the percentile.</summary>
    public double Vmin { get; init; } = double.NaN;

    /// <summary>Fixed white level (data units) instead of <see cref="HighPercent"/>; NaN to use the percentile.</summary>
    public double Vmax { get; init; } = double.NaN;

    /// <summary>Longest side of the preview in pixels; larger images are block-averaged (0 keeps the full size).</summary>
    public int MaxSize { get; init; } = 1024;

    /// <summary>The colour map: gray (8-bit grey PNG) or another map (RGB PNG).</summary>
    public Colormap Colormap { get; init; } = Colormap.Gray;

    /// <summary>Leave pixels that are exactly 0 out of the percentiles: drizzle products and mosaics fill the
    /// area without data with 0, which would otherwise set the black level.</summary>
    public bool IgnoreZeros { get; init; } = true;

    /// <summary>Put image row 0 at the bottom, as FITS viewers (DS9) show it.</summary>
    public bool FlipVertically { get; init; } = true;
}

/// <summary>
/// Stretched previews of float images as PNG through the managed <see cref="PngWriter"/>: no cairo needed.
/// NaN pixels are drawn black (grey map) or in the map's missing colour.
/// </summary>
public static class ImagePreview
{
    /// <summary>Renders a preview PNG.</summary>
    /// <param name="data">Row-major pixels (row 0 first).</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="options">Stretch, size and colour options; null for the defaults.</param>
    /// <returns>The PNG bytes.</returns>
    public static byte[] ToPng(ReadOnlySpan<float> data, int width, int height, PreviewOptions? options = null)
    {
        options ??= new PreviewOptions();
        (float[] small, int w, int h) = Reduce(data, width, height, options.MaxSize);
        ImageStretch stretch = StretchFor(small, options);
        bool gray = ReferenceEquals(options.Colormap, Colormap.Gray);
        var pixels = new byte[w * h * (gray ? 1 : 3)];
        for (int y = 0; y < h; y++)
        {
            int srcRow = options.FlipVertically ? h - 1 - y : y;
            for (int x = 0; x < w; x++)
            {
                double t = stretch.Forward(small[(srcRow * w) + x]);
                if (gray)
                {
                    pixels[(y * w) + x] = double.IsNaN(t) ? (byte)0 : (byte)Math.Round(t * 255);
                }
                else
                {
                    PlotColor c = options.Colormap.Map(t);
                    int k = ((y * w) + x) * 3;
                    pixels[k] = c.R;
                    pixels[k + 1] = c.G;
                    pixels[k + 2] = c.B;
                }
            }
        }

        return PngWriter.Encode(pixels, w, h, gray ? PngColorType.Gray8 : PngColorType.Rgb8);
    }

    /// <summary>Renders a preview and writes it atomically to <paramref name="path"/>.</summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="data">Row-major pixels.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="options">Options; null for the defaults.</param>
    public static void Save(string path, ReadOnlySpan<float> data, int width, int height, PreviewOptions? options = null) =>
        AtomicFile.WriteAllBytes(path, ToPng(data, width, height, options));

    /// <summary>The stretch a preview uses: fixed limits where given, percentiles of the finite pixels otherwise.</summary>
    /// <param name="data">The (reduced) pixels.</param>
    /// <param name="options">The options.</param>
    /// <returns>The stretch.</returns>
    public static ImageStretch StretchFor(ReadOnlySpan<float> data, PreviewOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ReadOnlySpan<float> sample = data;
        if (options.IgnoreZeros)
        {
            float[] nonZero = [.. data.ToArray().Where(v => v != 0)];
            if (nonZero.Length > 0)
            {
                sample = nonZero;
            }
        }

        ImageStretch s = ImageStretch.FromPercentiles(options.Stretch, sample, options.LowPercent, options.HighPercent);
        double lo = double.IsNaN(options.Vmin) ? s.Vmin : options.Vmin;
        double hi = double.IsNaN(options.Vmax) ? s.Vmax : options.Vmax;
        return new ImageStretch(options.Stretch, lo, hi > lo ? hi : lo + 1);
    }

    private static (float[] Data, int Width, int Height) Reduce(ReadOnlySpan<float> data, int width, int height, int maxSize)
    {
        ImageOps.CheckShape(data.Length, width, height);
        int factor = maxSize > 0 ? ImageOps.ReductionFactor(width, height, maxSize) : 1;
        return factor == 1 ? (data.ToArray(), width, height) : ImageOps.BlockReduce(data, width, height, factor);
    }
}
