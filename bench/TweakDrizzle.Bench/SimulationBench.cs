using System.Diagnostics;
using TweakDrizzle.Simulation;

namespace TweakDrizzle.Bench;

/// <summary>
/// <c>simulate [demo|acs] [threads]</c>: time to build the sky and geometry and to render every exposure of a
/// data set in memory (no file writing), single-threaded and with all cores, side by side. Wall and process CPU time are both reported: on a
/// loaded machine the CPU time is the steadier figure.
/// </summary>
internal static class SimulationBench
{
    public static object Run(string[] args)
    {
        string which = args.Length > 0 ? args[0] : "demo";
        SimulationOptions baseOptions = which == "acs" ? SimulationOptions.AcsWfc(1) : SimulationOptions.Demo(1);
        int exposures = which == "acs" ? 2 : int.MaxValue;
        var rows = new List<object>();
        foreach (int threads in new[] { 1, -1 })
        {
            TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var sim = new Simulator(baseOptions with { MaxDegreeOfParallelism = threads });
            double setup = sw.Elapsed.TotalSeconds;
            int n = Math.Min(exposures, sim.Exposures.Count);
            long pixels = 0;
            double checksum = 0;
            for (int k = 0; k < n; k++)
            {
                SimulatedExposure e = sim.Simulate(k);
                foreach (SimulatedChip c in e.Chips)
                {
                    pixels += c.Sci.Length;
                    checksum += c.Sci[c.Sci.Length / 2];
                }
            }

            double total = sw.Elapsed.TotalSeconds;
            rows.Add(new
            {
                threads = threads == -1 ? Environment.ProcessorCount : 1,
                sources = sim.Sky.Sources.Count,
                exposures = n,
                megapixels = pixels / 1e6,
                setup_s = Math.Round(setup, 3),
                total_s = Math.Round(total, 3),
                cpu_s = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds, 3),
                mpix_per_s = Math.Round(pixels / 1e6 / total, 2),
                checksum,
            });
        }

        return new { benchmark = "simulate", dataset = which, runs = rows };
    }
}
