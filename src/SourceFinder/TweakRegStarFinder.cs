namespace TweakDrizzle.SourceFinder;

/// <summary>
/// Options of <see cref="TweakRegStarFinder"/>: TweakReg's <c>imagefindpars</c> with its names and defaults.
/// </summary>
public sealed record TweakRegFinderOptions
{
    /// <summary>FWHM of the detection kernel, pixels (<c>conv_width</c>, default 3.5).</summary>
    public double ConvWidth { get; init; } = 3.5;

    /// <summary>Detection threshold in units of the sky σ (<c>threshold</c>, default 4): <c>hmin = threshold·σ</c>, no relerr.</summary>
    public double Threshold { get; init; } = 4.0;

    /// <summary>Kernel truncation radius in σ (<c>nsigma</c>, default 1.5); also sets the de-duplication radius conv_width·nsigma/2.</summary>
    public double NSigma { get; init; } = 1.5;

    /// <summary>Minor/major axis ratio (<c>ratio</c>, default 1).</summary>
    public double Ratio { get; init; } = 1.0;

    /// <summary>Position angle, degrees (<c>theta</c>, default 0).</summary>
    public double Theta { get; init; }

    /// <summary>Reject sources whose raw box maximum is ≤ this (<c>peakmin</c>; null = off).</summary>
    public double? PeakMin { get; init; }

    /// <summary>Reject sources whose raw box maximum is ≥ this (<c>peakmax</c>; null = off).</summary>
    public double? PeakMax { get; init; }

    /// <summary>Reject sources whose raw box sum is below this (<c>fluxmin</c>; null or 0 = off).</summary>
    public double? FluxMin { get; init; }

    /// <summary>Reject sources whose raw box sum is above this (<c>fluxmax</c>; null or 0 = off).</summary>
    public double? FluxMax { get; init; }

    /// <summary>Estimate σ as √(2|mode|) (<c>computesig</c>, default true); otherwise use <see cref="SkySigma"/>.</summary>
    public bool ComputeSig { get; init; } = true;

    /// <summary>Sky σ in data units when <see cref="ComputeSig"/> is off (<c>skysigma</c>).</summary>
    public double SkySigma { get; init; }

    /// <summary>Apply the DAOFIND sharpness and roundness cuts (<c>use_sharp_round</c>, default false).</summary>
    public bool UseSharpRound { get; init; }

    /// <summary>Lower sharpness bound (<c>sharplo</c>, default 0.2).</summary>
    public double SharpLo { get; init; } = 0.2;

    /// <summary>Upper sharpness bound (<c>sharphi</c>, default 1).</summary>
    public double SharpHi { get; init; } = 1.0;

    /// <summary>Lower roundness bound (<c>roundlo</c>, default −1).</summary>
    public double RoundLo { get; init; } = -1.0;

    /// <summary>Upper roundness bound (<c>roundhi</c>, default 1).</summary>
    public double RoundHi { get; init; } = 1.0;

    /// <summary>
    /// Absolute threshold <c>hmin</c> in data units, replacing <c>threshold·σ</c> when set (the CLI's
    /// <c>--threshold</c>).
    /// </summary>
    public double? AbsoluteThreshold { get; init; }
}

/// <summary>
/// drizzlepac TweakReg's built-in detector (<c>findobj.findstars</c> / <c>tweakutils.ndfind</c>), as described in
/// research/tweakreg.md §2: DAOFIND density kernel, <c>reflect</c> convolution, threshold <c>threshold·σ</c> without
/// relerr, one source per 8-connected region above it (blends are one source), IRAF marginal centroid, raw-box
/// flux and peak cuts, and the y-sorted <c>nsigma</c> de-duplication.
/// </summary>
/// <remarks>Positions are 0-based (TweakReg's .coo files add 1). Thread safe.</remarks>
public sealed class TweakRegStarFinder
{
    /// <summary>Creates the detector.</summary>
    /// <param name="options">Options.</param>
    public TweakRegStarFinder(TweakRegFinderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.ComputeSig && !(options.SkySigma > 0) && options.AbsoluteThreshold is null)
        {
            throw new SourceFinderException("skysigma must be positive when computesig is off");
        }

