using System.Diagnostics;
using TweakDrizzle.Simulation;

namespace TweakDrizzle.Bench;

/// <summary>
/// <c>simulate [demo|acs] [write]</c>: time to build the sky and geometry and to render every exposure of a data
/// set (the acs preset: the first two exposures only), single-threaded and with all cores, side by side; with
/// <c>write</c>, the full <see cref="DataSetWriter"/> run into a temporary folder as well. Wall and process CPU time
/// are both reported: on a loaded machine the CPU time is the steadier figure. The checksum shows that the thread
/// count does not change the pixels.
/// </summary>
internal static class SimulationBench
{
    public static object Run(string[] args)
    {
        string which = args.Length > 0 ? args[0] : "demo";
        bool write = args.Contains("write");
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
                    for (int i = 0; i < c.Sci.Length; i += 97)
                    {
                        checksum += c.Sci[i];
                    }
                }
            }

            double total = sw.Elapsed.TotalSeconds;
            rows.Add(new
            {
                mode = "render",
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

        if (write && which == "demo")
        {
            string dir = Directory.CreateTempSubdirectory("td-sim-bench-").FullName;
            try
            {
                TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                SimulatedDataSet ds = DataSetWriter.Write(new Simulator(baseOptions), dir);
                long bytes = Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
                rows.Add(new
                {
                    mode = "write",
                    threads = Environment.ProcessorCount,
                    files = ds.Files.Count,
                    megabytes = Math.Round(bytes / 1e6, 1),
                    total_s = Math.Round(sw.Elapsed.TotalSeconds, 3),
                    cpu_s = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds, 3),
                });
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        return new { benchmark = "simulate", dataset = which, runs = rows };
    }
}
