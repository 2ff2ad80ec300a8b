namespace TweakDrizzle.Resample;

/// <summary>
/// A drizzle co-add (Fruchter &amp; Hook 2002) onto one output frame, with the semantics of drizzle 2.2.0's
/// <c>drizzle.resample.Drizzle</c> where those are right and documented fixes where not (docs/resample.md).
/// </summary>
/// <remarks>
/// Not thread-safe: call <see cref="AddImage(DrizzleInput)"/> from one thread at a time. Each call itself runs in
/// parallel on fixed bands of 64 input rows (even bands, then odd bands), so the outputs are bit-identical whatever
/// the number of threads. AddImage allocates nothing image-sized except, when first needed, a new context plane,
/// the DQ output or the squared-weight outputs.
/// </remarks>
public sealed class Drizzle
{
    /// <summary>Height in input rows of the fixed bands that make up the parallel decomposition.</summary>
    public const int BandHeight = 64;

    private readonly DrizzleOptions _options;
    private readonly List<int[]> _ctx = [];
    private readonly bool _ownsImg;
    private bool _ownsImg2;
    private float[]? _outImg;
    private float[]? _outWht;
    private List<float[]>? _outImg2;
    private uint[]? _outDq;

    /// <summary>Creates a co-add; validates the options and allocates (or adopts) the outputs.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ResampleException">Inconsistent options or output arrays.</exception>
    public Drizzle(DrizzleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        if (!(options.Exptime >= 0) || double.IsInfinity(options.Exptime))
        {
            throw new ResampleException($"exptime must be a finite number >= 0, got {options.Exptime}");
        }

        if (options.BeginCtxId < 0)
        {
            throw new ResampleException($"begin_ctx_id must be >= 0, got {options.BeginCtxId}");
        }

        int maxCtx = options.MaxCtxId ?? options.BeginCtxId;
        if (maxCtx < options.BeginCtxId)
        {
            throw new ResampleException($"max_ctx_id ({maxCtx}) must not be smaller than begin_ctx_id ({options.BeginCtxId})");
        }

        if (options.MaxDegreeOfParallelism is < 1)
        {
            throw new ResampleException("the thread count must be at least 1");
        }

        if ((options.OutputWidth is null) != (options.OutputHeight is null))
        {
            throw new ResampleException("give both the output width and height, or neither");
        }

        bool anySupplied = options.OutImg is not null || options.OutWht is not null || options.OutCtx is not null
            || options.OutImg2 is not null || options.OutDq is not null;
        if (options.Exptime > 0 && (options.OutImg is null || options.OutWht is null))
        {
            throw new ResampleException("a non-zero starting exptime needs caller-supplied output image and weight arrays");
        }

        if (anySupplied && options.OutputWidth is null)
        {
            throw new ResampleException("caller-supplied output arrays need the output width and height");
        }

        if (options.OutputWidth is { } w0 && (w0 < 1 || options.OutputHeight < 1))
        {
            throw new ResampleException($"output shape {options.OutputWidth}x{options.OutputHeight} is empty");
        }

        OriginX = options.OriginX;
        OriginY = options.OriginY;
        CtxId = options.BeginCtxId;
        TotalExptime = options.Exptime;
        _ownsImg = options.OutImg is null;
        if (options.OutputWidth is { } w && options.OutputHeight is { } h)
        {
            long n = (long)w * h;
            Check(options.OutImg, n, "output image");
            Check(options.OutWht, n, "output weight");
            Check(options.OutDq, n, "output DQ");
            if (options.OutCtx is not null)
            {
                foreach (int[] plane in options.OutCtx)
                {
                    Check(plane, n, "output context plane");
                }
            }

            if (options.OutImg2 is not null)
            {
                foreach (float[] plane in options.OutImg2)
                {
                    Check(plane, n, "output squared-weight image");
                }
            }

            if (options.Exptime == 0 && options.OutWht is not null && options.OutWht.Any(v => v != 0f))
            {
                throw new ResampleException("supplied output weights are non-zero although the starting exptime is 0");
            }

            Allocate(w, h);
        }
    }

    /// <summary>Number of output columns (0 until known when the shape is inferred).</summary>
    public int OutputWidth { get; private set; }

    /// <summary>Number of output rows (0 until known).</summary>
    public int OutputHeight { get; private set; }

