using System.CommandLine;
using System.Globalization;
using TweakDrizzle.Diagnostics.Drizzle;
using TweakDrizzle.Diagnostics.Rendering;
using TweakDrizzle.Pipeline;
using TweakDrizzle.Pipeline.Combine;

namespace TweakDrizzle.Cli.Commands;

/// <summary><c>tweakdrizzle advise FILES...</c>: recommend final_scale and final_pixfrac from trial drizzles of the weights.</summary>
internal static class AdviseCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILES") { Description = "Input exposures: files, wildcards or @lists.", Arity = ArgumentArity.OneOrMore };
        var bits = new Option<string>("--final-bits") { Description = "DQ bits treated as good.", DefaultValueFactory = _ => "0" };
        var plot = new Option<string?>("--plot") { Description = "PNG of weight RMS/median against pixfrac at the recommended scale." };
        var cores = new Option<int?>("--num-cores") { Description = "Largest number of threads." };
        var command = new Command("advise", "Recommend final_scale and final_pixfrac for these exposures (weight RMS/median < 0.2, no holes).") { files, bits, plot, cores };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            DqBits b;
            try
            {
                b = DqBits.Parse(parse.GetValue(bits));
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }

            var exposures = InputFiles.Expand(parse.GetValue(files)!).Select(f => Exposure.Load(f)).ToList();
            DrizzleAdvice a = DrizzleAdvisor.Advise(exposures, b, numCores: parse.GetValue(cores));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{a.Exposures} exposures, native scale {a.NativeScale:0.#####}\""));
            Console.WriteLine("scale\"    pixfrac  wht rms/median  holes");
            foreach (AdviceTrial t in a.Trials)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{t.ScaleArcsec,-9:0.#####} {t.Pixfrac,-8:0.0} {t.RmsOverMedian,-15:0.000} {100 * t.HoleFraction:0.###}%{(t.Acceptable ? string.Empty : "  x")}"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recommended: --final-scale {a.FinalScale:0.#####} --final-pixfrac {a.FinalPixfrac:0.0}  ({a.Reason})"));
            if (parse.GetValue(plot) is { } path)
            {
                if (!CairoLibrary.IsAvailable)
                {
                    throw new InvalidOperationException("plots need the cairo library (libcairo2), which is not installed");
                }

                var trials = a.Trials.Where(t => t.ScaleArcsec == a.FinalScale)
                    .Select(t => new PixfracTrial(t.Pixfrac, t.RmsOverMedian) { HoleFraction = t.HoleFraction }).ToList();
                DrizzlePlots.WeightVsPixfrac(trials, string.Create(CultureInfo.InvariantCulture, $"scale {a.FinalScale:0.####}\"")).Save(path);
                Console.WriteLine($"plot: {path}");
            }

            return 0;
        }));
        return command;
    }
}
