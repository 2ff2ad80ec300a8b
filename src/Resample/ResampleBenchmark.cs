using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;

namespace TweakDrizzle.Resample;

/// <summary>Result of <see cref="ResampleBenchmark.Run"/>; serialises to the JSON that <c>bench drizzle</c> prints.</summary>
public sealed record ResampleBenchmarkReport
{
    /// <summary>Implementation name.</summary>
    [JsonPropertyName("impl")]
    public string Implementation { get; init; } = "TweakDrizzle";

    /// <summary>Kernel, or blot:INTERP.</summary>
    [JsonPropertyName("kernel")]
    public required string Kernel { get; init; }

    /// <summary>Input shape [ny, nx].</summary>
    [JsonPropertyName("in_shape")]
    public required int[] InShape { get; init; }

    /// <summary>Output shape [ny, nx] of the drizzle frame.</summary>
    [JsonPropertyName("out_shape")]
    public required int[] OutShape { get; init; }

    /// <summary>Threads (null: all cores).</summary>
    [JsonPropertyName("threads")]
    public int? Threads { get; init; }

    /// <summary>Pixfrac.</summary>
    [JsonPropertyName("pixfrac")]
    public double Pixfrac { get; init; }

    /// <summary>Pixel scale ratio.</summary>
    [JsonPropertyName("pscale_ratio")]
    public double PixelScaleRatio { get; init; }

    /// <summary>Every timing in seconds.</summary>
    [JsonPropertyName("times_s")]
    public required double[] Times { get; init; }

    /// <summary>Process user CPU seconds spent in each timed AddImage (all threads; null for blot and pixmap).</summary>
    [JsonPropertyName("cpu_user_s")]
    public double[]? CpuUserSeconds { get; init; }

    /// <summary>Median time spent in the kernel (AddImage or Blot.Run), seconds.</summary>
    [JsonPropertyName("kernel_seconds")]
    public double KernelSeconds { get; init; }

    /// <summary>Fastest time, seconds.</summary>
    [JsonPropertyName("min_s")]
    public double MinSeconds { get; init; }

    /// <summary>Input megapixels per second (blot: blot-output megapixels).</summary>
    [JsonPropertyName("in_mpix_per_s")]
    public double MpixPerSecond { get; init; }

    /// <summary>Input pixels that contributed nothing.</summary>
    [JsonPropertyName("nmiss")]
    public long? Nmiss { get; init; }

    /// <summary>Input rows that contributed nothing.</summary>
    [JsonPropertyName("nskip")]
    public long? Nskip { get; init; }

    /// <summary>Σ(out·wht) / (iscale·Σ in): 1 for square, turbo and point.</summary>
    [JsonPropertyName("flux_ratio_out_in")]
    public double? FluxRatio { get; init; }

    /// <summary>Σ wht / number of input pixels.</summary>
    [JsonPropertyName("wht_sum_per_inpix")]
    public double? WeightPerInputPixel { get; init; }

    /// <summary>Output pixels with non-zero weight.</summary>
    [JsonPropertyName("covered_out_pix")]
    public long? Covered { get; init; }

    /// <summary>Pixmap fast mode: maximum deviation from the exact pixmap, output pixels.</summary>
    [JsonPropertyName("max_error_px")]
    public double? MaxErrorPx { get; init; }

    /// <summary>Whether two runs with 1 and N threads gave bit-identical outputs (checked on the last repeat).</summary>
    [JsonPropertyName("deterministic_1_vs_n")]
    public bool? Deterministic { get; init; }

    /// <summary>SHA-256 (hex) of the last repeat's OutImg, OutWht and first context plane bytes, in that order: a fingerprint to compare builds.</summary>
    [JsonPropertyName("output_sha256")]
    public string? OutputSha256 { get; init; }
}

