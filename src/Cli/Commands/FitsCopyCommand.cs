using System.CommandLine;
using TweakDrizzle.Fits;

namespace TweakDrizzle.Cli.Commands;

/// <summary><c>tweakdrizzle fitscopy IN OUT</c>: checks a FITS file and copies every HDU bit for bit to an uncompressed file.</summary>
internal static class FitsCopyCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("IN") { Description = "The FITS file to copy (.fits or .fits.gz)." };
        var output = new Argument<string>("OUT") { Description = "The uncompressed copy (written atomically)." };
        var checksum = new Option<bool>("--checksum") { Description = "Add CHECKSUM and DATASUM cards to every HDU of the copy." };
        var command = new Command("fitscopy", "Check a FITS file and copy all its HDUs (same headers, BITPIX and data) to an uncompressed file.")
        {
            input, output, checksum,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string from = FitsSpec.Parse(parse.GetValue(input)!).Path;
            string to = parse.GetValue(output)!;
            FitsWriter.Copy(from, to, new FitsWriteOptions { Checksum = parse.GetValue(checksum) });
            return 0;
        }));
        return command;
    }
}