    /// <summary>Output x of this frame's pixel (0, 0) in the pixmaps' frame (set from the first pixmap when the shape is inferred).</summary>
    public long OriginX { get; private set; }

    /// <summary>Output y of this frame's pixel (0, 0) in the pixmaps' frame.</summary>
    public long OriginY { get; private set; }

    /// <summary>The kernel.</summary>
    public DrizzleKernel Kernel => _options.Kernel;

    /// <summary>The co-added science image (row-major), null until the shape is known.</summary>
    public float[]? OutImg => _outImg;

    /// <summary>The co-added weights.</summary>
    public float[]? OutWht => _outWht;

    /// <summary>Context planes: bit (id % 32) of plane (id / 32) is set where image id contributed with positive weight.</summary>
    public IReadOnlyList<int[]> OutCtx => _ctx;

    /// <summary>Squared-weight co-adds of the data2 arrays (variances), one per data2 item; empty when none was given.</summary>
    public IReadOnlyList<float[]> OutImg2 => (IReadOnlyList<float[]>?)_outImg2 ?? [];

    /// <summary>Bitwise OR of the DQ of every contributing input pixel; null until an input has DQ.</summary>
    public uint[]? OutDq => _outDq;

    /// <summary>Total exposure time of the co-add (seconds).</summary>
    public double TotalExptime { get; private set; }

    /// <summary>True when the last AddImage ran its bands concurrently (for tests and diagnostics).</summary>
    internal bool LastRunWasParallel { get; private set; }

    /// <summary>The context id the next image will get.</summary>
    public int CtxId { get; private set; }

    /// <summary>Convenience: drizzles <paramref name="data"/> with default parameters.</summary>
    /// <param name="data">Input data (row-major).</param>
    /// <param name="exptime">Exposure time in seconds.</param>
    /// <param name="pixmap">Input-to-output pixel map.</param>
    /// <returns>The miss counts.</returns>
    public AddImageResult AddImage(float[] data, double exptime, Pixmap pixmap) =>
        AddImage(new DrizzleInput { Data = data, Exptime = exptime, Pixmap = pixmap });

