namespace TweakDrizzle.Wcs.Tests;

/// <summary>
/// Headers beyond conformance/wcs, made with astropy by Fixtures/extra/make_extra_fixtures.py: TPV order 7 with
/// every radial term, SIP order 6 on PC + CDELT, LONPOLE = 170, PC without CDELT, CD with a CDELT to ignore,
/// CROTA2 with a flipped axis, the south pole, galactic axes, rotated TPV order 5, SIP near Dec = 88.
/// </summary>
public class ExtraConformanceTests
{
    public static TheoryData<string> Names() =>
    [
        "tpv7", "sip6_pc", "tan_lonpole170", "tan_pc_nocdelt", "tan_cd_cdelt", "tan_crota_flip", "tan_south",
        "tan_galactic", "tpv5_rot", "sip3_dec88",
    ];

    [Theory]
    [MemberData(nameof(Names))]
    public void Both_directions_match_astropy(string name)
    {
        FitsWcs wcs = FitsWcs.FromFile(Fixtures.PathOf(Path.Combine("extra", name + ".hdr")));
        List<Dictionary<string, double>> forward = Fixtures.ReadCsv(Path.Combine("extra", name + ".xy.csv"));
        Assert.Equal(300, forward.Count);
        double worstDeg = 0;
        foreach (Dictionary<string, double> row in forward)
        {
            (double ra, double dec) = wcs.PixelToWorld(row["x"], row["y"]);
            double sep = SphericalGeometry.SeparationDegrees(ra, dec, row["ra_ref"], row["dec_ref"]);
            worstDeg = Math.Max(worstDeg, double.IsNaN(sep) ? double.PositiveInfinity : sep);
        }

        Assert.True(worstDeg <= 1e-10, $"{name}: worst separation {worstDeg:E3} deg");

        List<Dictionary<string, double>> inverse = Fixtures.ReadCsv(Path.Combine("extra", name + ".radec.csv"));
        double worstPx = 0;
        foreach (Dictionary<string, double> row in inverse)
        {
            (double x, double y) = wcs.WorldToPixel(row["ra"], row["dec"]);
            double d = Math.Sqrt(((x - row["x_ref"]) * (x - row["x_ref"])) + ((y - row["y_ref"]) * (y - row["y_ref"])));
            worstPx = Math.Max(worstPx, double.IsNaN(d) ? double.PositiveInfinity : d);
        }

        Assert.True(worstPx <= 1e-6, $"{name}: worst pixel distance {worstPx:E3}");
    }
}
