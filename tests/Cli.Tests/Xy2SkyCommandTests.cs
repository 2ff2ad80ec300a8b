using System.Globalization;
using TweakDrizzle.Fits;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Cli.Tests;

public sealed class Xy2SkyCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("td-xy2sky-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A TAN-SIP order-3 WCS built in code, written as a .hdr card file.</summary>
    private (FitsWcs Wcs, string HdrPath) SipHeaderFile()
    {
        var a = new double[4, 4];
        var b = new double[4, 4];
        (a[2, 0], a[1, 1], a[0, 2], a[3, 0]) = (-5.9e-6, 8.5e-6, -4.7e-6, 6e-11);
        (b[2, 0], b[1, 1], b[0, 2], b[0, 3]) = (-1.6e-6, -4.6e-6, -7.5e-6, -1.6e-11);
        var wcs = new FitsWcs(359.99, -0.5, 2048, 1024, new Matrix2x2(-1.06e-5, -9.4e-6, -1.01e-5, 1.06e-5), new SipDistortion(a, b),
            metadata: new WcsMetadata { Naxis1 = 4096, Naxis2 = 2048 });
        var header = new FitsHeader();
        header.Set("SIMPLE", true);
        header.Set("NAXIS", 2L);
        wcs.WriteTo(header);
        string path = Path.Combine(_dir, "chip.hdr");
        File.WriteAllText(path, string.Join('\n', header.ToCardImages()) + "\nEND\n");
        return (wcs, path);
    }

    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        string[] lines = File.ReadAllLines(path);
        string[] names = lines[0].Split(',');
        return lines.Skip(1).Select(l => names.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Xy2sky_and_sky2xy_follow_the_wcs_with_either_origin(int origin)
    {
        (FitsWcs wcs, string hdr) = SipHeaderFile();
        string xy = Path.Combine(_dir, "xy.csv");
        double[] xs = [0, 100.25, 4095, -3.5, 2047];
        double[] ys = [0, 1900.75, 2047, 12, 1023];
        File.WriteAllLines(xy, ["id,y,x", .. xs.Select((x, i) => $"s{i},{(ys[i] + origin).ToString("R", CultureInfo.InvariantCulture)},{(x + origin).ToString("R", CultureInfo.InvariantCulture)}")]);
        string radec = Path.Combine(_dir, "radec.csv");
        (int code, _, string err) = CliHarness.Run("xy2sky", hdr, "--in", xy, "--out", radec, "--origin", origin.ToString(CultureInfo.InvariantCulture));
        Assert.True(code == 0, err);
        List<Dictionary<string, string>> rows = ReadCsv(radec);
        Assert.Equal(xs.Length, rows.Count);
        for (int i = 0; i < xs.Length; i++)
        {
            Assert.Equal($"s{i}", rows[i]["id"]);
            (double ra, double dec) = wcs.PixelToWorld(xs[i], ys[i]);
            Assert.Equal(ra, D(rows[i]["ra"]));
            Assert.Equal(dec, D(rows[i]["dec"]));
        }

        string back = Path.Combine(_dir, "back.csv");
        (code, _, err) = CliHarness.Run("sky2xy", hdr, "--in", radec, "--out", back, "--origin", origin.ToString(CultureInfo.InvariantCulture));
        Assert.True(code == 0, err);
        List<Dictionary<string, string>> backRows = ReadCsv(back);
        for (int i = 0; i < xs.Length; i++)
        {
            Assert.Equal(xs[i] + origin, D(backRows[i]["x"]), 8);
            Assert.Equal(ys[i] + origin, D(backRows[i]["y"]), 8);
        }
    }

    [Fact]
    public void Reads_the_wcs_from_a_fits_extension()
    {
        (FitsWcs wcs, _) = SipHeaderFile();
        var header = new FitsHeader();
        wcs.WriteTo(header);
        string fits = Path.Combine(_dir, "image.fits");
        FitsWriter.Write(fits, [FitsWriteHdu.Empty(), FitsWriteHdu.Image(new float[16], [4, 4], header).Named("SCI", 1)]);
        string xy = Path.Combine(_dir, "xy.csv");
        File.WriteAllLines(xy, ["x,y", "10.5,20.25"]);
        string radec = Path.Combine(_dir, "radec.csv");
        (int code, _, string err) = CliHarness.Run("xy2sky", fits + "[SCI,1]", "--in", xy, "--out", radec);
        Assert.True(code == 0, err);
        (double ra, double dec) = wcs.PixelToWorld(9.5, 19.25);
        List<Dictionary<string, string>> rows = ReadCsv(radec);
        Assert.Equal(ra, D(rows[0]["ra"]));
        Assert.Equal(dec, D(rows[0]["dec"]));

        (code, _, err) = CliHarness.Run("xy2sky", fits + "[SCI,7]", "--in", xy, "--out", Path.Combine(_dir, "none.csv"));
        Assert.NotEqual(0, code);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "none.csv")));
    }

    [Fact]
    public void Origin_defaults_to_1_and_output_has_17_significant_digits()
    {
        (FitsWcs wcs, string hdr) = SipHeaderFile();
        string radec = Path.Combine(_dir, "radec.csv");
        File.WriteAllLines(radec, ["RA,Dec", "0.0012345678901234567,-0.49", "359.98,-0.51"]);
        string xy = Path.Combine(_dir, "xy.csv");
        (int code, _, string err) = CliHarness.Run("sky2xy", hdr, "--in", radec, "--out", xy);
        Assert.True(code == 0, err);
        List<Dictionary<string, string>> rows = ReadCsv(xy);
        (double x0, double y0) = wcs.WorldToPixel(0.0012345678901234567, -0.49);
        Assert.Equal(x0 + 1, D(rows[0]["x"]));
        Assert.Equal(y0 + 1, D(rows[0]["y"]));
        Assert.Equal((x0 + 1).ToString("G17", CultureInfo.InvariantCulture), rows[0]["x"]);
    }

    [Fact]
    public void Find_catalogs_work_through_xcentroid_ycentroid_and_quoted_fields_survive()
    {
        (FitsWcs wcs, string hdr) = SipHeaderFile();
        string cat = Path.Combine(_dir, "cat.csv");
        File.WriteAllLines(cat, ["id,xcentroid,ycentroid,note", "1,10,20,\"a, b\"", "2,30.5,40.25,plain"]);
        string radec = Path.Combine(_dir, "radec.csv");
        (int code, _, string err) = CliHarness.Run("xy2sky", hdr, "--in", cat, "--out", radec, "--origin", "0");
        Assert.True(code == 0, err);
        string[] lines = File.ReadAllLines(radec);
        Assert.Equal("id,xcentroid,ycentroid,note,ra,dec", lines[0]);
        Assert.StartsWith("1,10,20,\"a, b\",", lines[1], StringComparison.Ordinal);
        (double ra, double dec) = wcs.PixelToWorld(30.5, 40.25);
        string[] f = lines[2].Split(',');
        Assert.Equal(ra, D(f[4]));
        Assert.Equal(dec, D(f[5]));
    }

    [Fact]
    public void Bad_inputs_give_one_error_line_a_nonzero_exit_and_no_output()
    {
        (_, string hdr) = SipHeaderFile();
        string output = Path.Combine(_dir, "out.csv");

        string noWcs = Path.Combine(_dir, "plain.hdr");
        File.WriteAllText(noWcs, "SIMPLE  =                    T\nNAXIS   =                    0\nEND\n");
        string good = Path.Combine(_dir, "good.csv");
        File.WriteAllLines(good, ["x,y", "1,2"]);
        string wrongColumns = Path.Combine(_dir, "cols.csv");
        File.WriteAllLines(wrongColumns, ["col1,col2", "1,2"]);
        string notNumbers = Path.Combine(_dir, "nan.csv");
        File.WriteAllLines(notNumbers, ["x,y", "1,2", "abc,4"]);
        string ragged = Path.Combine(_dir, "ragged.csv");
        File.WriteAllLines(ragged, ["x,y", "1,2,3"]);

        string[][] cases =
        [
            ["xy2sky", noWcs, "--in", good, "--out", output],
            ["xy2sky", hdr, "--in", wrongColumns, "--out", output],
            ["xy2sky", hdr, "--in", notNumbers, "--out", output],
            ["xy2sky", hdr, "--in", ragged, "--out", output],
            ["xy2sky", hdr, "--in", Path.Combine(_dir, "missing.csv"), "--out", output],
            ["xy2sky", Path.Combine(_dir, "missing.hdr"), "--in", good, "--out", output],
            ["xy2sky", hdr, "--in", good, "--out", output, "--origin", "2"],
            ["sky2xy", hdr, "--in", good, "--out", output],
        ];
        foreach (string[] args in cases)
        {
            (int code, _, string err) = CliHarness.Run(args);
            Assert.True(code != 0, string.Join(' ', args));
            string[] errLines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(errLines);
            Assert.StartsWith("error: ", errLines[0], StringComparison.Ordinal);
            Assert.False(File.Exists(output), string.Join(' ', args));
        }
    }
}
