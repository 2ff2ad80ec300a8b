using System.Globalization;
using TweakDrizzle.Fits;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Pipeline.Combine;

/// <summary>An output grid: a plain TAN WCS and a shape.</summary>
/// <param name="Wcs">The output WCS (no distortion).</param>
/// <param name="Width">NAXIS1.</param>
/// <param name="Height">NAXIS2.</param>
public sealed record OutputGrid(FitsWcs Wcs, int Width, int Height)
{
    /// <summary>The grid's WCS for a window of it whose pixel (0, 0) is grid pixel (<paramref name="x0"/>, <paramref name="y0"/>).</summary>
    /// <param name="x0">Window origin, grid x.</param>
    /// <param name="y0">Window origin, grid y.</param>
    /// <returns>The window's WCS (CRPIX shifted).</returns>
    public FitsWcs WindowWcs(long x0, long y0) => Wcs.WithReferencePixel(Wcs.Crpix1 - x0, Wcs.Crpix2 - y0);

    /// <summary>Pixel scale at the grid centre, arcsec.</summary>
    public double ScaleArcsec => Wcs.PixelScale((Width - 1) / 2.0, (Height - 1) / 2.0);

    /// <summary>Position angle of the +y axis at the grid centre, degrees east of north.</summary>
    public double Orientation => Wcs.Orientation((Width - 1) / 2.0, (Height - 1) / 2.0);

    /// <summary>Number of pixels.</summary>
    public long PixelCount => (long)Width * Height;

    /// <summary>
    /// Builds the grid as AstroDrizzle does: the custom grid (scale, rotation, centre, shape) when any final grid
    /// option is given, else the native scale and orientation of the first chip; the shape covers every input chip
    /// unless given, and the centre is the middle of the inputs' footprint unless given.
    /// </summary>
    /// <param name="exposures">The inputs.</param>
    /// <param name="options">The options.</param>
    /// <returns>The grid.</returns>
    /// <exception cref="CombineException">Bad grid options or a grid above <see cref="AstroDrizzleOptions.MaxOutputPixels"/>.</exception>
    public static OutputGrid Create(IReadOnlyList<Exposure> exposures, AstroDrizzleOptions options)
    {
        ArgumentNullException.ThrowIfNull(exposures);
        ArgumentNullException.ThrowIfNull(options);
        if (exposures.Count == 0)
        {
            throw new CombineException("no input exposures");
        }

        return Create(exposures.SelectMany(e => e.Chips).Select(c => new ChipGeometry(c.Wcs, c.Width, c.Height)).ToList(), options);
    }

    /// <summary>As <see cref="Create(IReadOnlyList{Exposure}, AstroDrizzleOptions)"/>, from the chips' WCSs and shapes alone (first chip first).</summary>
    /// <param name="chips">Every input chip.</param>
    /// <param name="options">The options.</param>
    /// <returns>The grid.</returns>
    /// <exception cref="CombineException">Bad grid options or a grid above <see cref="AstroDrizzleOptions.MaxOutputPixels"/>.</exception>
    public static OutputGrid Create(IReadOnlyList<ChipGeometry> chips, AstroDrizzleOptions options)
    {
        ArgumentNullException.ThrowIfNull(chips);
        ArgumentNullException.ThrowIfNull(options);
        if (chips.Count == 0)
        {
            throw new CombineException("no input exposures");
        }

        if (options.FinalRefImage is not null)
        {
            return FromReference(options.FinalRefImage, options.MaxOutputPixels);
        }

        if ((options.FinalRa is null) != (options.FinalDec is null))
        {
            throw new CombineException("give both --final-ra and --final-dec, or neither");
        }

        if (options.FinalOutNx is < 1 || options.FinalOutNy is < 1)
        {
            throw new CombineException("--final-outnx and --final-outny must be positive");
        }

        ChipGeometry first = chips[0];
        double cx = (first.Width - 1) / 2.0, cy = (first.Height - 1) / 2.0;
        bool custom = options.UsesCustomGrid;
        double scale = options.FinalScale ?? first.Wcs.PixelScale(cx, cy);
        if (!(scale > 0) || !double.IsFinite(scale))
        {
            throw new CombineException($"final_scale must be a positive number of arcseconds, got {scale}");
        }

        double rot = options.FinalRot ?? (custom ? 0.0 : first.Wcs.Orientation(cx, cy));
        if (!double.IsFinite(rot))
        {
            throw new CombineException("final_rot must be a finite angle");
        }

        // Footprint of every chip (edges sampled) on a provisional tangent plane.
        (double ra0, double dec0) = first.Wcs.PixelToWorld(cx, cy);
        FitsWcs provisional = FitsWcs.CreateTan(ra0, dec0, 1, 1, scale, rot);
        double xmin = double.PositiveInfinity, xmax = double.NegativeInfinity, ymin = double.PositiveInfinity, ymax = double.NegativeInfinity;
        foreach (ChipGeometry c in chips)
        {
            foreach ((double x, double y) in EdgePoints(c.Width, c.Height))
            {
                (double ra, double dec) = c.Wcs.PixelToWorld(x, y);
                (double px, double py) = provisional.WorldToPixel(ra, dec);
                if (double.IsFinite(px) && double.IsFinite(py))
                {
                    xmin = Math.Min(xmin, px);
                    xmax = Math.Max(xmax, px);
                    ymin = Math.Min(ymin, py);
                    ymax = Math.Max(ymax, py);
                }
            }
        }

        if (!double.IsFinite(xmin))
        {
            throw new CombineException("the inputs' footprints cannot be projected onto the output grid");
        }

        double ra1, dec1;
        if (options.FinalRa is { } fra && options.FinalDec is { } fdec)
        {
            (ra1, dec1) = (fra, fdec);
        }
        else
        {
            (ra1, dec1) = provisional.PixelToWorld((xmin + xmax) / 2.0, (ymin + ymax) / 2.0);
        }

        int nx, ny;
        if (options.FinalOutNx is { } gx && options.FinalOutNy is { } gy)
        {
            (nx, ny) = (gx, gy);
        }
        else
        {
            // Cover the footprint symmetrically about the chosen centre.
            (double pcx, double pcy) = provisional.WorldToPixel(ra1, dec1);
            double halfW = Math.Max(pcx - xmin, xmax - pcx) + 1.0;
            double halfH = Math.Max(pcy - ymin, ymax - pcy) + 1.0;
            double cnx = (2.0 * halfW) + 1.0, cny = (2.0 * halfH) + 1.0;
            if (cnx * cny > options.MaxOutputPixels || cnx > int.MaxValue || cny > int.MaxValue)
            {
                throw TooLarge(cnx, cny, options.MaxOutputPixels);
            }

            nx = options.FinalOutNx ?? (int)Math.Ceiling(cnx);
            ny = options.FinalOutNy ?? (int)Math.Ceiling(cny);
        }

        if ((double)nx * ny > options.MaxOutputPixels)
        {
            throw TooLarge(nx, ny, options.MaxOutputPixels);
        }

        FitsWcs wcs = FitsWcs.CreateTan(ra1, dec1, (nx + 1) / 2.0, (ny + 1) / 2.0, scale, rot);
        return new OutputGrid(wcs, nx, ny);
    }

