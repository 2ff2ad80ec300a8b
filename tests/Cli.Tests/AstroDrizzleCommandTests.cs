using TweakDrizzle.Cli.Commands;
using TweakDrizzle.Fits;
using TweakDrizzle.Simulation;

namespace TweakDrizzle.Cli.Tests;

public sealed class AstroDrizzleCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tdcli-adz-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    private static SimulationOptions Tiny(int n) => SmallDataSet.Options("cli", n, seed: 3);

    [Fact]
    public void Final_err_adds_an_err_extension_after_ctx()
    {
        SmallDataSet.Write(Tiny(3), _dir);
        (int code, _, string err) = CliHarness.Run("astrodrizzle", Path.Combine(_dir, "cli*_flc.fits"), "--output", "e", "--out-dir", _dir,
            "--final-wcs", "--final-scale", "0.04", "--final-rot", "0", "--final-err", "--num-cores", "2", "--quiet");
        Assert.True(code == 0, err);
        using FitsFile f = FitsFile.Open(Path.Combine(_dir, "e_drc.fits"));
        Assert.Equal(["SCI", "WHT", "CTX", "ERR"], f.Hdus.Skip(1).Select(h => h.ExtName!.Trim()).ToArray());
        float[] e = f.Find("ERR")!.ReadImage<float>().Data, w = f.Find("WHT")!.ReadImage<float>().Data;
        Assert.Contains(e, v => v > 0);
        Assert.All(Enumerable.Range(0, e.Length).Where(k => w[k] > 0), k => Assert.True(e[k] > 0 && float.IsFinite(e[k])));
    }

    [Fact]
    public void Drizzles_flc_files_given_by_wildcard_into_a_drc_product()
    {
        SmallDataSet.Write(Tiny(3), _dir);
        (int code, string output, string err) = CliHarness.Run("astrodrizzle", Path.Combine(_dir, "cli*_flc.fits"), "--output", "f606w", "--out-dir", _dir,
            "--final-wcs", "--final-scale", "0.04", "--final-rot", "0", "--final-pixfrac", "0.8", "--driz-cr", "--num-cores", "2", "--quiet");
        Assert.True(code == 0, err);
        string product = Path.Combine(_dir, "f606w_drc.fits");
        Assert.Equal(product, output.Trim());
        using FitsFile f = FitsFile.Open(product);
        Assert.Equal(["SCI", "WHT", "CTX"], f.Hdus.Skip(1).Select(h => h.ExtName!.Trim()).ToArray());
        Assert.Equal(6, f.Hdus[0].Header.GetInt64("NDRIZIM"));
        Assert.Equal(0.04, f.Hdus[0].Header.GetDouble("D002SCAL"), 9);
        Assert.True(File.Exists(Path.Combine(_dir, "f606w_astrodrizzle.log")));
    }

    [Fact]
    public void Plots_option_writes_the_quality_plots_and_a_qa_report()
    {
        SmallDataSet.Write(Tiny(3), _dir);
        string plots = Path.Combine(_dir, "qa");
        (int code, _, string err) = CliHarness.Run("astrodrizzle", Path.Combine(_dir, "cli*_flc.fits"), "--output", "f606w", "--out-dir", _dir,
            "--final-scale", "0.04", "--final-pixfrac", "0.8", "--plots", plots, "--quiet");
        Assert.True(code == 0, err);
        string json = File.ReadAllText(Path.Combine(plots, "f606w_drc_qa.json"));
        Assert.Contains("f606w_drc.fits", json, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(plots, "f606w_drc_qa.html")));
        if (Diagnostics.Rendering.CairoLibrary.IsAvailable)
        {
            foreach (string name in new[] { "preview", "holes", "dither" })
            {
                byte[] png = File.ReadAllBytes(Path.Combine(plots, $"f606w_drc_{name}.png"));
                Assert.True(png.Length > 1000 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G', name);
            }
        }
    }

    [Theory]
    [InlineData("--combine-type", "mode", "combine-type")]
    [InlineData("--driz-cr-snr", "x y", "driz-cr-snr")]
    [InlineData("--final-wht-type", "WHT", "final-wht-type")]
    public void Bad_option_values_are_usage_errors(string option, string value, string expected)
    {
        Directory.CreateDirectory(_dir);
        string file = Path.Combine(_dir, "x.fits");
        File.WriteAllText(file, "not read");
        (int code, _, string err) = CliHarness.Run("astrodrizzle", file, "--output", "o", "--out-dir", _dir, option, value);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
        Assert.Contains(expected, err, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_input_and_oversized_grid_fail_with_one_line_and_no_product()
    {
        (int code, _, string err) = CliHarness.Run("astrodrizzle", Path.Combine(_dir, "none_flc.fits"), "--output", "o", "--out-dir", _dir);
        Assert.Equal(1, code);
        Assert.Contains("does not exist", err, StringComparison.Ordinal);
        SmallDataSet.Write(Tiny(1), _dir);
        (code, _, err) = CliHarness.Run("astrodrizzle", Path.Combine(_dir, "cli00q_flc.fits"), "--output", "big", "--out-dir", _dir, "--final-scale", "0.00001", "--quiet");
        Assert.Equal(1, code);
        Assert.Contains("limit", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(_dir, "big_drc.fits")));
    }

    [Fact]
    public void Demo_runner_on_a_tiny_set_reports_truth_figures()
    {
        var lines = new List<string>();
        SimulationOptions o = Tiny(3) with { MaxPointingErrorArcsec = 0.3 };
        // The tiny field holds only 18 catalog stars, so tweakreg's minobj is lowered from its default of 15.
        DemoSummary s = DemoRunner.Run(_dir, o, lines.Add, 2, minObj: 6);
        Assert.Equal(3, s.Exposures);
        Assert.True(s.AlignedExposures == 3, string.Join("\n", lines));
        DemoFilterFigures f = Assert.Single(s.Filters);
        Assert.Equal(DemoRunner.Scale, f.ScaleArcsec, 9);
        Assert.Equal(0.0, f.OrientationDeg, 9);
        Assert.True(File.Exists(Path.Combine(_dir, "qa_report.html")));
        Assert.True(File.Exists(f.Product));
        Assert.True(f.CosmicRayPixelsFlagged > 0);
        Assert.True(File.Exists(Path.Combine(_dir, "shifts.txt")));
        Assert.Contains(lines, l => l.Contains("headers updated", StringComparison.Ordinal));
        Assert.Equal("TWEAK", FitsFile.ReadHeader(Path.Combine(_dir, "data", "cli01q_flc.fits") + "[SCI,1]").GetString("WCSNAME").Trim());

        // The console summary: a header naming the filter, then one row per quality bar with its mark and goal.
        IReadOnlyList<string> table = DemoRunner.FormatTable(s);
        Assert.Contains(f.Filter, table[0], StringComparison.Ordinal);
        Assert.Contains(table, l => l.Contains("star positions vs truth", StringComparison.Ordinal) && l.Contains("≤ 5 mas", StringComparison.Ordinal));
        Assert.Contains(table, l => l.Contains("output scale", StringComparison.Ordinal) && l.Contains('✓', StringComparison.Ordinal));
        Assert.All(table.Skip(1), l => Assert.Matches("[✓✗–] ", l));
    }
}
