using System.CommandLine;
using System.Globalization;
using TweakDrizzle.Simulation;

namespace TweakDrizzle.Cli.Commands;

/// <summary><c>tweakdrizzle demo</c>: the main job on built-in simulated data.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var outDir = new Option<DirectoryInfo>("--out")
        {
            Description = "Folder for the simulated data, products, plots and report.",
            DefaultValueFactory = _ => new DirectoryInfo("demo-out"),
        };
        var fullSize = new Option<bool>("--full-size") { Description = "Simulate 4096x2048 chips (ACS/WFC-like; slow, several GB) instead of 1024x512." };
        var seed = new Option<ulong>("--seed") { Description = "Simulation seed.", DefaultValueFactory = _ => 1UL };
        var crGrow = new Option<int>("--driz-cr-grow") { Description = "Box size cosmic-ray pixels are grown to (AstroDrizzle driz_cr_grow).", DefaultValueFactory = _ => 1 };
        var crTail = new Option<bool>("--driz-cr-tail") { Description = "Grow cosmic rays into their faint tails after AstroDrizzle's rule (false: AstroDrizzle's rule alone).", DefaultValueFactory = _ => true };
        var command = new Command("demo", "Simulate a dithered two-filter data set, align it, drizzle it and compare with the truth.") { outDir, fullSize, seed, crGrow, crTail };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            DirectoryInfo dir = parse.GetValue(outDir)!;
            SimulationOptions sim = parse.GetValue(fullSize) ? SimulationOptions.AcsWfc(parse.GetValue(seed)) : SimulationOptions.Demo(parse.GetValue(seed));
            Console.WriteLine($"tweakdrizzle demo: output folder {dir.FullName}");
            DemoSummary s = DemoRunner.Run(dir.FullName, sim, Console.WriteLine, null, parse.GetValue(crGrow), crTail: parse.GetValue(crTail));
            Console.WriteLine();
            Console.WriteLine("Summary (measured against the simulation truth):");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  alignment: {s.AlignedExposures}/{s.Exposures} exposures, median fit rms {s.AlignmentMedianRmsMas:0.00} mas"));
            foreach (string line in DemoRunner.FormatTable(s))
            {
                Console.WriteLine(line);
            }

            Console.WriteLine("  (every figure of each filter, with the cosmic-ray and weight details, is in qa_report.html)");

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  products, plots and qa_report.html in {s.Folder}; {s.Seconds:0.0} s"));
            return 0;
        }));
        return command;
    }
}