    /// <summary>The grid of an existing product or image: its WCS without distortion and its shape.</summary>
    /// <param name="path">A FITS file; the SCI extension is used when present, else the first image.</param>
    /// <param name="maxPixels">Largest accepted size.</param>
    /// <returns>The grid.</returns>
    /// <exception cref="CombineException">The file holds no image with a WCS, or the grid is too large.</exception>
    public static OutputGrid FromReference(string path, long maxPixels)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new CombineException($"final_refimage {path} does not exist");
        }

        using FitsFile file = FitsFile.Open(path);
        FitsHdu hdu = file.Find("SCI") ?? file.FirstImage ?? throw new CombineException($"final_refimage {path} holds no image");
        if (!FitsWcs.HasWcs(hdu.Header))
        {
            throw new CombineException($"final_refimage {path} has no WCS");
        }

        FitsWcs wcs = FitsWcs.FromHeader(hdu.Header).WithoutDistortion();
        if ((double)hdu.Width * hdu.Height > maxPixels)
        {
            throw TooLarge(hdu.Width, hdu.Height, maxPixels);
        }

        return new OutputGrid(wcs, (int)hdu.Width, (int)hdu.Height);
    }

    /// <summary>The world position of output pixel ((NX+1)/2, (NY+1)/2), 1-based (AstroDrizzle's final_ra/final_dec).</summary>
    public (double Ra, double Dec) Center => Wcs.PixelToWorld(((Width + 1) / 2.0) - 1.0, ((Height + 1) / 2.0) - 1.0);

    internal static IEnumerable<(double X, double Y)> EdgePoints(int width, int height)
    {
        const int n = 16;
        for (int k = 0; k <= n; k++)
        {
            double fx = -0.5 + ((width * (double)k) / n);
            double fy = -0.5 + ((height * (double)k) / n);
            yield return (fx, -0.5);
            yield return (fx, height - 0.5);
            yield return (-0.5, fy);
            yield return (width - 0.5, fy);
        }
    }

    private static CombineException TooLarge(double nx, double ny, long max) => new(string.Create(CultureInfo.InvariantCulture,
        $"the output grid would be {nx:0}x{ny:0} pixels, more than the limit of {max} pixels; choose a larger final_scale or a smaller final_outnx/final_outny"));
}

/// <summary>Where an input chip lies on the sky: its WCS and shape.</summary>
/// <param name="Wcs">The chip's WCS.</param>
/// <param name="Width">NAXIS1.</param>
/// <param name="Height">NAXIS2.</param>
public sealed record ChipGeometry(FitsWcs Wcs, int Width, int Height);
