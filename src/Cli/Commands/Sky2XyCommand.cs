using System.CommandLine;

namespace TweakDrizzle.Cli.Commands;

/// <summary><c>tweakdrizzle sky2xy IMAGE_OR_HEADER --in RADEC.csv --out XY.csv [--origin 0|1]</c>: world → pixel.</summary>
internal static class Sky2XyCommand
{
    /// <summary>The command; it shares its options and CSV handling with <see cref="Xy2SkyCommand"/>.</summary>
    public static Command Create() => Xy2SkyCommand.CreateInverse();
}
