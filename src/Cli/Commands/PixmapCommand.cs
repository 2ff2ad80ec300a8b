using System.CommandLine;
using TweakDrizzle.Fits;
using TweakDrizzle.Resample;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Cli.Commands;

/// <summary><c>tweakdrizzle pixmap FROM TO --out PIXMAP.fits</c>: the pixel map between two WCSs.</summary>
internal static class PixmapCommand
{
    public static Command Create()
    {
        var from = new Argument<string>("FROM") { Description = "Input image or header (file.fits[SCI,1] or .hdr): its WCS and shape." };
        var to = new Argument<string>("TO") { Description = "Output frame image or header: its WCS." };
        var output = new Option<string>("--out") { Description = "Pixmap FITS (BITPIX -64, nx x ny x 2).", Required = true };
        var fast = new Option<bool>("--fast") { Description = "Exact on a coarse grid, bicubic in between; error verified below --tolerance." };
        var tolerance = new Option<double>("--tolerance") { Description = "Maximum error of --fast in output pixels.", DefaultValueFactory = _ => 1e-5 };
        Option<int?> threads = ResampleCommand.ThreadsOption();
        var command = new Command("pixmap", "Compute the pixmap from the pixels of FROM to the pixels of TO through the full distortion model.")
        {
            from, to, output, fast, tolerance, threads,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            FitsHeader hf = FitsFile.ReadHeader(parse.GetValue(from)!);
            int width = (int)hf.GetInt64("NAXIS1", 0), height = (int)hf.GetInt64("NAXIS2", 0);
            if (width < 1 || height < 1)
            {
                // Header-only files (NAXIS = 0) may give the image size in WCSNAXn or ZNAXISn.
                width = (int)hf.GetInt64("WCSNAX1", hf.GetInt64("ZNAXIS1", 0));
                height = (int)hf.GetInt64("WCSNAX2", hf.GetInt64("ZNAXIS2", 0));
            }

            if (width < 1 || height < 1)
            {
                throw new UsageException($"{parse.GetValue(from)} gives no image size (NAXIS1/NAXIS2)");
            }

            double tol = parse.GetValue(tolerance);
            if (!(tol > 0))
            {
                throw new UsageException("--tolerance must be > 0");
            }

            // FromFile also attaches HST lookup-table distortions (D2IM, NPOL) from the files' extensions.
            Pixmap map = PixmapFile.CalcPixmap(FitsWcs.FromFile(parse.GetValue(from)!), FitsWcs.FromFile(parse.GetValue(to)!), width, height, new PixmapOptions
            {
                Fast = parse.GetValue(fast),
                Tolerance = tol,
                MaxDegreeOfParallelism = ResampleCommand.CheckThreads(parse.GetValue(threads)),
            });
            PixmapFile.Write(parse.GetValue(output)!, map);
            return 0;
        }));
        return command;
    }
}
