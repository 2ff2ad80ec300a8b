using System.CommandLine;
using System.Globalization;
using TweakDrizzle.Fits;
using TweakDrizzle.SourceFinder;

namespace TweakDrizzle.Cli.Commands;

/// <summary>
/// <c>tweakdrizzle find IMAGE --out CAT.csv --fwhm F (--threshold T | --nsigma K) [--mode dao|tweakreg|refined] ...</c>:
/// star detection into a catalog CSV (CONTRACTS.md "Source finding").
/// </summary>
internal static class FindCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("IMAGE") { Description = "The image: file.fits, file.fits[N] or file.fits[SCI,2] (.fits.gz allowed)." };
        var output = new Option<string>("--out") { Description = "The catalog CSV to write (0-based positions).", Required = true };
        var mode = new Option<string>("--mode")
        {
            Description = "dao: photutils 1.6 DAOStarFinder; tweakreg: TweakReg's imagefind detector; refined: matched filter, PSF-fitted centroids, artifact rejection.",
            DefaultValueFactory = _ => "dao",
        };
        mode.AcceptOnlyFromAmong("dao", "tweakreg", "refined");
        var fwhm = new Option<double>("--fwhm") { Description = "PSF FWHM in pixels (tweakreg: conv_width).", Required = true };
        var threshold = new Option<double?>("--threshold") { Description = "Absolute threshold in data units for a sky-subtracted image (tweakreg: hmin)." };
        var nsigma = new Option<double?>("--nsigma") { Description = "Threshold in units of the sky sigma; the tool estimates and subtracts the sky itself." };
        var sigmaRadius = new Option<double>("--sigma-radius") { Description = "Kernel truncation radius in sigma (tweakreg: nsigma).", DefaultValueFactory = _ => 1.5 };
        var ratio = new Option<double>("--ratio") { Description = "Minor/major axis ratio of the kernel.", DefaultValueFactory = _ => 1.0 };
        var theta = new Option<double>("--theta") { Description = "Kernel position angle, degrees counter-clockwise from +x.", DefaultValueFactory = _ => 0.0 };
        var sharplo = new Option<double>("--sharplo") { Description = "Lower sharpness bound.", DefaultValueFactory = _ => 0.2 };
        var sharphi = new Option<double>("--sharphi") { Description = "Upper sharpness bound.", DefaultValueFactory = _ => 1.0 };
        var roundlo = new Option<double>("--roundlo") { Description = "Lower roundness bound.", DefaultValueFactory = _ => -1.0 };
        var roundhi = new Option<double>("--roundhi") { Description = "Upper roundness bound.", DefaultValueFactory = _ => 1.0 };
        var excludeBorder = new Option<bool>("--exclude-border") { Description = "Drop peaks within a kernel half-size of the edge (dao)." };
        var peakmax = new Option<double?>("--peakmax") { Description = "Drop sources whose peak is not below this value." };
        var brightest = new Option<int?>("--brightest") { Description = "Keep only the N brightest sources." };
        var datamin = new Option<double?>("--datamin") { Description = "IRAF datamin (dao): lower pixels leave the convolution." };
        var datamax = new Option<double?>("--datamax") { Description = "Saturation level: dao keeps and flags saturated stars (IRAF datamax); refined keeps and flags them." };
        var minSeparation = new Option<double?>("--min-separation") { Description = "Minimum peak separation in pixels (dao: disk footprint; refined: default max(2, FWHM))." };
        var peakmin = new Option<double?>("--peakmin") { Description = "tweakreg: drop sources whose raw box maximum is not above this." };
        var fluxmin = new Option<double?>("--fluxmin") { Description = "tweakreg: drop sources whose raw box sum is below this." };
        var fluxmax = new Option<double?>("--fluxmax") { Description = "tweakreg: drop sources whose raw box sum is above this." };
        var skysigma = new Option<double?>("--skysigma") { Description = "tweakreg: sky sigma to use instead of computesig (sqrt(2|mode|))." };
        var useSharpRound = new Option<bool>("--use-sharp-round") { Description = "tweakreg: apply the sharpness/roundness cuts." };
        var dq = new Option<string?>("--dq") { Description = "Data-quality image (file.fits[DQ,1]); flagged pixels are ignored." };
        var dqbits = new Option<uint>("--dqbits") { Description = "DQ bits that count as good (TweakReg dqbits); any other set bit masks the pixel.", DefaultValueFactory = _ => 0u };
        var boxSize = new Option<int>("--box-size") { Description = "refined: background mesh size in pixels.", DefaultValueFactory = _ => 64 };
        var filterSize = new Option<int>("--filter-size") { Description = "refined: median filter over the mesh grid, in meshes.", DefaultValueFactory = _ => 3 };
        var gain = new Option<double?>("--gain") { Description = "refined: gain (e-/data unit) for the Poisson part of the flux errors." };

        var command = new Command("find", "Find stars in an image and write a catalog CSV (dao, tweakreg or refined detector).")
        {
            image, output, mode, fwhm, threshold, nsigma, sigmaRadius, ratio, theta, sharplo, sharphi, roundlo, roundhi,
            excludeBorder, peakmax, brightest, datamin, datamax, minSeparation, peakmin, fluxmin, fluxmax, skysigma,
            useSharpRound, dq, dqbits, boxSize, filterSize, gain,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            double? t = parse.GetValue(threshold);
            double? k = parse.GetValue(nsigma);
            if (t.HasValue == k.HasValue)
            {
                throw new UsageException("give exactly one of --threshold and --nsigma");
            }

            string outPath = parse.GetValue(output)!;
            FitsImage<float> img = FitsFile.ReadImage<float>(parse.GetValue(image)!);
            if (img.Shape.Length != 2)
            {
                throw new UsageException($"the image must be 2-D, it has {img.Shape.Length} axes");
            }

            bool[]? mask = null;
            if (parse.GetValue(dq) is { } dqSpec)
            {
                FitsImage<long> dqImage = FitsFile.ReadImage<long>(dqSpec);
                if (dqImage.Data.Length != img.Data.Length)
                {
                    throw new UsageException("the DQ image and the image differ in size");
                }

                long good = parse.GetValue(dqbits);
                mask = new bool[dqImage.Data.Length];
                for (int i = 0; i < mask.Length; i++)
                {
                    mask[i] = (dqImage.Data[i] & ~good) != 0;
                }
            }

            var detection = new DetectionImage(img.Data, img.Shape[0], img.Shape[1], mask);
            string m = parse.GetValue(mode)!;
            SourceCatalog cat;
            if (m == "dao")
            {
                var o = new DaoStarFinderOptions
                {
                    Fwhm = parse.GetValue(fwhm),
                    Threshold = t ?? 1.0,
                    SigmaRadius = parse.GetValue(sigmaRadius),
                    Ratio = parse.GetValue(ratio),
                    Theta = parse.GetValue(theta),
                    SharpLo = parse.GetValue(sharplo),
                    SharpHi = parse.GetValue(sharphi),
                    RoundLo = parse.GetValue(roundlo),
                    RoundHi = parse.GetValue(roundhi),
                    ExcludeBorder = parse.GetValue(excludeBorder),
                    PeakMax = parse.GetValue(peakmax),
                    Brightest = parse.GetValue(brightest),
                    DataMin = parse.GetValue(datamin),
                    DataMax = parse.GetValue(datamax),
                    MinSeparation = parse.GetValue(minSeparation) ?? 0.0,
                };
                cat = k.HasValue ? SourceFinderModes.DaoWithSky(detection, o, k.Value) : new DaoStarFinder(o).Find(detection);
            }
            else if (m == "tweakreg")
            {
                double? sky = parse.GetValue(skysigma);
                var o = new TweakRegFinderOptions
                {
                    ConvWidth = parse.GetValue(fwhm),
                    Threshold = k ?? 4.0,
                    AbsoluteThreshold = t,
                    NSigma = parse.GetValue(sigmaRadius),
                    Ratio = parse.GetValue(ratio),
                    Theta = parse.GetValue(theta),
                    PeakMin = parse.GetValue(peakmin),
                    PeakMax = parse.GetValue(peakmax),
                    FluxMin = parse.GetValue(fluxmin),
                    FluxMax = parse.GetValue(fluxmax),
                    ComputeSig = sky is null,
                    SkySigma = sky ?? 0.0,
                    UseSharpRound = parse.GetValue(useSharpRound),
                    SharpLo = parse.GetValue(sharplo),
                    SharpHi = parse.GetValue(sharphi),
                    RoundLo = parse.GetValue(roundlo),
                    RoundHi = parse.GetValue(roundhi),
                };
                cat = new TweakRegStarFinder(o).Find(detection);
            }
            else
            {
                double? sigma = null;
                double nsig = k ?? 0;
                if (t.HasValue)
                {
                    // Absolute threshold on a sky-subtracted image: express it in units of the measured sigma.
                    sigma = SkyStatistics.SigmaClipped(detection).Std;
                    nsig = t.Value / sigma.Value;
                }

                var o = new RefinedStarFinderOptions
                {
                    Fwhm = parse.GetValue(fwhm),
                    NSigma = nsig,
                    Sigma = sigma,
                    SubtractBackground = !t.HasValue,
                    Background = new BackgroundMeshOptions { BoxSize = parse.GetValue(boxSize), FilterSize = parse.GetValue(filterSize) },
                    DataMax = parse.GetValue(datamax),
                    MinSeparation = parse.GetValue(minSeparation),
                    Gain = parse.GetValue(gain),
                    Brightest = parse.GetValue(brightest),
                };
                cat = new RefinedStarFinder(o).Find(detection);
            }

            CatalogCsv.Write(cat, outPath);
            string note = cat.Message is null ? "" : " (" + cat.Message + ")";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"find: {cat.Count} sources ({m}) written to {outPath}; sky {cat.SkyLevel:G6}, sigma {cat.SkySigma:G6}{note}"));
            return 0;
        }));
        return command;
    }
}
