using TweakDrizzle.Diagnostics.Alignment;
using TweakDrizzle.Diagnostics.Rendering;

namespace TweakDrizzle.Cli.Tests;

public sealed class PlotCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tdplotcli_" + Guid.NewGuid().ToString("N"));

    public PlotCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    private string WriteResults()
    {
        var rng = new Random(1);
        double[] x = [.. Enumerable.Range(0, 50).Select(_ => rng.NextDouble() * 1000)];
        double[] y = [.. Enumerable.Range(0, 50).Select(_ => rng.NextDouble() * 1000)];
        double[] d = [.. Enumerable.Range(0, 50).Select(_ => (rng.NextDouble() - 0.5) * 0.1)];
        var residuals = new AlignmentResiduals { ImageName = "a_flc.fits", FitGeometry = "shift", X = x, Y = y, Dx = d, Dy = [.. d.Reverse()] };
        OffsetHistogram h = OffsetHistogram.ForSearchRadius("a_flc.fits", [.. Enumerable.Range(0, 9).Select(i => (double)i)], 1) with { PeakX = 0.2, PeakY = 0.1 };
        string path = Path.Combine(_dir, "results.json");
        AlignmentResultsFile.Write(path, [new AlignmentResultEntry(residuals, h), new AlignmentResultEntry(residuals with { ImageName = "b_flc.fits" }, null)]);
        return path;
    }

    [Fact]
    public void Plot_alignment_draws_tweakregs_three_plots_per_image()
    {
        string results = WriteResults();
        string outDir = Path.Combine(_dir, "plots");
        (int code, string output, string err) = CliHarness.Run("plot", "alignment", results, "--out", outDir);
        if (!CairoLibrary.IsAvailable)
        {
            // Without libcairo2 the command must say what to install, in one line, and write nothing.
            Assert.Equal(1, code);
            Assert.Equal("error: " + CairoNotFoundException.Hint, err.Trim());
            Assert.False(Directory.Exists(outDir) && Directory.GetFiles(outDir).Length > 0);
            return;
        }

        Assert.True(code == 0, err);
        string[] files = [.. Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.Equal(["hist2d_a_flc.png", "residuals_a_flc.png", "residuals_b_flc.png", "vector_a_flc.png", "vector_b_flc.png"], files);
        Assert.Equal(5, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        (code, _, err) = CliHarness.Run("plot", "residuals", results, "--out", outDir, "--format", "svg", "--image", "b_flc.fits");
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(outDir, "vector_b_flc.svg")));
        Assert.False(File.Exists(Path.Combine(outDir, "vector_a_flc.svg")));
    }

    [Fact]
    public void Bad_inputs_give_one_error_line()
    {
        (int code, _, string err) = CliHarness.Run("plot", "alignment", Path.Combine(_dir, "missing.json"), "--out", _dir);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        string bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, "{\"images\": [{\"name\": \"a\"}]}");
        (code, _, err) = CliHarness.Run("plot", "alignment", bad, "--out", _dir);
        Assert.Equal(1, code);
        Assert.Contains("needs a list \"x\"", err, StringComparison.Ordinal);

        (code, _, err) = CliHarness.Run("plot", "alignment", WriteResults(), "--image", "nope.fits", "--out", _dir);
        Assert.Equal(2, code);
        Assert.Contains("no image named 'nope.fits'", err, StringComparison.Ordinal);

        (code, _, _) = CliHarness.Run("plot", "alignment", WriteResults(), "--format", "jpg");
        Assert.NotEqual(0, code);
    }
}

public sealed class PlotPreviewTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tdprev_" + Guid.NewGuid().ToString("N"));

    public PlotPreviewTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Preview_writes_a_png_of_the_fits_image_without_cairo()
    {
        const int W = 64, H = 48;
        float[] data = [.. Enumerable.Range(0, W * H).Select(i => (float)(i % W))];
        string fits = Path.Combine(_dir, "img.fits");
        TweakDrizzle.Fits.FitsWriter.Write(fits, new TweakDrizzle.Fits.FitsImage<float>(data, W, H));
        string png = Path.Combine(_dir, "p.png");
        (int code, _, string err) = CliHarness.Run("plot", "preview", fits, "--out", png, "--stretch", "linear", "--low", "0", "--high", "100");
        Assert.True(code == 0, err);
        byte[] bytes = File.ReadAllBytes(png);
        Assert.Equal(0x89, bytes[0]);
        Assert.Equal(W, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(H, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));

        (code, _, err) = CliHarness.Run("plot", "preview", Path.Combine(_dir, "none.fits"), "--out", png);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
        (code, _, _) = CliHarness.Run("plot", "preview", fits, "--out", png, "--low", "50", "--high", "10");
        Assert.Equal(2, code);
    }
}
