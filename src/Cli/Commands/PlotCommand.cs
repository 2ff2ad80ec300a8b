using System.CommandLine;
using TweakDrizzle.Diagnostics.Alignment;
using TweakDrizzle.Diagnostics.Plotting;

namespace TweakDrizzle.Cli.Commands;

/// <summary><c>tweakdrizzle plot ...</c>: redraws diagnostic plots from saved results.</summary>
internal static class PlotCommand
{
    public static Command Create()
    {
        var command = new Command("plot", "Redraw diagnostic plots from saved results (alignment residuals, image previews).");
        command.Subcommands.Add(CreateAlignment());
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
