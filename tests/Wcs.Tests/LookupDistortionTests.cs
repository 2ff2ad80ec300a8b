using TweakDrizzle.Fits;

namespace TweakDrizzle.Wcs.Tests;

/// <summary>
/// HST lookup-table distortions against astropy 5.2's <c>all_pix2world</c> on a small file made with it
/// (Fixtures/lookup: TAN-SIP with two NPOL tables of 7×5 samples every 20 pixels and a D2IM table over the columns,
/// random offsets of 0.15 and 0.05 pixel rms; positions on and beyond the tables).
/// </summary>
public sealed class LookupDistortionTests : IDisposable
{
    private static readonly string File = Fixtures.PathOf(Path.Combine("lookup", "npol_d2im.fits"));

    private readonly string _dir = Directory.CreateTempSubdirectory("td-lut-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Pixel_to_world_with_npol_and_d2im_tables_matches_astropy()
    {
        FitsWcs wcs = FitsWcs.FromFile(File + "[SCI,1]");
        Assert.NotNull(wcs.Lookup);
        Assert.NotNull(wcs.Lookup!.CpdisX);
        Assert.NotNull(wcs.Lookup.CpdisY);
        Assert.NotNull(wcs.Lookup.Det2ImX);
        Assert.Null(wcs.Lookup.Det2ImY);
        double worst = 0, effect = 0;
        FitsWcs sipOnly = wcs.WithLookup(null);
        foreach (Dictionary<string, double> r in Fixtures.ReadCsv(Path.Combine("lookup", "npol_d2im.pix2sky.csv")))
        {
            (double ra, double dec) = wcs.PixelToWorld(r["x"], r["y"]);
            worst = Math.Max(worst, SphericalGeometry.SeparationDegrees(ra, dec, r["ra"], r["dec"]) * 3600);
            (double ra0, double dec0) = sipOnly.PixelToWorld(r["x"], r["y"]);
            effect = Math.Max(effect, SphericalGeometry.SeparationDegrees(ra0, dec0, r["ra"], r["dec"]) * 3600);
        }

        Assert.True(worst < 1e-7, $"worst {worst} arcsec");

        // The tables matter: without them positions are off by a sizeable part of a pixel (0.04").
        Assert.True(effect > 1e-3, $"effect {effect} arcsec");
    }

    [Fact]
    public void World_to_pixel_inverts_the_tables_and_every_path_agrees()
    {
        FitsWcs wcs = FitsWcs.FromFile(File + "[SCI,1]");
        var rows = Fixtures.ReadCsv(Path.Combine("lookup", "npol_d2im.pix2sky.csv"));
        double[] x = [.. rows.Select(r => r["x"])], y = [.. rows.Select(r => r["y"])];
        var ra = new double[x.Length];
        var dec = new double[x.Length];
        wcs.PixelToWorld(x, y, ra, dec);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(wcs.PixelToWorld(x[i], y[i]), (ra[i], dec[i]));
            (double px, double py) = wcs.WorldToPixel(ra[i], dec[i]);
            Assert.True(Math.Abs(px - x[i]) < 1e-8 && Math.Abs(py - y[i]) < 1e-8, $"{x[i]},{y[i]} -> {px},{py}");
        }

        // Pixel to pixel onto itself is the identity; the local Jacobian is the finite difference of the mapping.
        var tx = new double[x.Length];
        var ty = new double[x.Length];
        wcs.PixelToPixel(wcs, x, y, tx, ty);
        Assert.All(Enumerable.Range(0, x.Length), i => Assert.True(Math.Abs(tx[i] - x[i]) < 1e-8 && Math.Abs(ty[i] - y[i]) < 1e-8));
        Matrix2x2 j = wcs.IntermediateJacobian(33.3, 41.7);
        (double a, double b) = wcs.PixelToIntermediate(33.3 + 1e-3, 41.7);
        (double c, double d) = wcs.PixelToIntermediate(33.3 - 1e-3, 41.7);
        Assert.Equal((a - c) / 2e-3, j.M11, 12);
        Assert.Equal((b - d) / 2e-3, j.M21, 12);
    }

    [Fact]
    public void Corrections_keep_the_tables_and_equality_sees_them()
    {
        FitsWcs wcs = FitsWcs.FromFile(File + "[SCI,1]");
        FitsWcs corrected = wcs.WithCorrection(wcs.Crval1 + 1e-5, wcs.Crval2, wcs.Cd);
        Assert.Same(wcs.Lookup, corrected.Lookup);
        Assert.Null(wcs.WithoutDistortion().Lookup);
        Assert.NotEqual(wcs, wcs.WithLookup(null));
        Assert.Equal(wcs, wcs.WithName("X"));
    }

    [Fact]
    public void A_header_naming_a_missing_table_is_refused_in_plain_words()
    {
        FitsHeader h = FitsFile.ReadHeader(File + "[SCI,1]");
        string path = Path.Combine(_dir, "missing.fits");
        FitsWriter.Write(path, [FitsWriteHdu.Empty(), FitsWriteHdu.Image(new float[4], [2, 2], h).Named("SCI", 1)]);
        var e = Assert.Throws<WcsException>(() => FitsWcs.FromFile(path + "[SCI,1]"));
        Assert.Contains("names D2IMARR extension 1, which the file does not have", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_position_follows_paper_iv_with_one_based_crpix_for_any_cdelt()
    {
        // Table position (1-based) = (x − CRVAL)/CDELT + CRPIX for a 1-based image x, as in astropy 6.1 and later
        // (astropy#16163; astropy 5.2 subtracts 1/CDELT instead of 1, which differs only when CDELT is not 1).
        float[] data = [0, 10, 20, 30, 100, 110, 120, 130];
        var t = new DistortionLookupTable(data, 4, 2, (1, 1), (0, 0), (2, 2));
        Assert.Equal(5.0, t.Offset(1, 0), 12);      // x → 0.5 table step, y → 0: halfway between 0 and 10
        Assert.Equal(20.0, t.Offset(4, 0), 12);     // x = 4 → 2 steps → third sample
        Assert.Equal(55.0, t.Offset(1, 1), 12);     // y = 1 → half a step up: halfway between 5 and 105
        Assert.Equal(130.0, t.Offset(100, 100), 12); // beyond the table: its corner value
        Assert.Equal(0.0, t.Offset(-50, -50), 12);
        Assert.Throws<WcsException>(() => new DistortionLookupTable(data, 3, 2, (1, 1), (0, 0), (1, 1)));
        Assert.Throws<WcsException>(() => new DistortionLookupTable(data, 4, 2, (1, 1), (0, 0), (0, 1)));
    }
}
