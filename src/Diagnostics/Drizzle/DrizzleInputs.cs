namespace TweakDrizzle.Diagnostics.Drizzle;

/// <summary>One exposure's position in a dither pattern.</summary>
/// <param name="Name">The exposure's name.</param>
/// <param name="X">Its offset along x, in input pixels, relative to any common origin (usually the first exposure).</param>
/// <param name="Y">Its offset along y, in input pixels.</param>
public sealed record DitherExposure(string Name, double X, double Y);

/// <summary>Weight-map statistics of one trial drizzle at a given pixfrac (the DrizzlePac recipe for choosing it).</summary>
/// <param name="Pixfrac">The pixfrac tried.</param>
/// <param name="WeightRmsOverMedian">RMS / median of the weight map in the central region.</param>
public sealed record PixfracTrial(double Pixfrac, double WeightRmsOverMedian)
{
    /// <summary>Fraction of zero-weight pixels inside the footprint, or NaN when not measured.</summary>
    public double HoleFraction { get; init; } = double.NaN;

    /// <summary>RMS relative aperture-photometry error of noise-free point sources drizzled this way, or NaN when not measured.</summary>
    public double PointSourceRms { get; init; } = double.NaN;

    /// <summary>Largest relative aperture-photometry error of those point sources, or NaN when not measured.</summary>
    public double PointSourceMax { get; init; } = double.NaN;

    /// <summary>A trial from the weight statistics of a drizzle made with <paramref name="pixfrac"/>.</summary>
    /// <param name="pixfrac">The pixfrac used.</param>
    /// <param name="stats">The statistics of its weight map (<see cref="DrizzleQuality.Measure"/>).</param>
    /// <returns>The trial.</returns>
    public static PixfracTrial FromStatistics(double pixfrac, WeightStatistics stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new PixfracTrial(pixfrac, stats.RmsOverMedian) { HoleFraction = stats.HoleFraction };
    }
}

/// <summary>The images of one drizzle product, as plain arrays (row 0 first, rows of <see cref="Width"/> pixels).</summary>
public sealed record DrizzleProductImages
{
    /// <summary>The product's name.</summary>
    public required string Name { get; init; }

    /// <summary>Image width (NAXIS1).</summary>
    public required int Width { get; init; }

    /// <summary>Image height (NAXIS2).</summary>
    public required int Height { get; init; }

    /// <summary>The science image (SCI).</summary>
    public required float[] Sci { get; init; }

    /// <summary>The weight image (WHT).</summary>
    public required float[] Wht { get; init; }

    /// <summary>The context bit planes (CTX), plane after plane, each Width × Height; or null.</summary>
    public int[]? Context { get; init; }

    /// <summary>Number of 32-bit context planes in <see cref="Context"/> (NAXIS3; 1 for up to 32 inputs).</summary>
    public int ContextPlanes { get; init; } = 1;

    /// <summary>Checks the array sizes.</summary>
    /// <exception cref="ArgumentException">An array does not match Width × Height.</exception>
    public void Validate()
    {
        long n = (long)Width * Height;
        if (Width < 1 || Height < 1 || Sci is null || Wht is null || Sci.LongLength != n || Wht.LongLength != n)
        {
            throw new ArgumentException($"Product '{Name}' needs SCI and WHT images of {Width} × {Height} pixels.");
        }

        if (Context is not null && (ContextPlanes < 1 || Context.LongLength != n * ContextPlanes))
        {
            throw new ArgumentException($"Product '{Name}' has a context of {Context.LongLength} values; {ContextPlanes} plane(s) of {Width} × {Height} need {n * ContextPlanes}.");
        }
    }
}

/// <summary>Weight-map quality figures of a drizzle product.</summary>
/// <param name="Median">Median weight in the central region of the footprint.</param>
/// <param name="Rms">Standard deviation of the weight in that region.</param>
/// <param name="RmsOverMedian">Rms / Median (DrizzlePac's guideline: below 0.2).</param>
/// <param name="HoleFraction">Zero-weight pixels inside the footprint / footprint pixels.</param>
/// <param name="Coverage">Pixels with weight &gt; 0 / all output pixels.</param>
/// <param name="FootprintPixels">Pixels inside the footprint (see <see cref="DrizzleQuality.Footprint"/>).</param>
/// <param name="HolePixels">Zero-weight pixels inside the footprint.</param>
public sealed record WeightStatistics(double Median, double Rms, double RmsOverMedian, double HoleFraction, double Coverage, long FootprintPixels, long HolePixels);
