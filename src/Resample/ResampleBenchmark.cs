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

    /// <summary>Whether two runs with 1 and N threads gave bit-identical outputs (checked on the last repeat).</summary>
    [JsonPropertyName("deterministic_1_vs_n")]
    public bool? Deterministic { get; init; }
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
    /// <returns>The report.</returns>
    public static ResampleBenchmarkReport Run(string kernel, string size, int? threads, int repeat, bool checkDeterminism = false)
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
        (double Seconds, Drizzle Result, AddImageResult Counts) run = default;
        for (int r = 0; r < repeat; r++)
        {
            run = bc.Drizzle(k, threads);
            times.Add(run.Seconds);
        }

        float[] img = run.Result!.OutImg!;
        float[] wht = run.Result.OutWht!;
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
            Nmiss = run.Counts!.Nmiss,
            Nskip = run.Counts.Nskip,
            FluxRatio = fluxOut / fluxIn,
            WeightPerInputPixel = whtSum / ((double)nx * ny),
            Covered = covered,
            Deterministic = same,
        };
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