/// <summary>Times the drizzle kernels and blot on the <see cref="BenchmarkCase"/>.</summary>
public static class ResampleBenchmark
{
    /// <summary>Builds the case and times it.</summary>
    /// <param name="kernel">square, point, turbo, gaussian, lanczos2, lanczos3, or blot:INTERP.</param>
    /// <param name="size">WxH, e.g. 4096x2048.</param>
    /// <param name="threads">Threads (null: all cores).</param>
    /// <param name="repeat">Number of timed runs (median reported).</param>
    /// <param name="checkDeterminism">Also run once single-threaded and compare bit for bit.</param>
    /// <param name="dumpPrefix">
    /// When set (drizzle kernels only), the last run's OutImg and OutWht are written as raw little-endian float32
    /// files <c>PREFIX.img.f32</c> and <c>PREFIX.wht.f32</c> (row-major, the report's out_shape), to compare builds.
    /// </param>
    /// <returns>The report.</returns>
    public static ResampleBenchmarkReport Run(string kernel, string size, int? threads, int repeat, bool checkDeterminism = false, string? dumpPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(size);
        string[] parts = size.ToUpperInvariant().Split('X');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int nx)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int ny))
        {
            throw new ResampleException($"size '{size}' is not WxH");
        }

        if (repeat < 1)
        {
            throw new ResampleException("repeat must be at least 1");
        }

        if (kernel.StartsWith("pixmap", StringComparison.OrdinalIgnoreCase))
        {
            return Pixmap(kernel, nx, ny, threads, repeat);
        }

        BenchmarkCase bc = BenchmarkCase.Create(nx, ny);
        var times = new List<double>();
        if (kernel.StartsWith("blot:", StringComparison.OrdinalIgnoreCase))
        {
            BlotInterpolation interp = Blot.ParseInterpolation(kernel[5..]);
            float[] src = bc.BlotSource();
            float[] last = [];
            for (int r = 0; r < repeat; r++)
            {
                var sw = Stopwatch.StartNew();
                last = Blot.Run(src, bc.OutputWidth, bc.OutputHeight, bc.Pixmap, new BlotOptions { Interp = interp, MaxDegreeOfParallelism = threads });
                times.Add(sw.Elapsed.TotalSeconds);
            }

            bool? det = null;
            if (checkDeterminism)
            {
                float[] one = Blot.Run(src, bc.OutputWidth, bc.OutputHeight, bc.Pixmap, new BlotOptions { Interp = interp, MaxDegreeOfParallelism = 1 });
                det = one.AsSpan().SequenceEqual(last);
            }

            return Report(kernel, bc, threads, times, nx * (double)ny) with { Deterministic = det };
        }

        DrizzleKernel k = DrizzleKernels.Parse(kernel);
        (double Seconds, Drizzle Result, AddImageResult Counts, double CpuSeconds) run = default;
        var cpu = new List<double>();
        for (int r = 0; r < repeat; r++)
        {
            run = bc.Drizzle(k, threads);
            times.Add(run.Seconds);
            cpu.Add(Math.Round(run.CpuSeconds, 3));
        }

        float[] img = run.Result!.OutImg!;
        float[] wht = run.Result.OutWht!;
        if (dumpPrefix is not null)
        {
            WriteRaw(dumpPrefix + ".img.f32", img);
            WriteRaw(dumpPrefix + ".wht.f32", wht);
        }

        double fluxOut = 0, whtSum = 0;
        long covered = 0;
        for (long q = 0; q < img.LongLength; q++)
        {
            if (wht[q] != 0)
            {
                fluxOut += (double)img[q] * wht[q];
                whtSum += wht[q];
                covered++;
            }
        }

        double fluxIn = 0;
        foreach (float v in bc.Data)
        {
            fluxIn += v;
        }

        fluxIn *= bc.PixelScaleRatio * bc.PixelScaleRatio;
        bool? same = null;
        if (checkDeterminism)
        {
            Drizzle one = bc.Drizzle(k, 1).Result;
            same = one.OutImg.AsSpan().SequenceEqual(img) && one.OutWht.AsSpan().SequenceEqual(wht)
                && one.OutCtx[0].AsSpan().SequenceEqual(run.Result.OutCtx[0]);
        }

        return Report(kernel, bc, threads, times, nx * (double)ny) with
        {
            CpuUserSeconds = [.. cpu],
            Nmiss = run.Counts!.Nmiss,
            Nskip = run.Counts.Nskip,
            FluxRatio = fluxOut / fluxIn,
            WeightPerInputPixel = whtSum / ((double)nx * ny),
            Covered = covered,
            Deterministic = same,
            OutputSha256 = OutputHash(img, wht, run.Result.OutCtx.Count == 0 ? [] : run.Result.OutCtx[0]),
        };
    }

    /// <summary>
    /// Times <see cref="PixmapFile.CalcPixmap"/> on drizzle_bench.py's WCS pair: an nx x ny TAN-SIP input (0.05"/px,
    /// rotated 30°, order-2 SIP of 6 px at the corners) to a TAN output of half the pixel size. "pixmap" is the exact
    /// mode, "pixmap:fast" the verified interpolated mode (its measured maximum error against the exact map is
    /// reported in flux_ratio_out_in's place as max_error_px).
    /// </summary>
    private static ResampleBenchmarkReport Pixmap(string kernel, int nx, int ny, int? threads, int repeat)
    {
        const double scaleIn = 0.05 / 3600.0, rot = 30.0, dist = 6.0, pscale = 0.5;
        double c = Math.Cos(rot * Math.PI / 180), s = Math.Sin(rot * Math.PI / 180);
        double cx = 0.5 * (nx - 1), cy = 0.5 * (ny - 1);
        var a = new double[3, 3];
        var b = new double[3, 3];
        a[2, 0] = dist / (cx * cx);
        a[1, 1] = 0.4 * dist / (cx * cy);
        b[0, 2] = 0.6 * dist / (cy * cy);
        b[1, 1] = -0.5 * dist / (cx * cy);
        var from = new Wcs.FitsWcs(150.0, 2.0, 0.5 * (nx + 1), 0.5 * (ny + 1),
            new Wcs.Matrix2x2(-c * scaleIn, s * scaleIn, s * scaleIn, c * scaleIn), new Wcs.SipDistortion(a, b));
        var to = new Wcs.FitsWcs(150.0, 2.0, 1.0, 1.0, new Wcs.Matrix2x2(-pscale * scaleIn, 0, 0, pscale * scaleIn));
        bool fast = kernel.EndsWith(":fast", StringComparison.OrdinalIgnoreCase);
        var options = new PixmapOptions { Fast = fast, MaxDegreeOfParallelism = threads };
        var times = new List<double>();
        Pixmap? map = null;
        for (int r = 0; r < repeat; r++)
        {
            var sw = Stopwatch.StartNew();
            map = PixmapFile.CalcPixmap(from, to, nx, ny, options);
            times.Add(sw.Elapsed.TotalSeconds);
        }

        double? maxErr = null;
        if (fast)
        {
            Pixmap exact = PixmapFile.CalcPixmap(from, to, nx, ny, options with { Fast = false });
            double e = 0;
            for (long k = 0; k < exact.X.LongLength; k++)
            {
                e = Math.Max(e, Math.Max(Math.Abs(exact.X[k] - map!.X[k]), Math.Abs(exact.Y[k] - map.Y[k])));
            }

            maxErr = e;
        }

        double[] sorted = [.. times.Order()];
        double med = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);
        return new ResampleBenchmarkReport
        {
            Kernel = kernel,
            InShape = [ny, nx],
            OutShape = [ny, nx],
            Threads = threads,
            PixelScaleRatio = pscale,
            Times = [.. times.Select(t => Math.Round(t, 4))],
            KernelSeconds = Math.Round(med, 4),
            MinSeconds = Math.Round(sorted[0], 4),
            MpixPerSecond = Math.Round(nx * (double)ny / 1e6 / med, 3),
            MaxErrorPx = maxErr,
        };
    }

    private static void WriteRaw(string path, float[] values)
    {
        using FileStream f = File.Create(path);
        f.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static string OutputHash(float[] img, float[] wht, int[] ctx)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(img.AsSpan()));
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(wht.AsSpan()));
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ctx.AsSpan()));
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private static ResampleBenchmarkReport Report(string kernel, BenchmarkCase bc, int? threads, List<double> times, double pixels)
    {
        double[] sorted = [.. times.Order()];
        double med = sorted[sorted.Length / 2];
        if (sorted.Length % 2 == 0)
        {
            med = 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);
        }

        return new ResampleBenchmarkReport
        {
            Kernel = kernel,
            InShape = [bc.Height, bc.Width],
            OutShape = [bc.OutputHeight, bc.OutputWidth],
            Threads = threads,
            Pixfrac = 0.8,
            PixelScaleRatio = bc.PixelScaleRatio,
            Times = [.. times.Select(t => Math.Round(t, 4))],
            KernelSeconds = Math.Round(med, 4),
            MinSeconds = Math.Round(sorted[0], 4),
            MpixPerSecond = Math.Round(pixels / 1e6 / med, 3),
        };
    }
}
