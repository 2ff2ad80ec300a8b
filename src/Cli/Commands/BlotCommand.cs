using System.CommandLine;
using TweakDrizzle.Fits;
using TweakDrizzle.Resample;

namespace TweakDrizzle.Cli.Commands;

/// <summary><c>tweakdrizzle blot CASE.json --out OUT.fits</c>: runs a blot case manifest (CONTRACTS.md).</summary>
internal static class BlotCommand
{
    public static Command Create()
    {
        var manifest = new Argument<string>("CASE") { Description = "Blot case manifest (JSON: data, pixmap, interp, iscale, fillval, sinscl)." };
        var output = new Option<string>("--out") { Description = "Output FITS: one float32 image of the pixmap's shape.", Required = true };
        Option<int?> threads = ResampleCommand.ThreadsOption();
        var command = new Command("blot", "Interpolate an image back onto another frame through a pixmap.") { manifest, output, threads };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            (float[] image, int width, int height, _) = ResampleCase.RunBlot(parse.GetValue(manifest)!, ResampleCommand.CheckThreads(parse.GetValue(threads)));
            FitsWriter.Write(parse.GetValue(output)!, [FitsWriteHdu.Image(image, [width, height])]);
            return 0;
        }));
        return command;
    }
}
