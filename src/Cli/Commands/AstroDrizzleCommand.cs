using System.CommandLine;
using System.Globalization;
using TweakDrizzle.Pipeline;
using TweakDrizzle.Pipeline.Combine;
using TweakDrizzle.Resample;

namespace TweakDrizzle.Cli.Commands;

/// <summary><c>tweakdrizzle astrodrizzle FILES... --output NAME [options]</c>: AstroDrizzle's combination.</summary>
internal static class AstroDrizzleCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILES") { Description = "Input exposures: files, wildcards or @lists.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output") { Description = "Product root: <output>_drc.fits for _flc inputs, else <output>_drz.fits.", Required = true };
        var outDir = new Option<string>("--out-dir") { Description = "Folder for the product, intermediates and log.", DefaultValueFactory = _ => "." };
        var finalWcs = new Option<bool>("--final-wcs") { Description = "Use the custom output grid (implied by any --final-* grid option)." };
        var scale = new Option<double?>("--final-scale") { Description = "Output pixel scale, arcsec." };
        var rot = new Option<double?>("--final-rot") { Description = "Position angle of the output y axis, degrees east of north (0: north up)." };
        var outnx = new Option<int?>("--final-outnx") { Description = "Output width, pixels." };
        var outny = new Option<int?>("--final-outny") { Description = "Output height, pixels." };
        var ra = new Option<double?>("--final-ra") { Description = "RA of output pixel ((NX+1)/2, (NY+1)/2), 1-based, degrees." };
        var dec = new Option<double?>("--final-dec") { Description = "Dec of that pixel, degrees." };
        var refimage = new Option<string?>("--final-refimage") { Description = "Use the grid of this product or image." };
        var kernel = new Option<string>("--final-kernel") { Description = "square | point | turbo | gaussian | lanczos2 | lanczos3.", DefaultValueFactory = _ => "square" };
        var pixfrac = new Option<double>("--final-pixfrac") { Description = "Drop size.", DefaultValueFactory = _ => 1.0 };
        var fillval = new Option<string>("--final-fillval") { Description = "Value of pixels without data: INDEF (0) or a number.", DefaultValueFactory = _ => "INDEF" };
        var whtType = new Option<string>("--final-wht-type") { Description = "EXP | ERR | IVM.", DefaultValueFactory = _ => "EXP" };
        var finalErr = new Option<bool>("--final-err") { Description = "Also write an ERR extension: the inputs' ERR carried through the final drizzle (variance with squared weights)." };
        var bits = new Option<string>("--final-bits") { Description = "DQ bits treated as good in the final drizzle (0: reject every flagged pixel).", DefaultValueFactory = _ => "0" };
        var sepBits = new Option<string>("--driz-sep-bits") { Description = "DQ bits treated as good in the separate drizzles.", DefaultValueFactory = _ => "0" };
        var units = new Option<string>("--final-units") { Description = "cps | counts.", DefaultValueFactory = _ => "cps" };
        var staticMask = new Option<bool>("--static") { Description = "Build the static mask.", DefaultValueFactory = _ => true };
        var staticSig = new Option<double>("--static-sig") { Description = "Static mask threshold, sky sigmas.", DefaultValueFactory = _ => 4.0 };
        var skysub = new Option<bool>("--skysub") { Description = "Subtract the sky.", DefaultValueFactory = _ => true };
        var skymethod = new Option<string>("--skymethod") { Description = "localmin | globalmin | match | globalmin+match.", DefaultValueFactory = _ => "localmin" };
        var skystat = new Option<string>("--skystat") { Description = "median | mode.", DefaultValueFactory = _ => "median" };
        var sepKernel = new Option<string>("--driz-sep-kernel") { Description = "Kernel of the separate drizzles.", DefaultValueFactory = _ => "turbo" };
        var sepPixfrac = new Option<double>("--driz-sep-pixfrac") { Description = "Drop size of the separate drizzles.", DefaultValueFactory = _ => 1.0 };
        var combineType = new Option<string>("--combine-type") { Description = "minmed | median | mean.", DefaultValueFactory = _ => "minmed" };
        var combineNsigma = new Option<string>("--combine-nsigma") { Description = "minmed thresholds, two numbers.", DefaultValueFactory = _ => "4 3" };
        var nlow = new Option<int>("--combine-nlow") { Description = "Lowest values dropped per pixel.", DefaultValueFactory = _ => 0 };
        var nhigh = new Option<int>("--combine-nhigh") { Description = "Highest values dropped per pixel.", DefaultValueFactory = _ => 0 };
        var maskpt = new Option<double>("--combine-maskpt") { Description = "Weight fraction below which separate-drizzle pixels are left out.", DefaultValueFactory = _ => 0.3 };
        var blotInterp = new Option<string>("--blot-interp") { Description = "nearest | linear | poly3 | poly5 | lanczos3 | lanczos5.", DefaultValueFactory = _ => "poly5" };
        var drizCr = new Option<bool>("--driz-cr") { Description = "Detect cosmic rays (needs two or more exposures).", DefaultValueFactory = _ => true };
        var crSnr = new Option<string>("--driz-cr-snr") { Description = "S/N thresholds of the two passes.", DefaultValueFactory = _ => "3.5 3.0" };
        var crScale = new Option<string>("--driz-cr-scale") { Description = "Derivative scales of the two passes.", DefaultValueFactory = _ => "1.2 0.7" };
        var crGrow = new Option<int>("--driz-cr-grow") { Description = "Box size cosmic-ray pixels are grown to.", DefaultValueFactory = _ => 1 };
        var crTail = new Option<bool>("--driz-cr-tail") { Description = "After AstroDrizzle's rule, grow cosmic rays into their faint tails (not in AstroDrizzle; false: AstroDrizzle's rule alone).", DefaultValueFactory = _ => true };
        var crCores = new Option<bool>("--driz-cr-cores")
        {
            Description = "Also test star cores, where the blot is steep, against a local model of the blot's registration and resampling error (not in AstroDrizzle; meant for --combine-type median).",
        };
        var crSingle = new Option<bool>("--driz-cr-single")
        {
            Description = "Test the pixels that fewer than three exposures cover (chip gaps, mosaic edges) on their own, with L.A.Cosmic's criteria (not in AstroDrizzle; false: only AstroDrizzle's comparison with the median).",
            DefaultValueFactory = _ => true,
        };
        var crTailSnr = new Option<double>("--driz-cr-tail-snr") { Description = "S/N threshold of the tail search.", DefaultValueFactory = _ => 1.5 };
        var holePixfrac = new Option<double?>("--final-hole-pixfrac") { Description = "Fill holes (coincident rejections) from drops of this larger pixfrac (not in AstroDrizzle; default: leave holes)." };
        var intermediates = new Option<bool>("--intermediates") { Description = "Write the single drizzles, median, blots and CR masks." };
        var updateDq = new Option<bool>("--update-input-dq") { Description = "Flag cosmic rays with 4096 in the inputs' DQ arrays (modifies the inputs)." };
        var cores = new Option<int?>("--num-cores") { Description = "Largest number of threads (results do not depend on it)." };
        var maxPixels = new Option<long>("--max-output-pixels") { Description = "Refuse larger output grids.", DefaultValueFactory = _ => 400_000_000 };
        var maxMemory = new Option<int>("--max-memory") { Description = "Memory budget of the streamed steps, MiB: sets the final drizzle's output tile height and the median's band height.", DefaultValueFactory = _ => 2048 };
        var tileRows = new Option<int?>("--tile-rows") { Description = "Output rows per final-drizzle tile (overrides --max-memory; the product does not depend on it)." };
        var scratchDir = new Option<string?>("--scratch-dir") { Description = "Folder for the scratch files (separate drizzles, median); default the output folder. Removed at the end." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the product name." };
        var plotsDir = new Option<string?>("--plots") { Description = "Write the drizzle quality plots (preview, holes, dither pattern) and a QA report (HTML, JSON) into this folder." };
        var command = new Command("astrodrizzle", "Combine dithered exposures with drizzle, sky subtraction and cosmic-ray rejection (AstroDrizzle).")
        {
            files, output, outDir, finalWcs, scale, rot, outnx, outny, ra, dec, refimage, kernel, pixfrac, fillval, whtType, finalErr, bits, sepBits,
            units, staticMask, staticSig, skysub, skymethod, skystat, sepKernel, sepPixfrac, combineType, combineNsigma, nlow, nhigh, maskpt,
            blotInterp, drizCr, crSnr, crScale, crGrow, crTail, crTailSnr, crCores, crSingle, holePixfrac, intermediates, updateDq, cores, maxPixels, maxMemory, tileRows, scratchDir, quiet, plotsDir,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string folder = parse.GetValue(outDir)!;
            Directory.CreateDirectory(folder);
            string name = parse.GetValue(output)!;
            string logPath = Path.Combine(folder, name + "_astrodrizzle.log");
            bool q = parse.GetValue(quiet);
            using var logWriter = new StringWriter(CultureInfo.InvariantCulture);
            ConsoleProgress progress = ConsoleProgress.ForStandardError(q);
            void Log(string line)
            {
                logWriter.WriteLine(line);
                if (!q)
                {
                    progress.WriteLine(line);
                }
            }

            var options = new AstroDrizzleOptions
            {
                Output = name,
                OutputFolder = folder,
                FinalWcs = parse.GetValue(finalWcs),
                FinalScale = parse.GetValue(scale),
                FinalRot = parse.GetValue(rot),
                FinalOutNx = parse.GetValue(outnx),
                FinalOutNy = parse.GetValue(outny),
                FinalRa = parse.GetValue(ra),
                FinalDec = parse.GetValue(dec),
                FinalRefImage = parse.GetValue(refimage),
                FinalKernel = Parse(() => DrizzleKernels.Parse(parse.GetValue(kernel)!)),
                FinalPixfrac = parse.GetValue(pixfrac),
                FinalFillval = Parse(() => FillValue.Parse(parse.GetValue(fillval))),
                FinalWhtType = Enum<WeightType>(parse.GetValue(whtType)!, "--final-wht-type", "EXP, ERR or IVM"),
                FinalErr = parse.GetValue(finalErr),
                FinalBits = Parse(() => DqBits.Parse(parse.GetValue(bits))),
                DrizSepBits = Parse(() => DqBits.Parse(parse.GetValue(sepBits))),
                FinalUnits = Enum<OutputUnits>(parse.GetValue(units)!, "--final-units", "cps or counts"),
                StaticMask = parse.GetValue(staticMask),
                StaticSig = parse.GetValue(staticSig),
                SkySub = parse.GetValue(skysub),
                SkyMethod = SkyMethodOf(parse.GetValue(skymethod)!),
                SkyStat = Enum<SkyStatistic>(parse.GetValue(skystat)!, "--skystat", "median or mode"),
                DrizSepKernel = Parse(() => DrizzleKernels.Parse(parse.GetValue(sepKernel)!)),
                DrizSepPixfrac = parse.GetValue(sepPixfrac),
                CombineType = Enum<CombineType>(parse.GetValue(combineType)!, "--combine-type", "minmed, median or mean"),
                CombineNSigma = Pair(parse.GetValue(combineNsigma)!, "--combine-nsigma"),
                CombineNLow = parse.GetValue(nlow),
                CombineNHigh = parse.GetValue(nhigh),
                CombineMaskpt = parse.GetValue(maskpt),
                BlotInterp = Parse(() => Blot.ParseInterpolation(parse.GetValue(blotInterp)!)),
                DrizCr = parse.GetValue(drizCr),
                DrizCrSnr = Pair(parse.GetValue(crSnr)!, "--driz-cr-snr"),
                DrizCrScale = Pair(parse.GetValue(crScale)!, "--driz-cr-scale"),
                DrizCrGrow = parse.GetValue(crGrow),
                DrizCrTail = parse.GetValue(crTail) ? new CosmicRayTail { Snr = parse.GetValue(crTailSnr), Cores = parse.GetValue(crCores) } : null,
                DrizCrSingle = parse.GetValue(crSingle) ? new SingleImageCrTest() : null,
                FinalHolePixfrac = parse.GetValue(holePixfrac),
                WriteIntermediates = parse.GetValue(intermediates),
                UpdateInputDq = parse.GetValue(updateDq),
                NumCores = parse.GetValue(cores),
                MaxOutputPixels = parse.GetValue(maxPixels),
                MaxMemoryMB = parse.GetValue(maxMemory),
                TileRows = parse.GetValue(tileRows),
                ScratchFolder = parse.GetValue(scratchDir),
                Log = Log,
                Progress = progress,
            };
            IReadOnlyList<string> inputs = InputFiles.Expand(parse.GetValue(files)!);
            Log($"astrodrizzle: {inputs.Count} input file(s)");
            AstroDrizzleResult r;
            try
            {
                r = AstroDrizzle.Run(inputs, options);
            }
            finally
            {
                progress.Finish();
            }
            Log(string.Create(CultureInfo.InvariantCulture,
                $"done: {r.Grid.Width}x{r.Grid.Height}, {r.TotalExposureTime:0.###} s, {r.CosmicRayPixels} cosmic-ray pixels"));
            if (parse.GetValue(plotsDir) is { } plotFolder)
            {
                foreach (string written in AstroDrizzlePlots.Write(r, inputs, options, plotFolder, Log))
                {
                    Log($"wrote {written}");
                }
            }

            File.WriteAllText(logPath, logWriter.ToString());
            Console.WriteLine(r.ProductPath);
            return 0;
        }));
        return command;
    }

    internal static (double First, double Second) Pair(string text, string option)
    {
        string[] parts = text.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 1 or > 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
            || !double.TryParse(parts[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double b))
        {
            throw new UsageException($"{option} takes one or two numbers, e.g. \"3.5 3.0\"; got '{text}'");
        }

        return (a, b);
    }

    private static SkyMethod SkyMethodOf(string text) =>
        string.Equals(text.Trim(), "globalmin+match", StringComparison.OrdinalIgnoreCase)
            ? SkyMethod.GlobalminMatch
            : Enum<SkyMethod>(text, "--skymethod", "localmin, globalmin, match or globalmin+match");

    private static T Enum<T>(string text, string option, string allowed)
        where T : struct, System.Enum =>
        System.Enum.TryParse(text.Trim(), true, out T v) && System.Enum.IsDefined(v) && !int.TryParse(text, out _)
            ? v
            : throw new UsageException($"unknown {option} '{text}' (use {allowed})");

    private static T Parse<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is ResampleException or ArgumentException or FormatException or ExposureException)
        {
            throw new UsageException(e.Message);
        }
    }
}
