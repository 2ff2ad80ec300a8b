using System.CommandLine;

namespace TweakDrizzle.Cli.Commands;

/// <summary><c>tweakdrizzle demo</c>: the main job on built-in simulated data.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var outDir = new Option<DirectoryInfo>("--out")
        {
            Description = "Folder for the products, plots and report.",
            DefaultValueFactory = _ => new DirectoryInfo("demo-out"),
        };
        var command = new Command("demo", "Simulate a dithered two-filter data set, align it and drizzle it.") { outDir };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            DirectoryInfo dir = parse.GetValue(outDir)!;
            Console.WriteLine($"tweakdrizzle demo: output folder {dir.FullName}");
            Console.WriteLine("The simulated pipeline is being built: this release has the command-line skeleton only.");
            return 0;
        }));
        return command;
    }
}
