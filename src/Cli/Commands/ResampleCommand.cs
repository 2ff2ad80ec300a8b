using System.CommandLine;
using System.Globalization;
using TweakDrizzle.Resample;

namespace TweakDrizzle.Cli.Commands;

/// <summary><c>tweakdrizzle resample CASE.json --out OUT.fits</c>: runs a drizzle case manifest (CONTRACTS.md).</summary>
internal static class ResampleCommand
{
    public static Command Create()
    {
        var manifest = new Argument<string>("CASE") { Description = "Drizzle case manifest (JSON, see CONTRACTS.md); paths in it are relative to it." };
        var output = new Option<string>("--out") { Description = "Output FITS: primary EXPTIME, SCI, WHT, CTX, VAR n, DQ.", Required = true };
        var quiet = new Option<bool>("--quiet") { Description = "Do not print kernel_seconds on standard error." };
        Option<int?> threads = ThreadsOption();
        var command = new Command("resample", "Drizzle the inputs of a case manifest onto one output frame.") { manifest, output, quiet, threads };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            DrizzleCaseResult r = ResampleCase.RunDrizzle(parse.GetValue(manifest)!, CheckThreads(parse.GetValue(threads)));
            ResampleCase.WriteDrizzleOutput(r.Drizzle, parse.GetValue(output)!);
            if (!parse.GetValue(quiet))
            {
                Console.Error.WriteLine("kernel_seconds: " + r.KernelSeconds.ToString("0.######", CultureInfo.InvariantCulture));
            }

            return 0;
        }));
        return command;
    }

    /// <summary>The shared <c>--threads N</c> option.</summary>
    internal static Option<int?> ThreadsOption() =>
        new("--threads") { Description = "Maximum threads (default: all cores). Results are identical for any value." };

    /// <summary>Rejects a thread count below 1 as a usage error.</summary>
    internal static int? CheckThreads(int? threads) =>
        threads is < 1 ? throw new UsageException("--threads must be at least 1") : threads;
}