    /// <summary>Drizzles one image onto the outputs.</summary>
    /// <param name="input">The image and its parameters.</param>
    /// <returns>Input pixels and rows that contributed nothing, and the pixel scale ratio used.</returns>
    /// <exception cref="ResampleException">Bad input; the outputs are left untouched.</exception>
    public AddImageResult AddImage(DrizzleInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Pixmap map = input.Pixmap ?? throw new ResampleException("a pixmap is required");
        float[] data = input.Data ?? throw new ResampleException("input data are required");
        int nx = map.Width;
        int ny = map.Height;
        long n = (long)nx * ny;
        if (data.LongLength != n)
        {
            throw new ResampleException($"input data hold {data.LongLength} pixels but the pixmap is {nx}x{ny}");
        }

        if (input.WeightMap is not null && input.WeightMap.LongLength != n)
        {
            throw new ResampleException($"weight map holds {input.WeightMap.LongLength} pixels but the input is {nx}x{ny}");
        }

        if (input.Dq is not null && input.Dq.LongLength != n)
        {
            throw new ResampleException($"DQ array holds {input.Dq.LongLength} pixels but the input is {nx}x{ny}");
        }

        int nd2 = input.Data2?.Count ?? 0;
        if (input.Data2 is not null)
        {
            if (nd2 == 0)
            {
                throw new ResampleException("data2 is an empty list");
            }

            foreach (float[]? d2 in input.Data2)
            {
                if (d2 is not null && d2.LongLength != n)
                {
                    throw new ResampleException($"a data2 array holds {d2.LongLength} pixels but the input is {nx}x{ny}");
                }
            }
        }

        if (_outImg2 is not null && _outImg2.Count > 0 && input.Data2 is not null && nd2 != _outImg2.Count)
        {
            throw new ResampleException($"data2 has {nd2} items but the outputs hold {_outImg2.Count} squared-weight images");
        }

        if (!(input.Exptime > 0) || double.IsInfinity(input.Exptime))
        {
            throw new ResampleException($"exptime must be a finite number > 0, got {input.Exptime}");
        }

        if (!(input.Pixfrac > 0) || double.IsInfinity(input.Pixfrac))
        {
            throw new ResampleException($"pixfrac must be > 0, got {input.Pixfrac}");
        }

        if (!double.IsFinite(input.Iscale))
        {
            throw new ResampleException($"iscale must be finite, got {input.Iscale}");
        }

        if (!(input.WhtScale > 0) || double.IsInfinity(input.WhtScale))
        {
            throw new ResampleException($"wht_scale must be > 0, got {input.WhtScale}");
        }

        if (input.PixelScaleRatio is { } psrGiven && (!(psrGiven > 0) || double.IsInfinity(psrGiven)))
        {
            throw new ResampleException($"pixel_scale_ratio must be > 0, got {psrGiven}");
        }

        int xmin = input.Xmin ?? 0;
        int xmax = input.Xmax ?? (nx - 1);
        int ymin = input.Ymin ?? 0;
        int ymax = input.Ymax ?? (ny - 1);
        if (xmin < 0 || ymin < 0 || xmax >= nx || ymax >= ny || xmin > xmax || ymin > ymax)
        {
            throw new ResampleException(
                $"bounding box x {xmin}..{xmax}, y {ymin}..{ymax} is empty or outside the {nx}x{ny} input");
        }

        DrizzleKernel kernel = input.Pixfrac <= 0.001 ? DrizzleKernel.Point : _options.Kernel;
        if (kernel == DrizzleKernel.Square && (nx < 2 || ny < 2))
        {
            throw new ResampleException($"the square kernel needs an input of at least 2x2 pixels, got {nx}x{ny}");
        }

        if (!HasValidPixel(map, xmin, xmax, ymin, ymax))
        {
            throw new ResampleException("the pixmap has no valid (non-NaN) pixel in the bounding box");
        }

        double psr = input.PixelScaleRatio ?? EstimatePixelScaleRatio(map, xmin, xmax, ymin, ymax);
        if (!(psr > 0) || double.IsInfinity(psr))
        {
            throw new ResampleException("cannot estimate the pixel scale ratio from the pixmap (degenerate map)");
        }

        // Validation done: from here on the outputs change.
        if (_outImg is null)
        {
            InferShape(map);
        }

        if (nd2 > 0 && (_outImg2 is null || _outImg2.Count == 0))
        {
            _ownsImg2 = true;
            float fill2 = _options.FillValue2.IsIndef ? float.NaN : _options.FillValue2.Value;
            _outImg2 = [];
            for (int k = 0; k < nd2; k++)
            {
                var plane = new float[_outImg!.LongLength];
                Array.Fill(plane, fill2);
                _outImg2.Add(plane);
            }
        }

        if (input.Dq is not null && _outDq is null)
        {
            _outDq = NewTouched<uint>(_outImg!.LongLength);
        }

        int[]? ctxPlane = null;
        int ctxBit = 0;
        if (!_options.DisableCtx)
        {
            int plane = CtxId / 32;
            while (_ctx.Count <= plane)
            {
                _ctx.Add(NewTouched<int>(_outImg!.LongLength));
            }

            ctxPlane = _ctx[plane];
            ctxBit = 1 << (CtxId % 32);
        }

        double iscale = input.Iscale;
        if (input.InUnits == DrizzleUnits.Counts)
        {
            iscale /= input.Exptime;
        }

        float fiscale = (float)iscale;
        int nOut2 = _outImg2?.Count ?? 0;
        float[]?[] data2 = new float[]?[nOut2];
        for (int k = 0; k < nOut2 && input.Data2 is not null; k++)
        {
            data2[k] = input.Data2[k];
        }

        var job = new KernelJob
        {
            Data = data,
            Weights = input.WeightMap,
            WtScale = (float)input.WhtScale,
            Iscale = fiscale,
            Iscale2 = fiscale * fiscale,
            Data2 = data2,
            Dq = input.Dq,
            OutImg = _outImg!,
            OutWht = _outWht!,
            OutImg2 = _outImg2?.ToArray() ?? [],
            OutDq = input.Dq is null ? null : _outDq,
            CtxPlane = ctxPlane,
            CtxBit = ctxBit,
            Onx = OutputWidth,
            Ony = OutputHeight,
            X0 = OriginX,
            Y0 = OriginY,
            Map = map,
            Xmin = xmin,
            Xmax = xmax,
            Ymin = ymin,
            Ymax = ymax,
            Pixfrac = input.Pixfrac,
            Pscale = (float)psr,
            Kernel = kernel,
        };

        (long nmiss, long nskip, bool parallel) = BandScheduler.Run(job, _options.MaxDegreeOfParallelism ?? Environment.ProcessorCount);
        LastRunWasParallel = parallel;
        if (!_ownsImg || job.ZeroedWeight)
        {
            ApplyFill();
        }

        TotalExptime += input.Exptime;
        CtxId++;
        return new AddImageResult(nmiss, nskip, (float)psr);
    }

