namespace TweakDrizzle.Wcs.Tests;

/// <summary>Every header of conformance/wcs, both directions, against astropy/wcslib.</summary>
public class ConformanceTests
{
    private const double PixToSkyToleranceDeg = 1e-10;
    private const double SkyToPixTolerancePx = 1e-6;

    public static TheoryData<string> Names() => [.. Fixtures.Names];

    private static FitsWcs Load(string name) => Fixtures.Load(name);

    [Theory]
    [MemberData(nameof(Names))]
    public void Pixel_to_world_matches_astropy(string name)
    {
        FitsWcs wcs = Load(name);
        List<Dictionary<string, double>> rows = Fixtures.ReadCsv(name + ".pix2sky.csv");
        Assert.True(rows.Count > 100);
        double worst = 0;
        foreach (Dictionary<string, double> row in rows)
        {
            (double ra, double dec) = wcs.PixelToWorld(row["x"], row["y"]);
            double sep = SphericalGeometry.SeparationDegrees(ra, dec, row["ra"], row["dec"]);
            worst = Math.Max(worst, double.IsNaN(sep) ? double.PositiveInfinity : sep);
        }

        Assert.True(worst <= PixToSkyToleranceDeg, $"{name}: worst separation {worst:E3} deg");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void World_to_pixel_matches_astropy(string name)
    {
        FitsWcs wcs = Load(name);
        List<Dictionary<string, double>> rows = Fixtures.ReadCsv(name + ".sky2pix.csv");
        Assert.True(rows.Count > 100);
        double worst = 0;
        int used = 0;
        foreach (Dictionary<string, double> row in rows.Where(r => r["converged"] == 1))
        {
            (double x, double y) = wcs.WorldToPixel(row["ra"], row["dec"]);
            double d = Math.Sqrt(((x - row["x"]) * (x - row["x"])) + ((y - row["y"]) * (y - row["y"])));
            worst = Math.Max(worst, double.IsNaN(d) ? double.PositiveInfinity : d);
            used++;
        }

        Assert.True(used > 100);
        Assert.True(worst <= SkyToPixTolerancePx, $"{name}: worst pixel distance {worst:E3}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Span_api_gives_the_single_point_results(string name)
    {
        FitsWcs wcs = Load(name);
        List<Dictionary<string, double>> rows = Fixtures.ReadCsv(name + ".pix2sky.csv");
        double[] x = rows.Select(r => r["x"]).ToArray();
        double[] y = rows.Select(r => r["y"]).ToArray();
        var ra = new double[x.Length];
        var dec = new double[x.Length];
        wcs.PixelToWorld(x, y, ra, dec);
        var bx = new double[x.Length];
        var by = new double[x.Length];
        wcs.WorldToPixel(ra, dec, bx, by);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(wcs.PixelToWorld(x[i], y[i]), (ra[i], dec[i]));
            Assert.Equal(wcs.WorldToPixel(ra[i], dec[i]), (bx[i], by[i]));
            Assert.True(Math.Abs(bx[i] - x[i]) < 1e-8 && Math.Abs(by[i] - y[i]) < 1e-8, $"{name} round trip row {i}: ({x[i]}, {y[i]}) -> ({bx[i]}, {by[i]})");
        }

        // Intermediate coordinates and pixel-to-pixel maps: spans (four-lane blocks and the remainder) equal
        // one-point calls bit for bit.
        var xi = new double[x.Length];
        var eta = new double[x.Length];
        wcs.PixelToIntermediate(x, y, xi, eta);
        FitsWcs other = FitsWcs.CreateTan(wcs.Crval1 + 0.01, wcs.Crval2 - 0.01, 100, 200, 0.2, 33);
        var px = new double[x.Length];
        var py = new double[x.Length];
        wcs.PixelToPixel(other, x, y, px, py);
        var one = new double[1];
        var two = new double[1];
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(wcs.PixelToIntermediate(x[i], y[i]), (xi[i], eta[i]));
            wcs.PixelToPixel(other, x.AsSpan(i, 1), y.AsSpan(i, 1), one, two);
            Assert.Equal((one[0], two[0]), (px[i], py[i]));
        }
    }
}
