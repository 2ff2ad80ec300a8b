using TweakDrizzle.Fits;

namespace TweakDrizzle.Cli.Tests;

public sealed class FindCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("find-cli-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A 96×96 image: sky 100, noise σ 5, three Gaussian stars; optional DQ extension.</summary>
    private string MakeImage(bool withStars = true, bool withDq = false)
    {
        const int n = 96;
        var rng = new Random(4);
        var data = new float[n * n];
        for (int i = 0; i < data.Length; i++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            data[i] = (float)(100 + (5 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2)));
        }

        if (withStars)
        {
            foreach ((double x0, double y0) in new[] { (20.3, 30.6), (60.0, 70.2), (75.7, 20.1) })
            {
                for (int y = 0; y < n; y++)
                {
                    for (int x = 0; x < n; x++)
                    {
                        double r2 = ((x - x0) * (x - x0)) + ((y - y0) * (y - y0));
                        data[(y * n) + x] += (float)(3000 * Math.Exp(-r2 / (2 * 1.06 * 1.06)));
                    }
                }
            }
        }

        string path = Path.Combine(_dir, withStars ? "stars.fits" : "empty.fits");
        var hdus = new List<FitsWriteHdu> { FitsWriteHdu.Image(data, [n, n]) };
        if (withDq)
        {
            var dq = new uint[n * n];
            dq[(30 * n) + 20] = 4;
            hdus.Add(FitsWriteHdu.Image(dq, [n, n]).Named("DQ", 1));
        }

        FitsWriter.Write(path, hdus);
        return path;
    }

    [Theory]
    [InlineData("dao")]
    [InlineData("tweakreg")]
    [InlineData("refined")]
    public void Find_writes_a_catalog_in_every_mode(string mode)
    {
        string img = MakeImage();
        string csv = Path.Combine(_dir, mode + ".csv");
        (int code, string output, string err) = CliHarness.Run("find", img, "--fwhm", "2.5", "--nsigma", "5", "--mode", mode, "--out", csv);
        Assert.True(code == 0, err);
        Assert.Contains("3 sources", output, StringComparison.Ordinal);
        string[] lines = File.ReadAllLines(csv);
        Assert.StartsWith("id,xcentroid,ycentroid,", lines[0], StringComparison.Ordinal);
        Assert.Contains("flux", lines[0], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public void Dao_columns_and_negative_values_as_their_own_token()
    {
        string img = MakeImage();
        string csv = Path.Combine(_dir, "dao.csv");
        (int code, _, string err) = CliHarness.Run("find", img, "--fwhm", "2.5", "--nsigma", "5", "--roundlo", "-0.6", "--roundhi", "0.6",
            "--exclude-border", "--brightest", "2", "--out", csv);
        Assert.True(code == 0, err);
        string[] lines = File.ReadAllLines(csv);
        Assert.Equal("id,xcentroid,ycentroid,sharpness,roundness1,roundness2,npix,sky,peak,flux,mag", lines[0]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public void Dq_flags_mask_pixels()
    {
        string img = MakeImage(withDq: true);
        string csv = Path.Combine(_dir, "dq.csv");
        (int code, _, string err) = CliHarness.Run("find", img + "[0]", "--fwhm", "2.5", "--nsigma", "5", "--mode", "refined",
            "--dq", img + "[DQ,1]", "--out", csv);
        Assert.True(code == 0, err);
        Assert.Equal(4, File.ReadAllLines(csv).Length);
    }

    [Fact]
    public void Empty_image_gives_an_empty_catalog_and_a_message()
    {
        string img = MakeImage(withStars: false);
        string csv = Path.Combine(_dir, "none.csv");
        (int code, string output, string err) = CliHarness.Run("find", img, "--fwhm", "2.5", "--threshold", "1000", "--out", csv);
        Assert.True(code == 0, err);
        Assert.Contains("0 sources", output, StringComparison.Ordinal);
        Assert.Single(File.ReadAllLines(csv));
    }

    [Fact]
    public void Threshold_and_nsigma_are_mutually_exclusive()
    {
        string img = MakeImage();
        string csv = Path.Combine(_dir, "x.csv");
        (int both, _, string err) = CliHarness.Run("find", img, "--fwhm", "2.5", "--threshold", "10", "--nsigma", "5", "--out", csv);
        Assert.Equal(2, both);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
        (int none, _, _) = CliHarness.Run("find", img, "--fwhm", "2.5", "--out", csv);
        Assert.NotEqual(0, none);
        Assert.False(File.Exists(csv));
    }

    [Fact]
    public void Bad_input_is_one_error_line_and_no_output()
    {
        string csv = Path.Combine(_dir, "bad.csv");
        string notFits = Path.Combine(_dir, "junk.fits");
        File.WriteAllText(notFits, "this is not FITS");
        (int code, _, string err) = CliHarness.Run("find", notFits, "--fwhm", "2.5", "--nsigma", "5", "--out", csv);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(csv));

        string img = MakeImage();
        (int code2, _, string err2) = CliHarness.Run("find", img, "--fwhm", "-1", "--nsigma", "5", "--out", csv);
        Assert.Equal(1, code2);
        Assert.Contains("fwhm", err2, StringComparison.Ordinal);
        Assert.False(File.Exists(csv));
    }
}
