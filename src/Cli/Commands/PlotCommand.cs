using System.CommandLine;
using TweakDrizzle.Diagnostics.Alignment;
using TweakDrizzle.Diagnostics.Images;
using TweakDrizzle.Diagnostics.Plotting;

namespace TweakDrizzle.Cli.Commands;

/// <summary><c>tweakdrizzle plot ...</c>: redraws diagnostic plots from saved results.</summary>
internal static class PlotCommand
{
    public static Command Create()
    {
        var command = new Command("plot", "Redraw diagnostic plots from saved results (alignment residuals, image previews).");
        command.Subcommands.Add(CreateAlignment());
        command.Subcommands.Add(CreatePreview());
        return command;
    }

    private static Command CreatePreview()
    {
        var image = new Argument<string>("IMAGE")
        {
            Description = "FITS image: file.fits, file.fits[N] or file.fits[SCI,2] (.fits.gz allowed).",
        };
        var output = new Option<FileInfo>("--out") { Description = "The PNG to write.", Required = true };
        var stretch = new Option<string>("--stretch") { Description = "asinh, log or linear.", DefaultValueFactory = _ => "asinh" };
        stretch.AcceptOnlyFromAmong("asinh", "log", "linear");
        var cmap = new Option<string>("--cmap") { Description = "gray, gray_r or viridis.", DefaultValueFactory = _ => "gray" };
        cmap.AcceptOnlyFromAmong("gray", "gray_r", "viridis");
        var low = new Option<double>("--low") { Description = "Percentile shown as black.", DefaultValueFactory = _ => 0.5 };
        var high = new Option<double>("--high") { Description = "Percentile shown as white.", DefaultValueFactory = _ => 99.8 };
        var vmin = new Option<double?>("--vmin") { Description = "Fixed black level in data units (instead of --low)." };
        var vmax = new Option<double?>("--vmax") { Description = "Fixed white level in data units (instead of --high)." };
        var maxSize = new Option<int>("--max-size") { Description = "Longest side in pixels; larger images are block-averaged (0: full size).", DefaultValueFactory = _ => 1024 };
        var command = new Command("preview", "Write a stretched PNG preview of a FITS image (no cairo needed).")
        {
            image, output, stretch, cmap, low, high, vmin, vmax, maxSize,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            double lo = parse.GetValue(low), hi = parse.GetValue(high);
            int size = parse.GetValue(maxSize);
            if (!(lo >= 0 && hi <= 100 && lo < hi))
            {
                throw new UsageException($"--low and --high must be percentiles with 0 <= low < high <= 100 (got {lo}, {hi}).");
            }

            if (size < 0)
            {
                throw new UsageException($"--max-size must be 0 or more (got {size}).");
            }

            var options = new PreviewOptions
            {
                Stretch = Enum.Parse<StretchKind>(parse.GetValue(stretch)!, ignoreCase: true),
                Colormap = Colormap.FromName(parse.GetValue(cmap)!),
                LowPercent = lo,
                HighPercent = hi,
                Vmin = parse.GetValue(vmin) ?? double.NaN,
                Vmax = parse.GetValue(vmax) ?? double.NaN,
                MaxSize = size,
            };
            FileInfo png = parse.GetValue(output)!;
            (int w, int h) = FitsPreview.Save(parse.GetValue(image)!, png.FullName, options);
            Console.WriteLine(png.FullName);
            Console.Error.WriteLine($"preview: {w} x {h} image, {options.Stretch.ToString().ToLowerInvariant()} stretch");
            return 0;
        }));
        return command;
    }

    private static Command CreateAlignment()
    {
        var results = new Argument<FileInfo>("RESULTS")
        {
            Description = "Saved alignment results (JSON, format \"" + AlignmentResultsFile.FormatName + "\"; see docs/diagnostics.md).",
        };
        var outDir = new Option<DirectoryInfo>("--out")
        {
            Description = "Folder for the plots (hist2d_<root>, vector_<root>, residuals_<root>).",
            DefaultValueFactory = _ => new DirectoryInfo("."),
        };
        var format = new Option<string>("--format")
        {
            Description = "png, svg or pdf.",
            DefaultValueFactory = _ => "png",
        };
        format.AcceptOnlyFromAmong("png", "svg", "pdf");
        var image = new Option<string?>("--image")
        {
            Description = "Only the image with this name (default: every image in the file).",
        };
        var command = new Command("alignment", "Draw TweakReg's plots (offset histogram, residual vectors, residuals against X and Y) for every image in a results file.")
        {
            results, outDir, format, image,
        };
        command.Aliases.Add("residuals");
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            FileInfo file = parse.GetValue(results)!;
            DirectoryInfo dir = parse.GetValue(outDir)!;
            PlotFormat fmt = Enum.Parse<PlotFormat>(parse.GetValue(format)!, ignoreCase: true);
            string? only = parse.GetValue(image);
            IReadOnlyList<AlignmentResultEntry> entries = AlignmentResultsFile.Read(file.FullName);
            if (only is not null)
            {
                entries = [.. entries.Where(e => string.Equals(e.Residuals.ImageName, only, StringComparison.Ordinal))];
                if (entries.Count == 0)
                {
                    throw new UsageException($"'{file.Name}' has no image named '{only}'.");
                }
            }

            int count = 0;
            foreach (AlignmentResultEntry entry in entries)
            {
                foreach (string path in AlignmentPlots.SaveAll(dir.FullName, entry.Residuals, entry.Histogram, fmt))
                {
                    Console.WriteLine(path);
                    count++;
                }
            }

            Console.Error.WriteLine($"plot: wrote {count} plot(s) for {entries.Count} image(s) into {dir.FullName}");
            return 0;
        }));
        return command;
    }
}
