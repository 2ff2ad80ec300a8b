using System.Numerics;
using TweakDrizzle.Fits;

namespace TweakDrizzle.Pipeline.Combine;

/// <summary>What happened to one input chip.</summary>
/// <param name="Name">Chip name, e.g. <c>j8ny01suq_flc.fits[SCI,1]</c>.</param>
/// <param name="Exposure">Exposure name.</param>
/// <param name="ExtVer">EXTVER.</param>
/// <param name="Sky">Sky subtracted, data units.</param>
/// <param name="CosmicRayPixels">Pixels flagged as cosmic rays.</param>
/// <param name="Drizzled">Whether the chip overlaps the grid and was drizzled.</param>
/// <param name="Width">Chip width.</param>
/// <param name="Height">Chip height.</param>
/// <param name="CosmicRayIndices">The cosmic-ray pixels as increasing row-major indices (y·Width + x), or null without CR rejection.</param>
public sealed record ChipReport(string Name, string Exposure, int ExtVer, double Sky, int CosmicRayPixels, bool Drizzled, int Width, int Height, int[]? CosmicRayIndices)
{
    /// <summary>The cosmic-ray mask (row-major, true = cosmic ray), built from <see cref="CosmicRayIndices"/>; null without CR rejection.</summary>
    /// <returns>A new mask.</returns>
    public bool[]? CosmicRayMask()
    {
        if (CosmicRayIndices is null)
        {
            return null;
        }

        var mask = new bool[(long)Width * Height];
        foreach (int k in CosmicRayIndices)
        {
            mask[k] = true;
        }

        return mask;
    }
}

/// <summary>The result of an <see cref="AstroDrizzle"/> run. The product's pixels stay on disk until asked for.</summary>
public sealed class AstroDrizzleResult
{
    private readonly Lazy<(float[] Sci, float[] Wht, IReadOnlyList<int[]> Ctx)> _product;

    internal AstroDrizzleResult(string productPath, OutputGrid grid, double totalExposureTime, int tiles, IReadOnlyList<ChipReport> chips,
        IReadOnlyList<string> files, IReadOnlyList<string> messages)
    {
        ProductPath = productPath;
        Grid = grid;
        TotalExposureTime = totalExposureTime;
        Tiles = tiles;
        Chips = chips;
        Files = files;
        Messages = messages;
        _product = new Lazy<(float[], float[], IReadOnlyList<int[]>)>(() => ProductWriter.Read(productPath));
    }

    /// <summary>The written product (<c>_drz.fits</c> or <c>_drc.fits</c>).</summary>
    public string ProductPath { get; }

    /// <summary>The output grid.</summary>
    public OutputGrid Grid { get; }

    /// <summary>The product's science image (row-major, final units), read from the product file on first use.</summary>
    public float[] Sci => _product.Value.Sci;

    /// <summary>The product's weight image, read from the product file on first use.</summary>
    public float[] Wht => _product.Value.Wht;

    /// <summary>The context planes (32 inputs per plane), read from the product file on first use.</summary>
    public IReadOnlyList<int[]> Context => _product.Value.Ctx;

    /// <summary>Sum of the drizzled exposures' times, seconds.</summary>
    public double TotalExposureTime { get; }

    /// <summary>Number of output tiles the final drizzle used.</summary>
    public int Tiles { get; }

    /// <summary>Per input chip.</summary>
    public IReadOnlyList<ChipReport> Chips { get; }

    /// <summary>Every file written (product, intermediates, log).</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Warnings and notes (also sent to the log).</summary>
    public IReadOnlyList<string> Messages { get; }

    /// <summary>Total cosmic-ray pixels flagged.</summary>
    public long CosmicRayPixels => Chips.Sum(c => (long)c.CosmicRayPixels);
}

/// <summary>
/// AstroDrizzle's combination of dithered exposures: static mask, sky subtraction, separate drizzles, median,
/// blot, cosmic-ray detection and the final drizzle onto one output grid, then the product file.
/// </summary>
/// <remarks>
/// Memory is bounded: input chips are held one at a time (files are re-read for each step), each separate drizzle
/// covers only its exposure's footprint and goes to a scratch file, the median is combined in bands of rows, and the
/// final drizzle works on output tiles written straight into the product (<see cref="AstroDrizzleOptions.MaxMemoryMB"/>).
/// Inputs are never modified, except the DQ arrays with <see cref="AstroDrizzleOptions.UpdateInputDq"/>. The product
/// is written atomically. Deterministic: every parallel step uses a fixed decomposition, and the product does not
/// depend on the tile height.
/// </remarks>
public static class AstroDrizzle
{
    /// <summary>DQ value AstroDrizzle gives cosmic-ray pixels in the inputs.</summary>
    public const uint CosmicRayDq = 4096;

