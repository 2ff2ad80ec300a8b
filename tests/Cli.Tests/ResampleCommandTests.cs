using System.Text.Json;
using TweakDrizzle.Fits;
using TweakDrizzle.Resample;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Cli.Tests;

public sealed class ResampleCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("resample-cli-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private string WriteCase(string kernel = "square", string dq = "null")
    {
        const int nx = 6, ny = 5;
        float[] data = [.. Enumerable.Range(0, nx * ny).Select(k => (float)(k + 1))];
        FitsWriter.Write(P("in.fits"), [FitsWriteHdu.Image(data, [nx, ny])]);
        FitsWriter.Write(P("dq.fits"), [FitsWriteHdu.Image([.. Enumerable.Range(0, nx * ny).Select(k => (uint)(k % 3 == 0 ? 1u << 31 : 4u))], [nx, ny])]);
        var map = Pixmap.Identity(nx, ny);
        PixmapFile.Write(P("pixmap.fits"), new Pixmap(nx, ny, [.. map.X.Select(v => v + 1)], [.. map.Y.Select(v => v + 1)]));
        File.WriteAllText(P("case.json"), $$"""
            { "kernel": "{{kernel}}", "out_shape": [7, 8], "fillval": "NaN", "fillval2": "INDEF", "disable_ctx": false,
              "begin_ctx_id": 0, "max_ctx_id": null,
              "inputs": [ { "data": "in.fits", "weight": null, "dq": {{dq}}, "data2": ["in.fits", null], "pixmap": "pixmap.fits",
                            "exptime": 2.5, "in_units": "cps", "iscale": 1.0, "pixel_scale_ratio": 1.0, "wht_scale": 1.0,
                            "pixfrac": 1.0, "xmin": null, "xmax": null, "ymin": null, "ymax": null } ] }
            """);
        return P("case.json");
    }

    [Fact]
    public void Resample_writes_the_contract_layout_and_reports_kernel_seconds()
    {
        (int code, _, string err) = CliHarness.Run("resample", WriteCase(dq: "\"dq.fits\""), "--out", P("out.fits"), "--threads", "2");
        Assert.True(code == 0, err);
        Assert.Matches(@"^kernel_seconds: [0-9.]+\s*$", err);
        using FitsFile f = FitsFile.Open(P("out.fits"));
        Assert.Equal(2.5, f.Hdus[0].Header.GetDouble("EXPTIME"));
        Assert.Equal(["SCI", "WHT", "CTX", "VAR", "VAR", "DQ"], f.Hdus.Skip(1).Select(h => h.ExtName));
        Assert.Equal(-32, f.Hdus[1].Bitpix);
        Assert.Equal([8L, 7L, 1L], f.Hdus[3].Shape);
        Assert.Equal(2, f.Hdus[5].ExtVer);
        FitsImage<float> sci = f.Hdus[1].ReadImage<float>();
        Assert.Equal(1f, sci[1, 1]);
        Assert.True(float.IsNaN(sci[0, 0]));
        FitsImage<uint> dq = f.Hdus[6].ReadImage<uint>();
        Assert.Equal(1u << 31, dq[1, 1]);
        Assert.Equal(4u, dq[2, 1]);
    }

    [Fact]
    public void Resample_quiet_prints_nothing()
    {
        (int code, string output, string err) = CliHarness.Run("resample", WriteCase("turbo"), "--out", P("out.fits"), "--quiet");
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Equal("", output);
    }

    [Fact]
    public void Resample_errors_are_one_line_and_leave_no_output()
    {
        (int code, _, string err) = CliHarness.Run("resample", WriteCase("tophat"), "--out", P("bad.fits"));
        Assert.NotEqual(0, code);
        Assert.StartsWith("error: unknown drizzle kernel 'tophat'", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(P("bad.fits")));
        (code, _, err) = CliHarness.Run("resample", P("missing.json"), "--out", P("bad.fits"));
        Assert.NotEqual(0, code);
        Assert.StartsWith("error:", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Blot_writes_one_image_of_the_pixmap_shape()
    {
        WriteCase();
        File.WriteAllText(P("blot.json"), """{ "data": "in.fits", "pixmap": "pixmap.fits", "interp": "linear", "iscale": 2.0, "fillval": -1.0, "sinscl": 1.0 }""");
        (int code, _, string err) = CliHarness.Run("blot", P("blot.json"), "--out", P("blot.fits"));
        Assert.True(code == 0, err);
        FitsImage<float> img = FitsFile.ReadImage<float>(P("blot.fits"));
        Assert.Equal([6, 5], img.Shape);
        Assert.Equal(2 * 8f, img[0, 0]); // source (1, 1) = 1 + 6 + 1
        Assert.Equal(-1f, img[5, 4]);
    }

    [Fact]
    public void Pixmap_maps_through_the_wcs_pair()
    {
        FitsWcs from = FitsWcs.CreateTan(150, 2, 20.5, 15.5, 0.1, 30);
        FitsWcs to = FitsWcs.CreateTan(150, 2, 30.5, 30.5, 0.05, 0);
        var hf = new FitsHeader();
        from.WriteTo(hf);
        var ht = new FitsHeader();
        to.WriteTo(ht);
        FitsWriter.Write(P("from.fits"), [FitsWriteHdu.Image(new float[40 * 30], [40, 30], hf)]);
        FitsWriter.Write(P("to.fits"), [FitsWriteHdu.Image(new float[4], [2, 2], ht)]);
        (int code, _, string err) = CliHarness.Run("pixmap", P("from.fits"), P("to.fits"), "--out", P("pm.fits"), "--fast");
        Assert.True(code == 0, err);
        Pixmap pm = PixmapFile.Read(P("pm.fits"));
        Assert.Equal(40, pm.Width);
        Assert.Equal(30, pm.Height);
        (double ra, double dec) = from.PixelToWorld(7, 9);
        (double x, double y) = to.WorldToPixel(ra, dec);
        Assert.Equal(x, pm.X[(9 * 40) + 7], 5);
        Assert.Equal(y, pm.Y[(9 * 40) + 7], 5);
    }

    [Fact]
    public void Pixmap_applies_the_npol_tables_of_the_input_file()
    {
        // The same WCS with a constant NPOL table of +0.5 pixel along x: every pixel maps half a pixel further.
        FitsWcs wcs = FitsWcs.CreateTan(150, 2, 20.5, 15.5, 0.1, 30);
        var plain = new FitsHeader();
        wcs.WriteTo(plain);
        FitsHeader lut = plain.Clone();
        lut.Set("CPDIS1", "Lookup");
        lut.Add(FitsCard.Create("DP1", "EXTVER: 1", null));
        lut.Add(FitsCard.Create("DP1", "AXIS.1: 1", null));
        var table = new FitsHeader();
        table.Set("CRPIX1", 1.0);
        table.Set("CRPIX2", 1.0);
        table.Set("CDELT1", 8.0);
        table.Set("CDELT2", 8.0);
        FitsWriter.Write(P("lut.fits"),
        [
            FitsWriteHdu.Empty(),
            FitsWriteHdu.Image(new float[40 * 30], [40, 30], lut).Named("SCI", 1),
            FitsWriteHdu.Image(Enumerable.Repeat(0.5f, 6 * 5).ToArray(), [6, 5], table).Named("WCSDVARR", 1),
        ]);
        FitsWriter.Write(P("plain.fits"), [FitsWriteHdu.Image(new float[40 * 30], [40, 30], plain)]);
        (int code, _, string err) = CliHarness.Run("pixmap", P("lut.fits") + "[SCI,1]", P("plain.fits"), "--out", P("lut_pm.fits"));
        Assert.True(code == 0, err);
        Pixmap pm = PixmapFile.Read(P("lut_pm.fits"));
        Assert.Equal(7.5, pm.X[(9 * 40) + 7], 9);
        Assert.Equal(9.0, pm.Y[(9 * 40) + 7], 9);
    }

    [Fact]
    public void Bench_drizzle_prints_json_with_kernel_seconds()
    {
        (int code, string output, string err) = CliHarness.Run("bench", "drizzle", "--kernel", "point", "--size", "64x32", "--repeat", "1", "--threads", "2", "--check-determinism");
        Assert.True(code == 0, err);
        using JsonDocument doc = JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("kernel_seconds").GetDouble() >= 0);
        Assert.True(doc.RootElement.GetProperty("deterministic_1_vs_n").GetBoolean());
        Assert.Equal(1.0, doc.RootElement.GetProperty("flux_ratio_out_in").GetDouble(), 9);
    }
}
