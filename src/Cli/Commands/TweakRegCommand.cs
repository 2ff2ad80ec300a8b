using System.CommandLine;
using System.Globalization;
using TweakDrizzle.Matching;
using TweakDrizzle.Pipeline;
using TweakDrizzle.Pipeline.Alignment;
using TweakDrizzle.Pipeline.Combine;

namespace TweakDrizzle.Cli.Commands;

/// <summary><c>tweakdrizzle tweakreg FILES... [options]</c>: TweakReg's alignment of multi-chip exposures.</summary>
internal static class TweakRegCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILES") { Description = "Input exposures: files, wildcards or @lists.", Arity = ArgumentArity.OneOrMore };
        var refimage = new Option<string?>("--refimage") { Description = "Reference image (default: the first input, or --refcat alone)." };
        var refcat = new Option<string?>("--refcat") { Description = "External reference catalog: CSV with ra,dec (degrees) and optional flux or mag." };
        var rfluxcol = new Option<string?>("--rfluxcol") { Description = "Flux column of --refcat (default: flux, else mag)." };
        var rfluxunits = new Option<string?>("--rfluxunits") { Description = "mag | flux (default: from the column name)." };
        var rminflux = new Option<double?>("--rminflux") { Description = "Keep reference sources with flux column >= this." };
        var rmaxflux = new Option<double?>("--rmaxflux") { Description = "Keep reference sources with flux column <= this." };
        var refnbright = new Option<int?>("--refnbright") { Description = "Keep only the N brightest reference sources." };
        var expand = new Option<bool>("--expand-refcat") { Description = "Add each aligned image's unmatched sources to the reference catalog." };
        var userOrder = new Option<bool>("--enforce-user-order") { Description = "Align in the order given (false: nearest to the reference first).", DefaultValueFactory = _ => true };
        var catfile = new Option<string?>("--catfile") { Description = "User catalogs: lines 'image cat_sci1 [cat_sci2 ...]' (CSV x,y[,flux] 0-based, or .coo X Y [FLUX] 1-based)." };
        var detector = new Option<string>("--detector") { Description = "refined | dao | tweakreg.", DefaultValueFactory = _ => "refined" };
        var convWidth = new Option<double>("--conv-width") { Description = "Kernel width, about 2x the PSF FWHM (pixels).", DefaultValueFactory = _ => 3.5 };
        var threshold = new Option<double>("--threshold") { Description = "Detection threshold in sky sigmas.", DefaultValueFactory = _ => 4.0 };
        var peakmin = new Option<double?>("--peakmin") { Description = "Reject sources with a peak at or below this." };
        var peakmax = new Option<double?>("--peakmax") { Description = "Reject sources with a peak at or above this (saturated; default: SATURATE for count data)." };
        var dqbits = new Option<string>("--dqbits") { Description = "DQ bits treated as good while detecting (0: mask every flagged pixel; None: ignore DQ).", DefaultValueFactory = _ => "0" };
        var fitgeometry = new Option<string>("--fitgeometry") { Description = "shift | rshift | rscale | general.", DefaultValueFactory = _ => "rscale" };
        var searchrad = new Option<double>("--searchrad") { Description = "Search radius of the offset histogram.", DefaultValueFactory = _ => 1.0 };
        var searchunits = new Option<string>("--searchunits") { Description = "arcseconds | pixels.", DefaultValueFactory = _ => "arcseconds" };
        var use2dhist = new Option<bool>("--use2dhist") { Description = "Find the first offset with the 2-D histogram (false: --xoffset/--yoffset).", DefaultValueFactory = _ => true };
        var xoffset = new Option<double>("--xoffset") { Description = "Initial x offset input - reference (pixels).", DefaultValueFactory = _ => 0.0 };
        var yoffset = new Option<double>("--yoffset") { Description = "Initial y offset input - reference (pixels).", DefaultValueFactory = _ => 0.0 };
        var tolerance = new Option<double>("--tolerance") { Description = "Matching tolerance (reference pixels; 0: adapt to the residuals).", DefaultValueFactory = _ => 1.0 };
        var separation = new Option<double>("--separation") { Description = "Sources closer than this are confused and not matched (pixels).", DefaultValueFactory = _ => 0.5 };
        var minobj = new Option<int>("--minobj") { Description = "Fewest sources and matches an image needs.", DefaultValueFactory = _ => 15 };
        var nclip = new Option<int>("--nclip") { Description = "Sigma-clipping passes of the fit.", DefaultValueFactory = _ => 3 };
        var sigma = new Option<double>("--sigma") { Description = "Clipping limit in standard deviations.", DefaultValueFactory = _ => 3.0 };
        var updatehdr = new Option<bool>("--updatehdr") { Description = "Write the corrected WCS into every SCI header (old WCS kept under an alternate key)." };
        var wcsname = new Option<string>("--wcsname") { Description = "WCSNAME of the new WCS.", DefaultValueFactory = _ => "TWEAK" };
        var reusename = new Option<bool>("--reusename") { Description = "Allow a WCSNAME that already exists (overwrite it)." };
        var shiftfile = new Option<string?>("--shiftfile") { Description = "Write TweakReg's shiftfile here (and <root>_wcs.fits beside it)." };
        var plots = new Option<string?>("--plots") { Description = "Write hist2d_, vector_ and residuals_<root>.png here." };
        var json = new Option<string?>("--json") { Description = "Write a JSON summary here." };
        var catalogs = new Option<string?>("--catalogs") { Description = "Write TweakReg-named catalogs and match lists into this folder." };
        var cores = new Option<int?>("--num-cores") { Description = "Largest number of threads (results do not depend on it)." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress lines on stderr." };
        var command = new Command("tweakreg", "Align exposures to a reference image or catalog and optionally update their WCS (TweakReg).")
        {
            files, refimage, refcat, rfluxcol, rfluxunits, rminflux, rmaxflux, refnbright, expand, userOrder, catfile, detector, convWidth,
            threshold, peakmin, peakmax, dqbits, fitgeometry, searchrad, searchunits, use2dhist, xoffset, yoffset, tolerance, separation,
            minobj, nclip, sigma, updatehdr, wcsname, reusename, shiftfile, plots, json, catalogs, cores, quiet,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            bool q = parse.GetValue(quiet);
            double tol = parse.GetValue(tolerance);
            var options = new TweakRegOptions
            {
                RefImage = parse.GetValue(refimage),
                RefCat = parse.GetValue(refcat),
                RefFluxColumn = parse.GetValue(rfluxcol),
                RefFluxUnits = parse.GetValue(rfluxunits) is { } fu ? ParseFluxUnits(fu) : null,
                RefMinFlux = parse.GetValue(rminflux),
                RefMaxFlux = parse.GetValue(rmaxflux),
                RefNBright = parse.GetValue(refnbright),
                ExpandRefCat = parse.GetValue(expand),
                EnforceUserOrder = parse.GetValue(userOrder),
                CatFile = parse.GetValue(catfile),
                Detector = parse.GetValue(detector)!.Trim().ToLowerInvariant() switch
                {
                    "refined" => StarDetector.Refined,
                    "dao" => StarDetector.Dao,
                    "tweakreg" => StarDetector.TweakReg,
                    string other => throw new UsageException($"unknown --detector '{other}' (use refined, dao or tweakreg)"),
                },
                ConvWidth = parse.GetValue(convWidth),
                Threshold = parse.GetValue(threshold),
                PeakMin = parse.GetValue(peakmin),
                PeakMax = parse.GetValue(peakmax),
                DqBits = ParseBits(parse.GetValue(dqbits)!),
                FitGeometry = ParseGeometry(parse.GetValue(fitgeometry)!),
                SearchRad = parse.GetValue(searchrad),
                SearchUnits = parse.GetValue(searchunits)!.Trim().ToLowerInvariant() switch
                {
                    "arcseconds" or "arcsec" => SearchUnits.Arcseconds,
                    "pixels" or "pixel" => SearchUnits.Pixels,
                    string other => throw new UsageException($"unknown --searchunits '{other}' (use arcseconds or pixels)"),
                },
                Use2DHist = parse.GetValue(use2dhist),
                XOffset = parse.GetValue(xoffset),
                YOffset = parse.GetValue(yoffset),
                Tolerance = tol == 0 ? null : tol,
                Separation = parse.GetValue(separation),
                MinObj = parse.GetValue(minobj),
                NClip = parse.GetValue(nclip),
                Sigma = parse.GetValue(sigma),
                UpdateHeader = parse.GetValue(updatehdr),
                WcsName = parse.GetValue(wcsname)!,
                ReuseName = parse.GetValue(reusename),
                NumCores = parse.GetValue(cores),
                Log = q ? null : line => Console.Error.WriteLine(line),
            };
            try
            {
                options.Validate();
            }
            catch (TweakRegException e)
            {
                throw new UsageException(e.Message);
            }

            IReadOnlyList<string> inputs = InputFiles.Expand(parse.GetValue(files)!);
            TweakRegResult result = TweakRegRun.Run(inputs, options);
            Console.Write(TweakRegOutputs.FormatTable(result));
            if (parse.GetValue(shiftfile) is { } sf)
            {
                TweakRegOutputs.WriteShiftFile(sf, result);
            }

            if (parse.GetValue(json) is { } jf)
            {
                TweakRegOutputs.WriteJson(jf, result);
            }

            if (parse.GetValue(catalogs) is { } cf)
            {
                TweakRegOutputs.WriteCatalogs(cf, result);
            }

            if (parse.GetValue(plots) is { } pf)
            {
                IReadOnlyList<string> written = TweakRegOutputs.WritePlots(pf, result);
                options.Log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"wrote {written.Count} plots into {pf}"));
            }

            if (result.Failed.Count > 0)
            {
                string names = string.Join(", ", result.Failed.Select(f => f.FileName));
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"error: {result.Failed.Count} of {result.Images.Count} images could not be aligned ({names}): {result.Failed[0].Message}{(options.UpdateHeader ? "; no header was updated" : string.Empty)}"));
                return CommandRunner.Failure;
            }

            return 0;
        }));
        return command;
    }

    private static FitGeometry ParseGeometry(string name)
    {
        try
        {
            return FitGeometryExtensions.Parse(name);
        }
        catch (MatchingException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static DqBits ParseBits(string text)
    {
        try
        {
            return DqBits.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException("--dqbits: " + e.Message);
        }
    }

    private static FluxUnits ParseFluxUnits(string text) => text.Trim().ToLowerInvariant() switch
    {
        "mag" => FluxUnits.Mag,
        "flux" or "counts" or "cps" => FluxUnits.Flux,
        string other => throw new UsageException($"unknown --rfluxunits '{other}' (use mag or flux)"),
    };
}