    /// <summary>Runs on files, reading each chip from its file when a step needs it (nothing is kept in memory).</summary>
    /// <param name="files">Input files (already expanded; see <see cref="InputFiles.Expand"/>).</param>
    /// <param name="options">Options.</param>
    /// <returns>The result.</returns>
    /// <exception cref="CombineException">Inputs or options that cannot be combined.</exception>
    public static AstroDrizzleResult Run(IReadOnlyList<string> files, AstroDrizzleOptions options)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        if (files.Count == 0)
        {
            throw new CombineException("no input files");
        }

        // Metadata from a header-only load; each step reads a chip's pixels (with `load`) when it needs them.
        var load = new ExposureLoadOptions { ReadErr = options.FinalWhtType == WeightType.Err || options.FinalErr };
        var headerOnly = load with { ReadPixels = false };
        var inputs = new List<CombineInput>();
        foreach (string f in files)
        {
            Exposure e = Exposure.Load(f, headerOnly);
            string? spec = e.Chips.Count == 1 ? f : null;
            inputs.Add(CombineInput.FromExposure(e, inputs.Count, c => spec ?? $"{e.Path}[SCI,{c.ExtVer}]", load));
        }

        return new CombineRunner(inputs, options).Execute();
    }

    /// <summary>Runs on exposures already in memory (their WCSs may have been corrected by an alignment).</summary>
    /// <param name="exposures">The exposures.</param>
    /// <param name="options">Options.</param>
    /// <returns>The result.</returns>
    /// <exception cref="CombineException">Inputs or options that cannot be combined.</exception>
    public static AstroDrizzleResult Run(IReadOnlyList<Exposure> exposures, AstroDrizzleOptions options)
    {
        ArgumentNullException.ThrowIfNull(exposures);
        ArgumentNullException.ThrowIfNull(options);
        if (exposures.Count == 0)
        {
            throw new CombineException("no input exposures");
        }

        var inputs = exposures.Select((e, i) => CombineInput.FromExposure(e, i, null, null)).ToList();
        return new CombineRunner(inputs, options).Execute();
    }

    /// <summary>The product file name for these inputs: <c>_drc.fits</c> when every input is an <c>_flc</c> file, else <c>_drz.fits</c>.</summary>
    /// <param name="output">The output root.</param>
    /// <param name="exposures">The inputs.</param>
    /// <returns>The file name.</returns>
    public static string ProductName(string output, IReadOnlyList<Exposure> exposures)
    {
        ArgumentNullException.ThrowIfNull(exposures);
        return ProductName(output, exposures.Select(e => e.Path).ToList());
    }

    internal static string ProductName(string output, IReadOnlyList<string?> paths)
    {
        ArgumentNullException.ThrowIfNull(output);
        bool flc = paths.Count > 0 && paths.All(p => p is not null
            && (p.EndsWith("_flc.fits", StringComparison.OrdinalIgnoreCase) || p.EndsWith("_flc.fits.gz", StringComparison.OrdinalIgnoreCase)));
        return output + (flc ? "_drc.fits" : "_drz.fits");
    }

    /// <summary>Sets the cosmic-ray bit in a DQ extension (kept in its integer type), for <see cref="AstroDrizzleOptions.UpdateInputDq"/>.</summary>
    internal static FitsWriteHdu FlaggedDq(FitsHdu hdu, int[] cosmicRays) =>
        hdu.PhysicalType == typeof(short) ? Flagged<short>(hdu, cosmicRays)
        : hdu.PhysicalType == typeof(int) ? Flagged<int>(hdu, cosmicRays)
        : hdu.PhysicalType == typeof(ushort) ? Flagged<ushort>(hdu, cosmicRays)
        : Flagged<uint>(hdu, cosmicRays);

    private static FitsWriteHdu Flagged<T>(FitsHdu hdu, int[] cosmicRays)
        where T : unmanaged, IBinaryInteger<T>
    {
        T[] d = hdu.ReadImage<T>().Data;
        T bit = T.CreateTruncating(CosmicRayDq);
        foreach (int k in cosmicRays)
        {
            d[k] |= bit;
        }

        return FitsWriteHdu.Image(d, [(int)hdu.Width, (int)hdu.Height], hdu.Header.Clone());
    }
}
