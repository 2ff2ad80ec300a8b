using System.CommandLine;
using TweakDrizzle.Fits;

namespace TweakDrizzle.Cli.Commands;

/// <summary><c>tweakdrizzle fitsinfo FILE [--json]</c>: checks a FITS file and lists its HDUs and headers.</summary>
internal static class FitsInfoCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A FITS file (.fits or .fits.gz)." };
        var json = new Option<bool>("--json") { Description = "Print a JSON list with one object per HDU (index, extname, extver, bitpix, shape, header)." };
        var command = new Command("fitsinfo", "Check a FITS file and list its HDUs; with --json print every header card.") { file, json };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string path = FitsSpec.Parse(parse.GetValue(file)!).Path;
            using FitsFile fits = FitsFile.Open(path);
            Console.Out.Write(parse.GetValue(json) ? FitsInfo.ToJson(fits) + "\n" : FitsInfo.ToText(fits));
            return 0;
        }));
        return command;
    }
}