    /// <summary>
    /// Estimates the pixel scale ratio (linear size of an output pixel in input pixels) as 1/sqrt|det J|, J the
    /// Jacobian of the pixmap from central differences at the centre of the bounding box (or the nearest pixel
    /// where the differences are defined).
    /// </summary>
    /// <param name="map">The pixmap.</param>
    /// <param name="xmin">First column of the box.</param>
    /// <param name="xmax">Last column of the box.</param>
    /// <param name="ymin">First row of the box.</param>
    /// <param name="ymax">Last row of the box.</param>
    /// <returns>The ratio, or NaN when no pixel has valid differences.</returns>
    public static double EstimatePixelScaleRatio(Pixmap map, int xmin, int xmax, int ymin, int ymax)
    {
        ArgumentNullException.ThrowIfNull(map);
        int nx = map.Width;
        int ny = map.Height;
        if (nx < 2 || ny < 2)
        {
            return double.NaN;
        }

        int ic = (xmin + xmax) / 2;
        int jc = (ymin + ymax) / 2;
        int rmax = Math.Max(nx, ny);
        for (int r = 0; r <= rmax; r++)
        {
            for (int j = jc - r; j <= jc + r; j++)
            {
                if (j < 0 || j >= ny)
                {
                    continue;
                }

                bool edgeRow = j == jc - r || j == jc + r;
                for (int i = ic - r; i <= ic + r; i += edgeRow ? 1 : Math.Max(1, 2 * r))
                {
                    if (i < 0 || i >= nx)
                    {
                        continue;
                    }

                    double det = JacobianDeterminant(map, i, j);
                    if (double.IsFinite(det) && det != 0)
                    {
                        return 1.0 / Math.Sqrt(Math.Abs(det));
                    }
                }
            }
        }

        return double.NaN;
    }

    /// <summary>Decodes the context of output pixel (x, y): the 0-based ids of the images whose bits are set.</summary>
    /// <param name="context">Context planes (each OutputWidth*OutputHeight).</param>
    /// <param name="width">Output width.</param>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <returns>The image ids in increasing order.</returns>
    public static IReadOnlyList<int> DecodeContext(IReadOnlyList<int[]> context, int width, int x, int y)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (width < 1 || x < 0 || x >= width || y < 0)
        {
            throw new ResampleException($"pixel ({x}, {y}) is outside a context image of width {width}");
        }

        var ids = new List<int>();
        long o = ((long)y * width) + x;
        for (int p = 0; p < context.Count; p++)
        {
            if (o >= context[p].LongLength)
            {
                throw new ResampleException($"pixel ({x}, {y}) is outside the context image");
            }

            uint v = (uint)context[p][o];
            for (int b = 0; b < 32; b++)
            {
                if ((v & (1u << b)) != 0)
                {
                    ids.Add((32 * p) + b);
                }
            }
        }

