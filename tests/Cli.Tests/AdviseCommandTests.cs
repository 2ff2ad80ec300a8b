namespace TweakDrizzle.Cli.Tests;

public sealed class AdviseCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tdcli-adv-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    private void WriteThreeDithers() => SmallDataSet.Write(SmallDataSet.Options("adv", 3, seed: 5, width: 256, height: 160), _dir);

    [Fact]
    public void Prints_the_trials_with_point_source_errors_and_a_recommendation_that_honours_the_bound()
    {
        WriteThreeDithers();
        string files = Path.Combine(_dir, "adv*_flc.fits");
        (int code, string output, string err) = CliHarness.Run("advise", files, "--final-bits", "256", "--num-cores", "1");
        Assert.True(code == 0, err);
        Assert.Contains("3 exposures", output, StringComparison.Ordinal);
        Assert.Contains("test stars of FWHM 2 native pixels", output, StringComparison.Ordinal);
        Assert.Contains("recommended: --final-scale", output, StringComparison.Ordinal);

        (code, output, err) = CliHarness.Run("advise", files, "--final-bits", "256", "--num-cores", "1", "--max-phot-error", "0.005");
        Assert.True(code == 0, err);
        Assert.Contains("point sources within 0.5%", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--psf-fwhm", "0")]
    [InlineData("--max-phot-error", "-0.01")]
    public void Bad_trial_settings_give_a_one_line_error(string option, string value)
    {
        WriteThreeDithers();
        (int code, _, string err) = CliHarness.Run("advise", Path.Combine(_dir, "adv*_flc.fits"), option, value);
        Assert.NotEqual(0, code);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }
}
