using System.Globalization;
using TweakDrizzle.Fits;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Cli.Tests;

public sealed class TweakRegCommandTests : IDisposable
{
    private const int W = 240;
    private const int H = 160;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tdz-cli-tweakreg-" + Guid.NewGuid().ToString("N"));

    public TweakRegCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        foreach (string f in Directory.GetFiles(_dir, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(f, FileAttributes.Normal);
        }

        Directory.Delete(_dir, true);
    }

    private static FitsWcs ChipWcs(int chip, double dx, double dy) =>
        FitsWcs.CreateTan(80.0 + (dx / 3600.0), -30.0 + (dy / 3600.0), (W / 2.0) + 0.5, H - (chip * (H + 10.0)), 0.05, 12.0);

    /// <summary>A two-chip exposure whose stars sit at pointing offset (dx, dy) arcsec while its header says (0, 0).</summary>
    private string Write(string name, double dx, double dy, int nstars = 50, bool withWcs = true, int starSeed = 3)
    {
        var rng = new Random(name.Length);
        var stars = new Random(starSeed);
        var sky = new List<(double Ra, double Dec, double F)>();
        FitsWcs layout = ChipWcs(0, 0, 0);
        for (int i = 0; i < nstars; i++)
        {
            (double ra, double dec) = layout.PixelToWorld(8 + (stars.NextDouble() * (W - 16)), 8 + (stars.NextDouble() * ((2 * H) - 6)));
            sky.Add((ra, dec, 4000 + (stars.NextDouble() * 20000)));
        }

        var hdus = new List<FitsWriteHdu>();
        var primary = new FitsHeader();
        primary.Set("EXPTIME", 100.0, "s");
        hdus.Add(FitsWriteHdu.Empty(primary));
        double s = 2.2 / 2.3548;
        for (int c = 0; c < 2; c++)
        {
            FitsWcs truth = ChipWcs(c, dx, dy);
            var data = new float[W * H];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = (float)(50 + (7 * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())));
            }

            foreach ((double ra, double dec, double f) in sky)
            {
                (double sx, double sy) = truth.WorldToPixel(ra, dec);
                for (int y = Math.Max(0, (int)sy - 6); y <= Math.Min(H - 1, (int)sy + 6); y++)
                {
                    for (int x = Math.Max(0, (int)sx - 6); x <= Math.Min(W - 1, (int)sx + 6); x++)
                    {
                        double r2 = ((x - sx) * (x - sx)) + ((y - sy) * (y - sy));
                        data[(y * W) + x] += (float)(f / (2 * Math.PI * s * s) * Math.Exp(-r2 / (2 * s * s)));
                    }
                }
            }

            var h = new FitsHeader();
            if (withWcs)
            {
                ChipWcs(c, 0, 0).WriteTo(h);
            }

