namespace TweakDrizzle.Cli.Tests;

public sealed class AstroDrizzleSkyMatchCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tdcli-skym-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    private void Simulate() => SmallDataSet.Write(SmallDataSet.Options("skm", 3, seed: 5), _dir);

    [Theory]
    [InlineData("match")]
    [InlineData("globalmin+match")]
    public void Skymethod_match_options_run_and_are_logged(string method)
    {
        Simulate();
        (int code, _, string err) = CliHarness.Run("astrodrizzle", Path.Combine(_dir, "skm*_flc.fits"), "--output", "m", "--out-dir", _dir,
            "--final-scale", "0.04", "--final-pixfrac", "0.6", "--skymethod", method, "--final-hole-pixfrac", "1.5", "--driz-cr-tail", "false", "--num-cores", "2");
        Assert.True(code == 0, err);
        string log = File.ReadAllText(Path.Combine(_dir, "m_astrodrizzle.log"));
        Assert.Contains("sky match: 3 overlaps, 1 group(s)", log, StringComparison.Ordinal);
        Assert.Contains("holes filled from pixfrac 1.5 drops", log, StringComparison.Ordinal);
        Assert.Contains(method.Replace("+", string.Empty, StringComparison.Ordinal), log, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Unknown_skymethod_is_a_usage_error_naming_the_choices()
    {
        Directory.CreateDirectory(_dir);
        string file = Path.Combine(_dir, "x.fits");
        File.WriteAllText(file, "not read");
        (int code, _, string err) = CliHarness.Run("astrodrizzle", file, "--output", "o", "--out-dir", _dir, "--skymethod", "median");
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
        Assert.Contains("globalmin+match", err, StringComparison.Ordinal);
    }
}
