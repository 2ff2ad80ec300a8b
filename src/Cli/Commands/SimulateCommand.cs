using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using TweakDrizzle.Simulation;

namespace TweakDrizzle.Cli.Commands;

/// <summary>
/// <c>tweakdrizzle simulate --out DIR</c>: writes a simulated two-visit, two-filter dithered data set
/// (<c>&lt;rootname&gt;_flc.fits</c> files) and its truth (<c>DIR/truth/</c>).
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Folder for the exposures and the truth folder.", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random stream; the same seed gives the same bytes.", DefaultValueFactory = _ => 1 };
        var preset = new Option<string>("--preset")
        {
            Description = "demo: two 1024x512 chips (fast); acs: ACS/WFC-like two 4096x2048 chips (slow, about 2 GB).",
            DefaultValueFactory = _ => "demo",
        };
        preset.AcceptOnlyFromAmong("demo", "acs");
        var units = new Option<string>("--units") { Description = "electrons (BUNIT ELECTRONS, as flc files) or rates (ELECTRONS/S).", DefaultValueFactory = _ => "electrons" };
        units.AcceptOnlyFromAmong("electrons", "rates");
        var chipSize = new Option<string?>("--chip-size") { Description = "Override the chip size, WIDTHxHEIGHT pixels (e.g. 512x256)." };
        var exptime = new Option<double?>("--exptime") { Description = "Seconds per exposure (default 360)." };
        var noCr = new Option<bool>("--no-cosmic-rays") { Description = "Leave out cosmic rays." };
        var noMasks = new Option<bool>("--no-truth-images") { Description = "Do not write the per-exposure cosmic-ray masks and source lists." };
        var command = new Command("simulate", "Write a simulated dithered data set (12 HST-style _flc.fits exposures, 2 filters, 2 visits) and its truth.")
        {
            outDir, seed, preset, units, chipSize, exptime, noCr, noMasks,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var sw = Stopwatch.StartNew();
            SimulationOptions options = parse.GetValue(preset) == "acs" ? SimulationOptions.AcsWfc(parse.GetValue(seed)) : SimulationOptions.Demo(parse.GetValue(seed));
            DetectorModel detector = options.Detector;
            if (parse.GetValue(chipSize) is string size)
            {
                (int w, int h) = ParseSize(size);
                detector = detector with { ChipWidth = w, ChipHeight = h };
            }

            double? t = parse.GetValue(exptime);
            if (t is not null && !(t > 0))
            {
                throw new UsageException("--exptime must be positive.");
            }

            options = options with
            {
                Detector = detector,
                Units = parse.GetValue(units) == "rates" ? OutputUnits.ElectronsPerSecond : OutputUnits.Electrons,
                CosmicRays = !parse.GetValue(noCr),
                Visits = DitherPattern.TrainingVisits(detector, t ?? 360),
            };
            var simulator = new Simulator(options);
            string dir = parse.GetValue(outDir)!;
            bool truthImages = !parse.GetValue(noMasks);
            SimulatedDataSet ds = DataSetWriter.Write(simulator, dir, new DataSetWriteOptions
            {
                CosmicRayMasks = truthImages,
                SourceLists = truthImages,
                Progress = new LineProgress(),
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {ds.Files.Count} exposures ({detector.ChipCount} chips of {detector.ChipWidth}x{detector.ChipHeight}) and the truth ({ds.Truth.Sources.Count} sources) to {ds.Folder} in {sw.Elapsed.TotalSeconds:F1} s"));
            return 0;
        }));
        return command;
    }

    private static (int Width, int Height) ParseSize(string text)
    {
        string[] parts = text.ToLowerInvariant().Split('x');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h)
            && w >= 16 && h >= 16 && w <= 16384 && h <= 16384)
        {
            return (w, h);
        }

        throw new UsageException($"--chip-size must be WIDTHxHEIGHT with 16 to 16384 pixels each, not '{text}'.");
    }

    private sealed class LineProgress : IProgress<string>
    {
        public void Report(string value) => Console.WriteLine("  " + value);
    }
}
