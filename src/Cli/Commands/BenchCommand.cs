using System.CommandLine;
using System.Text.Json;
using TweakDrizzle.Resample;

namespace TweakDrizzle.Cli.Commands;

/// <summary><c>tweakdrizzle bench drizzle --kernel K --size WxH [--threads N]</c>: the drizzle benchmark, JSON out.</summary>
internal static class BenchCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var kernel = new Option<string>("--kernel") { Description = "square, point, turbo, gaussian, lanczos2, lanczos3, or blot:INTERP.", DefaultValueFactory = _ => "square" };
        var size = new Option<string>("--size") { Description = "Input size WxH.", DefaultValueFactory = _ => "4096x2048" };
        var repeat = new Option<int>("--repeat") { Description = "Timed runs (the median is kernel_seconds).", DefaultValueFactory = _ => 3 };
        var check = new Option<bool>("--check-determinism") { Description = "Also run single-threaded and compare the outputs bit for bit." };
        Option<int?> threads = ResampleCommand.ThreadsOption();
        var drizzle = new Command("drizzle", "Build the drizzle benchmark case in memory (4096x2048 input, distortion, 30° rotation, x2 scale) and time it.")
        {
            kernel, size, repeat, threads, check,
        };
        drizzle.SetAction(parse => CommandRunner.Run(() =>
        {
            int reps = parse.GetValue(repeat);
            if (reps < 1)
            {
                throw new UsageException("--repeat must be at least 1");
            }

            // Warm up the JIT on a small case so that the timed runs measure the kernel only.
            ResampleBenchmark.Run(parse.GetValue(kernel)!, "64x64", 1, 1);
            ResampleBenchmarkReport report = ResampleBenchmark.Run(
                parse.GetValue(kernel)!, parse.GetValue(size)!, ResampleCommand.CheckThreads(parse.GetValue(threads)), reps, parse.GetValue(check));
            Console.WriteLine(JsonSerializer.Serialize(report, Indented));
            return 0;
        }));
        return new Command("bench", "Benchmarks that print JSON.") { drizzle };
    }
}
