using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TweakDrizzle.Pipeline.Combine;
using TweakDrizzle.Simulation;

namespace TweakDrizzle.Bench;

/// <summary>
/// <c>pipeline [demo|acs] [--data DIR] [--max-memory MB] [--threads N]</c>: the six exposures of the first simulated visit
/// (demo: two 1024x512 chips each; acs: two 4096x2048 chips each) drizzled onto a north-up 0.03"/pixel grid with pixfrac
/// 0.6 and CR rejection (AstroDrizzle defaults otherwise). The data are simulated once into DIR (default a folder under
/// the temp folder, kept for the next run); the combination then runs in a fresh child process, so that its peak
/// resident memory is the combination's alone. Reports wall and CPU time and peak memory of the child.
/// </summary>
internal static class PipelineBench
{
    public static object Run(string[] args)
    {
        string which = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "demo";
        string? data = BenchArgs.Option(args, "--data");
        int maxMemory = int.Parse(BenchArgs.Option(args, "--max-memory") ?? "2048", CultureInfo.InvariantCulture);
        string threads = BenchArgs.Option(args, "--threads") ?? Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        data ??= Path.Combine(Path.GetTempPath(), "tweakdrizzle-bench-pipeline-" + which);
        double simSeconds = EnsureData(which, data);
        string output = Path.Combine(Path.GetTempPath(), "tweakdrizzle-bench-pipeline-out-" + Guid.NewGuid().ToString("N"));
        try
        {
            var psi = new ProcessStartInfo(Environment.ProcessPath!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal))
            {
                psi.ArgumentList.Add(typeof(PipelineBench).Assembly.Location);
            }

            foreach (string a in (string[])["pipeline-child", data, output, maxMemory.ToString(CultureInfo.InvariantCulture), threads])
            {
                psi.ArgumentList.Add(a);
            }

            using Process child = Process.Start(psi)!;
            Task<string> stderr = child.StandardError.ReadToEndAsync();
            string stdout = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            if (child.ExitCode != 0)
            {
                throw new InvalidOperationException("the astrodrizzle child failed: " + stderr.Result);
            }

            using JsonDocument doc = JsonDocument.Parse(stdout);
            JsonElement r = doc.RootElement;
            return new
            {
                benchmark = "pipeline",
                dataset = which,
                data_folder = data,
                simulate_seconds = simSeconds,
                exposures = r.GetProperty("exposures").GetInt32(),
                grid = r.GetProperty("grid").GetString(),
                tiles = r.GetProperty("tiles").GetInt32(),
                max_memory_mb = maxMemory,
                threads = int.Parse(threads, CultureInfo.InvariantCulture),
                astrodrizzle_wall_seconds = r.GetProperty("wall").GetDouble(),
                astrodrizzle_cpu_seconds = r.GetProperty("cpu").GetDouble(),
                peak_resident_mb = r.GetProperty("peak_mb").GetDouble(),
                cosmic_ray_pixels = r.GetProperty("cosmic_ray_pixels").GetInt64(),
                cores = Environment.ProcessorCount,
                step_log = r.GetProperty("log").EnumerateArray().Select(e => e.GetString()).ToArray(),
            };
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, true);
            }
        }
    }

    /// <summary>The child: runs the combination on the files of DIR and prints its own figures.</summary>
    public static object Child(string[] args)
    {
        string data = args[0], output = args[1];
        int maxMemory = int.Parse(args[2], CultureInfo.InvariantCulture);
        int threads = int.Parse(args[3], CultureInfo.InvariantCulture);
        var files = Directory.GetFiles(data, "*_flc.fits").Order(StringComparer.Ordinal).ToList();
        var log = new List<string>();
        TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        AstroDrizzleResult r = AstroDrizzle.Run(files, new AstroDrizzleOptions
        {
            Output = "bench",
            OutputFolder = output,
            FinalScale = 0.03,
            FinalRot = 0,
            FinalPixfrac = 0.6,
            MaxMemoryMB = maxMemory,
            NumCores = threads,
            Log = log.Add,
        });
        double wall = sw.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        double cpu = (self.TotalProcessorTime - cpu0).TotalSeconds;
        self.Refresh();
        return new
        {
            exposures = files.Count,
            grid = $"{r.Grid.Width}x{r.Grid.Height}",
            tiles = r.Tiles,
            wall,
            cpu,
            peak_mb = self.PeakWorkingSet64 / 1048576.0,
            cosmic_ray_pixels = r.CosmicRayPixels,
            log = log.Where(l => !l.Contains("] sky ", StringComparison.Ordinal) && !l.Contains("driz_cr ", StringComparison.Ordinal)).ToArray(),
        };
    }

    /// <summary>Simulates the first visit's six exposures into <paramref name="folder"/> unless they are there already.</summary>
    private static double EnsureData(string which, string folder)
    {
        string marker = Path.Combine(folder, ".complete");
        if (File.Exists(marker))
        {
            return 0;
        }

        SimulationOptions sim = which == "acs" ? SimulationOptions.AcsWfc(1) : SimulationOptions.Demo(1);
        var simulator = new Simulator(sim);
        simulator = new Simulator(sim with { Visits = [simulator.Visits[0]] });
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, true);
        }

        var sw = Stopwatch.StartNew();
        DataSetWriter.Write(simulator, folder, new DataSetWriteOptions { CosmicRayMasks = false, SourceLists = false });
        File.WriteAllText(marker, "simulated");
        return sw.Elapsed.TotalSeconds;
    }
}
