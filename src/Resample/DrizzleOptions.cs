namespace TweakDrizzle.Resample;

/// <summary>Options of a <see cref="Drizzle"/> co-add (the arguments of drizzle's <c>Drizzle</c> constructor).</summary>
public sealed record DrizzleOptions
{
    /// <summary>The kernel used by every <see cref="Drizzle.AddImage(DrizzleInput)"/>. Default square.</summary>
    public DrizzleKernel Kernel { get; init; } = DrizzleKernel.Square;

    /// <summary>Value for output pixels without weight. INDEF (default) leaves them untouched (NaN in outputs the engine allocates).</summary>
    public FillValue FillValue { get; init; } = FillValue.Indef;

    /// <summary>Fill value of the squared-weight co-adds (<see cref="Drizzle.OutImg2"/>); applied only when <see cref="FillValue"/> is not INDEF.</summary>
    public FillValue FillValue2 { get; init; } = FillValue.Indef;

    /// <summary>Number of output columns. Required with caller-supplied outputs; inferred from the first pixmap when both sizes are null.</summary>
    public int? OutputWidth { get; init; }

    /// <summary>Number of output rows.</summary>
    public int? OutputHeight { get; init; }

    /// <summary>
    /// Output x of this frame's pixel (0, 0) in the pixmaps' frame: lets a large output grid be drizzled as
    /// windows (tiles). Pixmap positions are shifted by (-OriginX, -OriginY). Default 0.
    /// </summary>
    public long OriginX { get; init; }

    /// <summary>Output y of this frame's pixel (0, 0) in the pixmaps' frame. Default 0.</summary>
    public long OriginY { get; init; }

    /// <summary>Caller-supplied science output (row-major, OutputWidth*OutputHeight), updated in place.</summary>
    public float[]? OutImg { get; init; }

    /// <summary>Caller-supplied weight output, updated in place.</summary>
    public float[]? OutWht { get; init; }

    /// <summary>Caller-supplied context planes (each OutputWidth*OutputHeight), updated in place.</summary>
    public IReadOnlyList<int[]>? OutCtx { get; init; }

    /// <summary>Caller-supplied squared-weight co-adds (one per data2 item), updated in place.</summary>
    public IReadOnlyList<float[]>? OutImg2 { get; init; }

    /// <summary>Caller-supplied DQ output, updated in place.</summary>
    public uint[]? OutDq { get; init; }

    /// <summary>Exposure time already in caller-supplied outputs (seconds, ≥ 0).</summary>
    public double Exptime { get; init; }

    /// <summary>Context id of the first image added (bit id % 32 of plane id / 32).</summary>
    public int BeginCtxId { get; init; }

    /// <summary>Largest context id expected: pre-allocates planes; null means <see cref="BeginCtxId"/>.</summary>
    public int? MaxCtxId { get; init; }

    /// <summary>True to keep no context image.</summary>
    public bool DisableCtx { get; init; }

    /// <summary>
    /// Maximum threads. Null means all cores. Results are bit-identical for any value: the work is split into
    /// fixed bands of input rows whatever the thread count.
    /// </summary>
    public int? MaxDegreeOfParallelism { get; init; }
}

/// <summary>Units of drizzle input data.</summary>
public enum DrizzleUnits
{
    /// <summary>Counts per second (rates): drizzled as given.</summary>
    Cps,

    /// <summary>Counts: divided by the exposure time (iscale / exptime).</summary>
    Counts,
}

/// <summary>One image to drizzle (the arguments of drizzle's <c>add_image</c>).</summary>
public sealed record DrizzleInput
{
    /// <summary>Input data, row-major (index j * Pixmap.Width + i).</summary>
    public required float[] Data { get; init; }

    /// <summary>Exposure time in seconds (&gt; 0); summed into <see cref="Drizzle.TotalExptime"/>.</summary>
    public required double Exptime { get; init; }

    /// <summary>Position of each input pixel centre in the output frame; its shape is the input's shape.</summary>
    public required Pixmap Pixmap { get; init; }

    /// <summary>Arrays co-added with squared weights (variances); an item may be null: it co-adds zeros.</summary>
    public IReadOnlyList<float[]?>? Data2 { get; init; }

    /// <summary>Input data-quality flags, OR-ed into <see cref="Drizzle.OutDq"/>.</summary>
    public uint[]? Dq { get; init; }

    /// <summary>Multiplies the data (data2 by its square). Default 1.</summary>
    public double Iscale { get; init; } = 1.0;

    /// <summary>
    /// Linear size of an output pixel in input pixels; sizes the turbo, gaussian and lanczos footprints.
    /// Null: estimated as 1/sqrt|det J| of the pixmap at the centre of the bounding box. Default 1.
    /// </summary>
    public double? PixelScaleRatio { get; init; } = 1.0;

    /// <summary>Input weights; null means 1 everywhere (nothing is allocated).</summary>
    public float[]? WeightMap { get; init; }

    /// <summary>Multiplies the weights. Default 1.</summary>
    public double WhtScale { get; init; } = 1.0;

    /// <summary>Linear shrink factor of the input pixel (drop size). Default 1. ≤ 0.001 switches to the point kernel.</summary>
    public double Pixfrac { get; init; } = 1.0;

    /// <summary>Units of <see cref="Data"/>.</summary>
    public DrizzleUnits InUnits { get; init; } = DrizzleUnits.Cps;

    /// <summary>First input column to drizzle (inclusive); null means 0.</summary>
    public int? Xmin { get; init; }

    /// <summary>Last input column to drizzle (inclusive); null means the last column.</summary>
    public int? Xmax { get; init; }

    /// <summary>First input row to drizzle (inclusive); null means 0.</summary>
    public int? Ymin { get; init; }

    /// <summary>Last input row to drizzle (inclusive); null means the last row.</summary>
    public int? Ymax { get; init; }
}

/// <summary>What one <see cref="Drizzle.AddImage(DrizzleInput)"/> did.</summary>
/// <param name="Nmiss">Input pixels of the bounding box that contributed to no output pixel.</param>
/// <param name="Nskip">Input rows of the bounding box that contributed to no output pixel.</param>
/// <param name="PixelScaleRatio">The pixel scale ratio used (estimated when the input gave null).</param>
public sealed record AddImageResult(long Nmiss, long Nskip, double PixelScaleRatio);
