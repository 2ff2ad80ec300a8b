using System.Diagnostics;
using TweakDrizzle.Pipeline;
using TweakDrizzle.Pipeline.Combine;
using TweakDrizzle.Simulation;

namespace TweakDrizzle.Bench;

/// <summary>
/// <c>pipeline [demo|acs]</c>: the six exposures of the first simulated visit (demo: two 1024x512 chips each; acs: two
/// 4096x2048 chips each) drizzled onto a north-up 0.03"/pixel grid with CR rejection (AstroDrizzle defaults otherwise).
/// Reports the astrodrizzle wall and CPU time and the process peak working set; the simulation is timed separately.
/// </summary>
internal static class PipelineBench
{
    public static object Run(string[] args)
    {
        string which = args.Length > 0 ? args[0] : "demo";
        SimulationOptions sim = which == "acs" ? SimulationOptions.AcsWfc(1) : SimulationOptions.Demo(1);
        var simulator = new Simulator(sim);
        VisitPlan first = simulator.Visits[0];
        simulator = new Simulator(sim with { Visits = [first] });
        string dir = Path.Combine(Path.GetTempPath(), "tdbench-pipeline-" + Guid.NewGuid().ToString("N"));
        try
        {
            var sw = Stopwatch.StartNew();
            SimulatedDataSet data = DataSetWriter.Write(simulator, dir, new DataSetWriteOptions { CosmicRayMasks = false, SourceLists = false });
            double simSeconds = sw.Elapsed.TotalSeconds;
            TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            sw.Restart();
            AstroDrizzleResult r = AstroDrizzle.Run(data.Files, new AstroDrizzleOptions
            {
                Output = "bench",
                OutputFolder = dir,
                FinalScale = 0.03,
                FinalRot = 0,
                FinalPixfrac = 0.6,
            });
            double wall = sw.Elapsed.TotalSeconds;
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            Process.GetCurrentProcess().Refresh();
            return new
            {
                benchmark = "pipeline",
                dataset = which,
                exposures = data.Files.Count,
                chip = $"{sim.Detector.ChipWidth}x{sim.Detector.ChipHeight}",
                grid = $"{r.Grid.Width}x{r.Grid.Height}",
                simulate_seconds = simSeconds,
                astrodrizzle_wall_seconds = wall,
                astrodrizzle_cpu_seconds = cpu,
                peak_working_set_mb = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,
                cosmic_ray_pixels = r.CosmicRayPixels,
                cores = Environment.ProcessorCount,
            };
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