        Options = options;
        Kernel = new StarFinderKernel(options.ConvWidth, options.Ratio, options.Theta, options.NSigma);
    }

    /// <summary>The options.</summary>
    public TweakRegFinderOptions Options { get; }

    /// <summary>The density kernel.</summary>
    public StarFinderKernel Kernel { get; }

    /// <summary>Finds sources.</summary>
    /// <param name="image">The image (sky included, as TweakReg takes it).</param>
    /// <returns>The catalog in TweakReg's order (increasing y after de-duplication).</returns>
    public SourceCatalog Find(DetectionImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        TweakRegFinderOptions o = Options;
        double sigma = o.ComputeSig ? SkyStatistics.ComputeSig(image) : o.SkySigma;
        double hmin = o.AbsoluteThreshold ?? (sigma * o.Threshold);
        if (!(hmin > 0) || double.IsNaN(hmin))
        {
            return new SourceCatalog(DetectorMode.TweakReg, [], hmin, 0, sigma, "the sky sigma is zero or undefined: no objects found");
        }

        int nx = image.Width, ny = image.Height;
        StarFinderKernel k = Kernel;
        bool[]? bad = image.CombinedBadMap();
        float[] conv = ReflectConvolve(image.Data, nx, ny, k, bad);
        float thr = (float)hmin;
        int[] labels = Label(conv, nx, ny, thr, bad, out int nLabels, out List<(int X0, int Y0, int X1, int Y1)> boxes);
        if (nLabels < 2)
        {
            return new SourceCatalog(DetectorMode.TweakReg, [], hmin, 0, sigma, "no objects found");
        }

        var sources = new List<DetectedSource>();
        int xr = k.XRadius, yr = k.YRadius;
        for (int id = 1; id <= nLabels; id++)
        {
            (int bx0, int by0, int bx1, int by1) = boxes[id - 1];
            if ((bx0 == 0 && by0 == 0 && bx1 == nx - 1 && by1 == ny - 1) ||
                bx0 - xr < 0 || by0 - yr < 0 || bx1 + xr >= nx || by1 + yr >= ny)
            {
                continue;
            }

            double sw = 0, sx = 0, sy = 0;
            for (int y = by0; y <= by1; y++)
            {
                for (int x = bx0; x <= bx1; x++)
                {
                    int p = (y * nx) + x;
                    if (labels[p] == id)
                    {
                        double c = conv[p];
                        sw += c;
                        sx += c * x;
                        sy += c * y;
                    }
                }
            }

            int xs = (int)Math.Round(sx / sw, MidpointRounding.ToEven), ys = (int)Math.Round(sy / sw, MidpointRounding.ToEven);
            if (xs - xr < 0 || ys - yr < 0 || xs + xr >= nx || ys + yr >= ny)
            {
                continue;
            }

            DetectedSource? s = MeasureSeed(image, conv, xs, ys);
            if (s is not null)
            {
                sources.Add(s);
            }
        }

        List<DetectedSource> kept = Separate(sources, o.ConvWidth * o.NSigma / 2.0);
        for (int i = 0; i < kept.Count; i++)
        {
            kept[i] = kept[i] with { Id = i + 1 };
        }

        return new SourceCatalog(DetectorMode.TweakReg, kept, hmin, 0, sigma, kept.Count == 0 ? "no objects passed the filters" : null);
    }

    private DetectedSource? MeasureSeed(DetectionImage image, float[] conv, int xs, int ys)
    {
        TweakRegFinderOptions o = Options;
        StarFinderKernel k = Kernel;
        int nx = image.Width, knx = k.Nx, kny = k.Ny, xr = k.XRadius, yr = k.YRadius;
        var box = new double[knx * kny];
        double max = double.NegativeInfinity, sum = 0;
        bool badIn = false;
        for (int j = 0; j < kny; j++)
        {
            for (int i = 0; i < knx; i++)
            {
                int p = ((ys + j - yr) * nx) + xs + i - xr;
                float v = image.Data[p];
                if (!image.IsGood(p))
                {
                    badIn = true;
                    continue;
                }

                box[(j * knx) + i] = v;
                max = Math.Max(max, v);
                sum += v;
            }
        }

        if (o.PeakMax is { } pmax && max >= pmax)
        {
            return null;
        }

        if (o.PeakMin is { } pmin && max <= pmin)
        {
            return null;
        }

        if (o.FluxMin is { } fmin && fmin != 0 && sum < fmin)
        {
            return null;
        }

        if (o.FluxMax is { } fmax && fmax != 0 && sum > fmax)
        {
            return null;
        }

        // IRAF ap_xy_round: the sky term (σ² here) cancels for the symmetric kernel.
        (double dx, double hx) = DaoCore.MarginalFit(box, k, 0, 0.5);
        (double dy, double hy) = DaoCore.MarginalFit(box, k, 1, 0.5);
        if (double.IsNaN(dx) || double.IsNaN(dy))
        {
            return null;
        }

        double round2 = 2.0 * (hx - hy) / (hx + hy);
        int center = (yr * knx) + xr;
        double c0 = conv[(ys * nx) + xs];
        double sumMasked = 0;
        ReadOnlySpan<bool> mask = k.Mask;
        for (int q = 0; q < box.Length; q++)
        {
            if (mask[q] && q != center)
            {
                sumMasked += box[q];
            }
        }

        double sharp = (box[center] - (sumMasked / (k.NPixels - 1))) / c0;
        double s2 = 0, s4 = 0;
        for (int j = 0; j < kny; j++)
        {
            for (int i = 0; i < knx; i++)
            {
                if (j == yr && i == xr)
                {
                    continue;
                }

                double v = conv[((ys + j - yr) * nx) + xs + i - xr];
                int ddx = i - xr, ddy = j - yr;
                double sign = (ddx <= 0 && ddy <= -1) || (ddx >= 0 && ddy >= 1) ? 1 : (ddx <= -1 && ddy >= 0) || (ddx >= 1 && ddy <= 0) ? -1 : 0;
                s2 += sign * v;
                s4 += Math.Abs(v);
            }
        }

        double round1 = s4 > 0 ? 2.0 * s2 / s4 : double.NaN;
        if (o.UseSharpRound)
        {
            if (!(sharp > o.SharpLo && sharp < o.SharpHi && round1 > o.RoundLo && round1 < o.RoundHi &&
                  round2 > o.RoundLo && round2 < o.RoundHi))
            {
                return null;
            }
        }

        return new DetectedSource
        {
            X = xs + dx,
            Y = ys + dy,
            Flux = sum,
            Peak = max,
            Sharpness = sharp,
            Roundness1 = round1,
            Roundness2 = round2,
            Npix = knx * kny,
            Mag = sum > 0 ? -2.5 * Math.Log10(sum) : double.NaN,
            Flags = badIn ? SourceQuality.BadPixelsInBox : SourceQuality.None,
        };
    }

    /// <summary>drizzlepac <c>apply_nsigma_separation</c>: y-sorted, drop the first of close consecutive pairs, ≤ 10 passes.</summary>
    private static List<DetectedSource> Separate(List<DetectedSource> sources, double sep)
    {
        List<DetectedSource> list = [.. sources.Select((s, i) => (s, i)).OrderBy(t => (float)t.s.Y).ThenBy(t => t.i).Select(t => t.s)];
        for (int pass = 0; pass < 10; pass++)
        {
            var drop = new bool[list.Count];
            bool any = false;
            for (int i = 0; i + 1 < list.Count; i++)
            {
                double dx = list[i + 1].X - list[i].X, dy = list[i + 1].Y - list[i].Y;
                if (Math.Sqrt((dx * dx) + (dy * dy)) <= sep)
                {
                    drop[i] = true;
                    any = true;
                }
            }

            if (!any)
            {
                break;
            }

            list = [.. list.Where((_, i) => !drop[i])];
        }

        return list;
    }

    /// <summary><c>ndimage.convolve(mode='reflect')</c> (half-sample symmetric), double accumulation, float32 result.</summary>
    internal static float[] ReflectConvolve(float[] data, int nx, int ny, StarFinderKernel k, bool[]? bad) =>
        Convolution.Convolve(data, nx, ny, k.WeightsArray, k.Nx, k.Ny, bad, reflect: true);

    /// <summary>8-connected labelling of <c>conv &gt; thr</c> (good pixels only) in raster order of first pixel.</summary>
    internal static int[] Label(float[] conv, int nx, int ny, float thr, bool[]? bad, out int count, out List<(int X0, int Y0, int X1, int Y1)> boxes)
    {
        var labels = new int[conv.Length];
        boxes = [];
        count = 0;
        var stack = new Stack<int>();
        for (int p0 = 0; p0 < conv.Length; p0++)
        {
            if (labels[p0] != 0 || !(conv[p0] > thr) || (bad is not null && bad[p0]))
            {
                continue;
            }

            count++;
            int x0 = nx, y0 = ny, x1 = -1, y1 = -1;
            labels[p0] = count;
            stack.Push(p0);
            while (stack.Count > 0)
            {
                int p = stack.Pop();
                int x = p % nx, y = p / nx;
                x0 = Math.Min(x0, x);
                x1 = Math.Max(x1, x);
                y0 = Math.Min(y0, y);
                y1 = Math.Max(y1, y);
                for (int dy = -1; dy <= 1; dy++)
                {
                    int yy = y + dy;
                    if (yy < 0 || yy >= ny)
                    {
                        continue;
                    }

                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int xx = x + dx;
                        if (xx < 0 || xx >= nx)
                        {
                            continue;
                        }

                        int q = (yy * nx) + xx;
                        if (labels[q] == 0 && conv[q] > thr && (bad is null || !bad[q]))
                        {
                            labels[q] = count;
                            stack.Push(q);
                        }
                    }
                }
            }

            boxes.Add((x0, y0, x1, y1));
        }

        return labels;
    }
}