        return ids;
    }

    private static double JacobianDeterminant(Pixmap map, int i, int j)
    {
        int nx = map.Width;
        int ny = map.Height;
        int i0 = Math.Max(i - 1, 0), i1 = Math.Min(i + 1, nx - 1);
        int j0 = Math.Max(j - 1, 0), j1 = Math.Min(j + 1, ny - 1);
        double dx = i1 - i0, dy = j1 - j0;
        double[] mx = map.X, my = map.Y;
        double a = (mx[(j * nx) + i1] - mx[(j * nx) + i0]) / dx;
        double c = (my[(j * nx) + i1] - my[(j * nx) + i0]) / dx;
        double b = (mx[(j1 * nx) + i] - mx[(j0 * nx) + i]) / dy;
        double d = (my[(j1 * nx) + i] - my[(j0 * nx) + i]) / dy;
        return (a * d) - (b * c);
    }

    private static bool HasValidPixel(Pixmap map, int xmin, int xmax, int ymin, int ymax)
    {
        for (int j = ymin; j <= ymax; j++)
        {
            for (int i = xmin; i <= xmax; i++)
            {
                long k = ((long)j * map.Width) + i;
                if (!double.IsNaN(map.X[k]) && !double.IsNaN(map.Y[k]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void Check<T>(T[]? a, long n, string what)
    {
        if (a is not null && a.LongLength != n)
        {
            throw new ResampleException($"{what} holds {a.LongLength} pixels but the output shape needs {n}");
        }
    }

    private void InferShape(Pixmap map)
    {
        double minx = double.PositiveInfinity, maxx = double.NegativeInfinity;
        double miny = double.PositiveInfinity, maxy = double.NegativeInfinity;
        for (long k = 0; k < map.X.LongLength; k++)
        {
            double x = map.X[k], y = map.Y[k];
            if (double.IsNaN(x) || double.IsNaN(y))
            {
                continue;
            }

            minx = Math.Min(minx, x);
            maxx = Math.Max(maxx, x);
            miny = Math.Min(miny, y);
            maxy = Math.Max(maxy, y);
        }

        long x0 = (long)Math.Floor(minx), x1 = (long)Math.Ceiling(maxx);
        long y0 = (long)Math.Floor(miny), y1 = (long)Math.Ceiling(maxy);
        long w = x1 - x0 + 1, h = y1 - y0 + 1;
        if (w > int.MaxValue / 2 || h > int.MaxValue / 2 || w * h > int.MaxValue)
        {
            throw new ResampleException($"the inferred output shape {w}x{h} is too large: give the output shape");
        }

        OriginX += x0;
        OriginY += y0;
        Allocate((int)w, (int)h);
    }

    private void Allocate(int w, int h)
    {
        OutputWidth = w;
        OutputHeight = h;
        long n = (long)w * h;
        if (n > int.MaxValue)
        {
            throw new ResampleException($"output {w}x{h} is too large for one frame: drizzle it in tiles (OriginX/OriginY)");
        }

        FillValue fill = _options.FillValue;
        _outWht = _options.OutWht ?? NewTouched<float>(n);
        if (_options.OutImg is null)
        {
            _outImg = new float[n];
            Array.Fill(_outImg, fill.IsIndef ? float.NaN : fill.Value);
        }
        else
        {
            _outImg = _options.OutImg;
            if (!fill.IsIndef)
            {
                for (long k = 0; k < n; k++)
                {
                    if (_outWht[k] == 0f)
                    {
                        _outImg[k] = fill.Value;
                    }
                }
            }
        }

        if (_options.OutImg2 is not null)
        {
            _outImg2 = [.. _options.OutImg2];
        }

        _outDq = _options.OutDq;
        if (!_options.DisableCtx)
        {
            if (_options.OutCtx is not null)
            {
                _ctx.AddRange(_options.OutCtx);
            }

            int planes = ((_options.MaxCtxId ?? _options.BeginCtxId) / 32) + 1;
            while (_ctx.Count < planes)
            {
                _ctx.Add(NewTouched<int>(n));
            }
        }
    }

    /// <summary>A zeroed array whose pages are already mapped, so that page faults do not land inside AddImage.</summary>
    private static T[] NewTouched<T>(long n)
    {
        var a = new T[n];
        Array.Clear(a);
        return a;
    }

    private void ApplyFill()
    {
        FillValue fill = _options.FillValue;
        bool fillImg = !fill.IsIndef || _ownsImg;
        if (!fillImg)
        {
            return;
        }

        float v = fill.IsIndef ? float.NaN : fill.Value;
        FillValue fill2 = _options.FillValue2;
        bool fillImg2 = _outImg2 is not null && (!fill2.IsIndef || _ownsImg2);
        float v2 = fill2.IsIndef ? float.NaN : fill2.Value;
        float[] wht = _outWht!;
        float[] img = _outImg!;
        for (long k = 0; k < wht.LongLength; k++)
        {
            if (wht[k] == 0f)
            {
                img[k] = v;
                if (fillImg2)
                {
                    foreach (float[] p in _outImg2!)
                    {
                        p[k] = v2;
                    }
                }
            }
        }
    }
}
