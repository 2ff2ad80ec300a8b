using System.CommandLine;
using TweakDrizzle.Cli.Commands;

namespace TweakDrizzle.Cli;

/// <summary>Entry point of the <c>tweakdrizzle</c> command-line tool.</summary>
public static class Program
{
    /// <summary>Builds the command tree, runs the command named by <paramref name="args"/> and returns its exit code.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <returns>0 on success, 1 when the work failed, 2 for a usage error.</returns>
    public static int Main(string[] args)
    {
        RootCommand root = BuildRoot();
        // @lists are the pipeline's own (AstroDrizzle/TweakReg semantics: names relative to the list file),
        // so System.CommandLine's response-file expansion is switched off.
        ParseResult parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    /// <summary>The root command with every sub-command registered; one line per command keeps merges simple.</summary>
    internal static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "tweakdrizzle: align dithered telescope exposures (TweakReg) and combine them with drizzle (AstroDrizzle).");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(FitsInfoCommand.Create());
        root.Subcommands.Add(FitsCopyCommand.Create());
        root.Subcommands.Add(MatchCommand.Create());
        root.Subcommands.Add(PlotCommand.Create());
        root.Subcommands.Add(Xy2SkyCommand.Create());
        root.Subcommands.Add(Sky2XyCommand.Create());
        root.Subcommands.Add(ResampleCommand.Create());
        root.Subcommands.Add(BlotCommand.Create());
        root.Subcommands.Add(PixmapCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(FindCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(AstroDrizzleCommand.Create());
        root.Subcommands.Add(AdviseCommand.Create());
        root.Subcommands.Add(TweakRegCommand.Create());
        return root;
    }
}