            hdus.Add(FitsWriteHdu.Image(data, [W, H], h).Named("SCI", c + 1));
        }

        string path = Path.Combine(_dir, name);
        FitsWriter.Write(path, hdus);
        return path;
    }

    [Fact]
    public void Tweakreg_prints_the_table_writes_the_shiftfile_and_json_and_updates_every_header()
    {
        string a = Write("a_flc.fits", 0, 0);
        string b = Write("b_flc.fits", 0.25, -0.15);
        string shifts = Path.Combine(_dir, "shifts.txt");
        string json = Path.Combine(_dir, "run.json");
        (int code, string output, string err) = CliHarness.Run("tweakreg", Path.Combine(_dir, "*_flc.fits"), "--conv-width", "4.4", "--updatehdr",
            "--shiftfile", shifts, "--json", json, "--plots", Path.Combine(_dir, "plots"));
        Assert.True(code == 0, err);
        if (TweakDrizzle.Diagnostics.Rendering.CairoLibrary.IsAvailable)
        {
            foreach (string kind in new[] { "hist2d", "vector", "residuals" })
            {
                Assert.True(File.Exists(Path.Combine(_dir, "plots", kind + "_b_flc.png")), kind);
            }

            Assert.False(File.Exists(Path.Combine(_dir, "plots", "vector_a_flc.png")));
        }

        Assert.Contains("XSH", output, StringComparison.Ordinal);
        Assert.Contains("b_flc.fits", output, StringComparison.Ordinal);
        Assert.Contains("finding sources", err, StringComparison.Ordinal);
        string[] rows = File.ReadAllLines(shifts);
        Assert.Equal("# refimage: shifts_wcs.fits[wcs]", rows[1]);
        Assert.StartsWith("a_flc.fits    0.000000  0.000000", rows[4], StringComparison.Ordinal);
        string[] f = rows[5].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("b_flc.fits", f[0]);

        // The stars of b sit (0.25 cos δ, -0.15) arcsec = 0.263" = 5.27 px from where its header says.
        double xsh = double.Parse(f[1], CultureInfo.InvariantCulture), ysh = double.Parse(f[2], CultureInfo.InvariantCulture);
        Assert.InRange(Math.Sqrt((xsh * xsh) + (ysh * ysh)), 5.1, 5.4);
        Assert.True(File.Exists(Path.Combine(_dir, "shifts_wcs.fits")));
        Assert.Contains("\"headers_updated\": true", File.ReadAllText(json), StringComparison.Ordinal);
        foreach (string p in new[] { a, b })
        {
            using FitsFile file = FitsFile.Open(p);
            for (int e = 1; e <= 2; e++)
            {
                FitsHeader h = file.Find("SCI", e)!.Header;
                Assert.Equal("TWEAK", FitsWcs.FromHeader(h).Name);
                Assert.Equal('A', FitsWcs.FindByName(h, "PRE-TWEAKREG"));
            }
        }

        // The corrected WCS of b puts its chips where the stars really are.
        using (FitsFile file = FitsFile.Open(b))
        {
            FitsWcs corrected = FitsWcs.FromHeader(file.Find("SCI", 2)!.Header);
            (double ra1, double dec1) = corrected.PixelToWorld(100, 80);
            (double ra2, double dec2) = ChipWcs(1, 0.25, -0.15).PixelToWorld(100, 80);
            double mas = Math.Sqrt(Math.Pow((ra1 - ra2) * Math.Cos(dec1 * Math.PI / 180), 2) + Math.Pow(dec1 - dec2, 2)) * 3.6e6;
            Assert.True(mas < 5, $"{mas:0.00} mas");
        }

        // Running it again without --reusename is refused: one error line, files untouched.
        byte[] before = File.ReadAllBytes(b);
        (int code2, _, string err2) = CliHarness.Run("tweakreg", a, b, "--conv-width", "4.4", "--updatehdr", "--quiet");
        Assert.Equal(1, code2);
        Assert.StartsWith("error: ", err2, StringComparison.Ordinal);
        Assert.Contains("--reusename", err2, StringComparison.Ordinal);
        Assert.Single(err2.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(before, File.ReadAllBytes(b));
    }

    [Fact]
    public void Without_updatehdr_inputs_are_not_modified_and_a_list_file_works()
    {
        string a = Write("a_flc.fits", 0, 0);
        string b = Write("b_flc.fits", -0.2, 0.1);
        string list = Path.Combine(_dir, "inputs.lst");
        File.WriteAllLines(list, ["# inputs", a, b]);
        byte[] ba = File.ReadAllBytes(a), bb = File.ReadAllBytes(b);
        (int code, string output, string err) = CliHarness.Run("tweakreg", "@" + list, "--conv-width", "4.4", "--fitgeometry", "shift", "--quiet");
        Assert.True(code == 0, err);
        Assert.Equal(string.Empty, err);
        Assert.Contains("reference", output, StringComparison.Ordinal);
        Assert.Equal(ba, File.ReadAllBytes(a));
        Assert.Equal(bb, File.ReadAllBytes(b));
    }

    [Fact]
    public void Bad_inputs_give_one_error_line()
    {
        string a = Write("a_flc.fits", 0, 0);
        string none = Write("none_flc.fits", 0, 0, nstars: 0);
        string nowcs = Write("nowcs_flc.fits", 0, 0, withWcs: false);
        foreach ((string file, string expect) in new[] { (none, "none_flc.fits: no usable stars"), (nowcs, "nowcs_flc.fits") })
        {
            (int code, string output, string err) = CliHarness.Run("tweakreg", a, file, "--conv-width", "4.4", "--updatehdr", "--quiet");
            Assert.Equal(1, code);
            Assert.Equal(string.Empty, output);
            Assert.StartsWith("error: ", err, StringComparison.Ordinal);
            Assert.Contains(expect, err, StringComparison.Ordinal);
            Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        (int c3, _, string e3) = CliHarness.Run("tweakreg", a, "--fitgeometry", "affine");
        Assert.Equal(2, c3);
        Assert.StartsWith("error: ", e3, StringComparison.Ordinal);
        (int c4, _, string e4) = CliHarness.Run("tweakreg", Path.Combine(_dir, "missing.fits"));
        Assert.Equal(1, c4);
        Assert.Contains("missing.fits", e4, StringComparison.Ordinal);
    }

    [Fact]
    public void Unrelated_images_fail_with_nan_rows_and_no_header_update()
    {
        string a = Write("a_flc.fits", 0, 0);
        string b = Write("b_flc.fits", 0, 0, starSeed: 77);
        byte[] bb = File.ReadAllBytes(b);
        string shifts = Path.Combine(_dir, "s.txt");
        (int code, string output, string err) = CliHarness.Run("tweakreg", a, b, "--conv-width", "4.4", "--updatehdr", "--shiftfile", shifts, "--quiet");
        Assert.Equal(1, code);
        Assert.Contains("FAILED", output, StringComparison.Ordinal);
        Assert.Contains("could not be aligned (b_flc.fits)", err, StringComparison.Ordinal);
        Assert.Contains("no header was updated", err, StringComparison.Ordinal);
        Assert.EndsWith("nan  nan    nan     nan   nan  nan", File.ReadAllLines(shifts)[5], StringComparison.Ordinal);
        Assert.Equal(bb, File.ReadAllBytes(b));
    }
}
