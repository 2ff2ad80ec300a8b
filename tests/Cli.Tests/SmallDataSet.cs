using TweakDrizzle.Simulation;

namespace TweakDrizzle.Cli.Tests;

/// <summary>Tiny simulated visits for the command tests: up to three of the training set's sub-pixel dithers.</summary>
internal static class SmallDataSet
{
    /// <summary>Simulation options of one F606W visit of <paramref name="exposures"/> exposures named prefix0Nq.</summary>
    public static SimulationOptions Options(string prefix, int exposures, ulong seed, int width = 192, int height = 96)
    {
        var detector = new DetectorModel { ChipWidth = width, ChipHeight = height, GapPixels = 8, DistortionPixels = 1.0 };
        (double, double)[] offsets = [(0.0, 0.0), (0.0665, 0.1886), (0.1827, 0.0813)];
        var visit = new VisitPlan
        {
            Name = "j8ny01",
            Filter = FilterSpec.F606W(),
            Exposures = Enumerable.Range(0, exposures).Select(i => new DitherPosition($"{prefix}0{i}q", 300, offsets[i].Item1, offsets[i].Item2)).ToArray(),
        };
        return new SimulationOptions { Seed = seed, Detector = detector, Visits = [visit], MaxDegreeOfParallelism = 2, MaxPointingErrorArcsec = 0 };
    }

    /// <summary>Writes the <c>_flc.fits</c> files of a simulation into a folder (no truth masks or source lists).</summary>
    public static void Write(SimulationOptions options, string folder) =>
        DataSetWriter.Write(new Simulator(options), folder, new DataSetWriteOptions { CosmicRayMasks = false, SourceLists = false });
}
