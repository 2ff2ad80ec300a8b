using TweakDrizzle.Fits;

namespace TweakDrizzle.Diagnostics.Images;

/// <summary>Previews of FITS images (first plane of cubes) as PNG, through the managed encoder.</summary>
public static class FitsPreview
{
    /// <summary>Reads the image addressed by <paramref name="spec"/> (<c>file.fits</c>, <c>file.fits[1]</c>,
    /// <c>file.fits[SCI,2]</c>) and writes a stretched preview PNG atomically.</summary>
    /// <param name="spec">The image address.</param>
    /// <param name="pngPath">The PNG file to write.</param>
    /// <param name="options">Preview options; null for the defaults.</param>
    /// <returns>The image size in pixels (of the FITS image, before any reduction).</returns>
    /// <exception cref="FitsException">The file is not valid FITS or the HDU holds no 2-D image.</exception>
    public static (int Width, int Height) Save(string spec, string pngPath, PreviewOptions? options = null)
    {
        FitsImage<float> image = FitsFile.ReadImage<float>(spec);
        if (image.Shape.Length < 2 || image.Width < 1 || image.Height < 1)
        {
            throw new FitsException($"'{spec}' holds no 2-D image (shape [{string.Join(", ", image.Shape)}]).");
        }

        int n = image.Width * image.Height;
        ImagePreview.Save(pngPath, image.Data.AsSpan(0, n), image.Width, image.Height, options);
        return (image.Width, image.Height);
    }
}
