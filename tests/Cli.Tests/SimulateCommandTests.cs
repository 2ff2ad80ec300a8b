using TweakDrizzle.Fits;
using TweakDrizzle.Simulation;

namespace TweakDrizzle.Cli.Tests;

public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("simulate-cli-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Simulate_writes_twelve_exposures_and_the_truth()
    {
        (int code, string output, string err) = CliHarness.Run("simulate", "--out", _dir, "--chip-size", "96x48", "--seed", "3", "--units", "rates", "--exptime", "100");
        Assert.True(code == 0, err);
        Assert.Contains("wrote 12 exposures", output, StringComparison.Ordinal);
        string[] files = Directory.GetFiles(_dir, "*_flc.fits");
        Assert.Equal(12, files.Length);
        using FitsFile f = FitsFile.Open(Path.Combine(_dir, "j8ny02yuq_flc.fits"));
        Assert.Equal(100.0, f.Hdus[0].Header.GetDouble("EXPTIME"));
        Assert.Equal("ELECTRONS/S", f.Find("SCI", 2)!.Header.GetString("BUNIT"));
        Assert.Equal([96L, 48L], f.Find("DQ", 1)!.Shape);
        SimulationTruth truth = SimulationTruth.Load(_dir);
        Assert.Equal(3UL, truth.Seed);
        Assert.Equal(12, truth.Exposures.Count);
    }

    [Theory]
    [InlineData("--chip-size", "12x12")]
    [InlineData("--chip-size", "big")]
    [InlineData("--exptime", "-5")]
    [InlineData("--preset", "wfc3")]
    public void Simulate_rejects_bad_options_with_one_line(string option, string value)
    {
        (int code, _, string err) = CliHarness.Run("simulate", "--out", _dir, option, value);
        Assert.NotEqual(0, code);
        Assert.Empty(Directory.GetFiles(_dir, "*.fits"));
        Assert.False(string.IsNullOrWhiteSpace(err));
    }
}
