namespace TweakDrizzle.Resample;

/// <summary>The drizzle kernels, with the semantics of drizzle 2.2.0 (see docs/resample.md).</summary>
public enum DrizzleKernel
{
    /// <summary>Classic drizzle: exact overlap area of the shrunken, mapped input pixel (flux conserving).</summary>
    Square,

    /// <summary>All the flux of an input pixel goes into the output pixel under its centre.</summary>
    Point,

    /// <summary>An axis-aligned box of side pixfrac/pixel_scale_ratio output pixels (fast, flux conserving).</summary>
    Turbo,

    /// <summary>A truncated Gaussian of FWHM pixfrac/pixel_scale_ratio output pixels (not flux conserving).</summary>
    Gaussian,

    /// <summary>Lanczos kernel of order 2 (ignores pixfrac; weights not normalised).</summary>
    Lanczos2,

    /// <summary>Lanczos kernel of order 3 (ignores pixfrac; weights not normalised).</summary>
    Lanczos3,
}

/// <summary>Parsing and naming of <see cref="DrizzleKernel"/> values by their drizzle names.</summary>
public static class DrizzleKernels
{
    /// <summary>Parses a kernel name: square, point, turbo, gaussian, lanczos2 or lanczos3 (case-insensitive).</summary>
    /// <param name="name">The kernel name.</param>
    /// <returns>The kernel.</returns>
    /// <exception cref="ResampleException">The name is not a known kernel.</exception>
    public static DrizzleKernel Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToUpperInvariant() switch
        {
            "SQUARE" => DrizzleKernel.Square,
            "POINT" => DrizzleKernel.Point,
            "TURBO" => DrizzleKernel.Turbo,
            "GAUSSIAN" => DrizzleKernel.Gaussian,
            "LANCZOS2" => DrizzleKernel.Lanczos2,
            "LANCZOS3" => DrizzleKernel.Lanczos3,
            _ => throw new ResampleException(
                $"unknown drizzle kernel '{name}': expected square, point, turbo, gaussian, lanczos2 or lanczos3"),
        };
    }

    /// <summary>The drizzle name of a kernel (lower case).</summary>
    /// <param name="kernel">The kernel.</param>
    /// <returns>square, point, turbo, gaussian, lanczos2 or lanczos3.</returns>
    public static string Name(DrizzleKernel kernel) => kernel switch
    {
        DrizzleKernel.Square => "square",
        DrizzleKernel.Point => "point",
        DrizzleKernel.Turbo => "turbo",
        DrizzleKernel.Gaussian => "gaussian",
        DrizzleKernel.Lanczos2 => "lanczos2",
        DrizzleKernel.Lanczos3 => "lanczos3",
        _ => throw new ResampleException($"unknown drizzle kernel {(int)kernel}"),
    };
}
