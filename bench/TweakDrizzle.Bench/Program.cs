using System.Text.Json;

namespace TweakDrizzle.Bench;

/// <summary>
/// Benchmarks that print JSON: <c>dotnet run -c Release --project bench/TweakDrizzle.Bench -- NAME [args]</c>.
/// Each benchmark is one class in this folder registered in <see cref="Benchmarks"/>.
/// </summary>
public static class Program
{
    /// <summary>Every benchmark by name; one line each.</summary>
    private static readonly Dictionary<string, Func<string[], object>> Benchmarks = new(StringComparer.Ordinal)
    {
        ["fits-read"] = FitsBench.Read,
        ["fits-headers"] = FitsBench.Headers,
        ["drizzle"] = ResampleBench.Run,
        ["sourcefind-cases"] = SourceFinderBenchmarks.RunCases,
        ["sourcefind-field"] = SourceFinderFieldBenchmark.Run,
        ["sourcefind-stages"] = SourceFinderStagesBenchmark.Run,
        ["simulate"] = SimulationBench.Run,
        ["wcs"] = WcsBench.Run,
        ["match-histogram"] = MatchingBench.Histogram,
        ["match-asterism"] = MatchingBench.Asterism,
        ["match-stress"] = MatchingStressBench.Run,
        ["diagnostics-tweakreg-plots"] = DiagnosticsBench.Run,
        ["diagnostics-examples"] = DiagnosticsExamples.Run,
        ["pipeline"] = PipelineBench.Run,
        ["pipeline-child"] = PipelineBench.Child,
        ["tweakreg"] = TweakRegBench.Run,
    };

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Benchmarks.TryGetValue(args[0], out Func<string[], object>? run))
        {
            Console.Error.WriteLine("usage: TweakDrizzle.Bench NAME [args]; NAME is one of: " + string.Join(", ", Benchmarks.Keys.Order(StringComparer.Ordinal)));
            return 2;
        }

        object result = run(args[1..]);
        Console.WriteLine(JsonSerializer.Serialize(result, Indented));
        return 0;
    }
}
