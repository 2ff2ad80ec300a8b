using TweakDrizzle.Resample;

namespace TweakDrizzle.Bench;

/// <summary>
/// <c>drizzle [--kernel K] [--size WxH] [--threads N] [--repeat R] [--dump PREFIX]</c>: times AddImage on the benchmark case of the
/// Resample issue (kernel K or blot:INTERP); prints the median kernel_seconds and flux checks.
/// </summary>
internal static class ResampleBench
{
    public static object Run(string[] args)
    {
        string kernel = Arg(args, "--kernel", "square");
        string size = Arg(args, "--size", "4096x2048");
        int? threads = args.Contains("--threads") ? int.Parse(Arg(args, "--threads", "1"), System.Globalization.CultureInfo.InvariantCulture) : null;
        int repeat = int.Parse(Arg(args, "--repeat", "3"), System.Globalization.CultureInfo.InvariantCulture);
        return ResampleBenchmark.Run(kernel, size, threads, repeat, args.Contains("--check-determinism"), BenchArgs.Option(args, "--dump"));
    }

    private static string Arg(string[] args, string name, string def) => BenchArgs.Option(args, name) ?? def;
}
