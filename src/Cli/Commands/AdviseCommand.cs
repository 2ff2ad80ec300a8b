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
        var fwhm = new Option<double>("--psf-fwhm")
        {
            Description = "FWHM of the test stars of the point-source trial, native pixels.",
            DefaultValueFactory = _ => 2.0,
        };
        var maxPhot = new Option<double?>("--max-phot-error")
        {
            Description = "Also require the point-source aperture photometry error (largest over the test stars) to be at most this fraction, e.g. 0.01.",
        };
        var command = new Command("advise", "Recommend final_scale and final_pixfrac for these exposures (weight RMS/median < 0.2, no holes; optionally a point-source photometry bound).")
        {
            files, bits, plot, cores, fwhm, maxPhot,
        };
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

            // Header-only loads: the advisor reads each chip's SCI and DQ once, for its good-pixel mask.
            var headers = new ExposureLoadOptions { ReadPixels = false };
            var exposures = InputFiles.Expand(parse.GetValue(files)!).Select(f => Exposure.Load(f, headers)).ToList();
            var options = new DrizzleAdvisorOptions
            {
                Bits = b,
                NumCores = parse.GetValue(cores),
                PsfFwhm = parse.GetValue(fwhm),
                MaxPointSourceError = parse.GetValue(maxPhot),
            };
            DrizzleAdvice a = DrizzleAdvisor.Advise(exposures, options);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{a.Exposures} exposures, native scale {a.NativeScale:0.#####}\""));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"point sources: noise-free Gaussian test stars of FWHM {options.PsfFwhm:0.##} native pixels"));
            Console.WriteLine("scale\"    pixfrac  wht rms/median  holes    point sources: rms    max");
            foreach (AdviceTrial t in a.Trials)
            {
                string holes = string.Create(CultureInfo.InvariantCulture, $"{100 * t.HoleFraction:0.###}%");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{t.ScaleArcsec,-9:0.#####} {t.Pixfrac,-8:0.0} {t.RmsOverMedian,-15:0.000} {holes,-8} {string.Empty,15}{Percent(t.PointSourceRms),7} {Percent(t.PointSourceMax),7}{(t.Acceptable ? string.Empty : "  x")}"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recommended: --final-scale {a.FinalScale:0.#####} --final-pixfrac {a.FinalPixfrac:0.0}  ({a.Reason})"));
            if (parse.GetValue(plot) is { } path)
            {
                if (!CairoLibrary.IsAvailable)
                {
                    throw new InvalidOperationException("plots need the cairo library (libcairo2), which is not installed");
                }

                var trials = a.Trials.Where(t => t.ScaleArcsec == a.FinalScale)
                    .Select(t => t.ToPixfracTrial()).ToList();
                DrizzlePlots.WeightVsPixfrac(trials, string.Create(CultureInfo.InvariantCulture, $"scale {a.FinalScale:0.####}\""), a.FinalPixfrac).Save(path);
                Console.WriteLine($"plot: {path}");
            }

            return 0;
        }));
        return command;
    }

    private static string Percent(double fraction) =>
        double.IsNaN(fraction) ? "-" : string.Create(CultureInfo.InvariantCulture, $"{100 * fraction:0.00}%");
}
