using TweakDrizzle.Fits;
using TweakDrizzle.Matching;
using TweakDrizzle.Wcs;
using TweakDrizzle.WcsFit;

namespace TweakDrizzle.WcsFit.Tests;

internal static class TestWcs
{
    public const int Width = 4096;
    public const int Height = 2048;

    /// <summary>An ACS/WFC-like chip: 0.05"/px, CD rotated by 30°, 3rd-order SIP with its inverse.</summary>
    public static FitsWcs SipChip()
    {
        var a = new double[4, 4];
        var b = new double[4, 4];
        a[2, 0] = 8.5e-6;
        a[1, 1] = -5.2e-6;
        a[0, 2] = 2.1e-6;
        a[3, 0] = 1.1e-10;
        a[1, 2] = -3.0e-11;
        b[2, 0] = -2.6e-6;
        b[1, 1] = 6.9e-6;
        b[0, 2] = -4.4e-6;
        b[0, 3] = 9.0e-11;
        b[2, 1] = 4.0e-11;
        double s = 0.05 / 3600.0, c = Math.Cos(30 * Math.PI / 180), n = Math.Sin(30 * Math.PI / 180);
        var cd = new Matrix2x2(-s * c, s * n, s * n, s * c);
        return new FitsWcs(150.1, 2.2, 2048.5, 1024.5, cd, new SipDistortion(a, b, null, null), null, null,
            new WcsMetadata { Naxis1 = Width, Naxis2 = Height, WcsName = null });
    }

    public static FitsWcs TpvChip()
    {
        var pv1 = new double[11];
        var pv2 = new double[11];
        pv1[1] = 1;
        pv2[1] = 1;
        pv1[4] = 3e-3;
        pv2[5] = -2e-3;
        pv1[7] = 1e-2;
        pv2[10] = 5e-3;
        double s = 0.26 / 3600.0;
        return new FitsWcs(45.0, -30.0, 1024.5, 2048.5, new Matrix2x2(s, 0, 0, s), null, new TpvDistortion(pv1, pv2), null,
            new WcsMetadata { Naxis1 = 2048, Naxis2 = 4096 });
    }

    /// <summary>The reference tangent plane: undistorted TAN at the chip centre, 0.05"/px, north up.</summary>
    public static FitsWcs Frame(FitsWcs chip)
    {
        (double ra, double dec) = chip.PixelToWorld(2047.5, 1023.5);
        return FitsWcs.CreateTan(ra, dec, 4096.5, 4096.5, 0.05, 0.0);
    }
}

public class WcsCorrectionTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Corrected_wcs_follows_the_intended_mapping_to_1e_6_px(bool tpv)
    {
        FitsWcs chip = tpv ? TestWcs.TpvChip() : TestWcs.SipChip();
        FitsWcs frame = TestWcs.Frame(chip);
        Affine2D correction = Affine2D.Similarity(1.00005, 0.01, false, 0, 0);

        // Rotation and scale about the frame's centre, plus a shift of (1.3, −0.7) px.
        (double cx, double cy) = frame.ReferencePixel;
        (double mx, double my) = correction.Apply(cx, cy);
        correction = correction with { Tx = cx - mx + 1.3, Ty = cy - my - 0.7 };

        CorrectedWcs result = WcsCorrection.Apply(chip, frame, correction);

        // TAN-SIP: exact to 1e-6 px. TPV applies its polynomial after CD, so a rotation of a distorted frame is not
        // exactly a CD change: the least-squares CD leaves ~3e-4 px here (0.01° rotation, 0.15° field).
        double limit = tpv ? 1e-3 : 1e-6;
        Assert.True(result.MaxErrorPixels < limit, $"max error {result.MaxErrorPixels:g3} px");
        Assert.Equal(chip.Crpix1, result.Wcs.Crpix1);
        Assert.Equal(chip.Crpix2, result.Wcs.Crpix2);
        Assert.Same(chip.Sip, result.Wcs.Sip);
        Assert.Same(chip.Tpv, result.Wcs.Tpv);
        Assert.NotEqual(chip.Crval1, result.Wcs.Crval1);

        // Independent check on random chip pixels, forward direction.
        var rng = new Random(1);
        int w = (int)chip.Metadata.Naxis1, h = (int)chip.Metadata.Naxis2;
        double pixelDeg = Math.Sqrt(Math.Abs(chip.Cd.Determinant));
        for (int k = 0; k < 200; k++)
        {
            double x = rng.NextDouble() * (w - 1), y = rng.NextDouble() * (h - 1);
            (double ra, double dec) = chip.PixelToWorld(x, y);
            (double u, double v) = frame.WorldToPixel(ra, dec);
            (double cu, double cv) = correction.Apply(u, v);
            (double era, double edec) = frame.PixelToWorld(cu, cv);
            (double gra, double gdec) = result.Wcs.PixelToWorld(x, y);
            double sep = SphericalGeometry.SeparationDegrees(era, edec, gra, gdec);
            Assert.True(sep / pixelDeg < limit, $"pixel ({x:0.0}, {y:0.0}): {sep / pixelDeg:g3} px");
        }
    }

    [Fact]
    public void One_correction_applies_to_every_chip_of_an_exposure()
    {
        FitsWcs chip1 = TestWcs.SipChip();
        FitsWcs chip2 = chip1.WithReferencePixel(2048.5, -1024.5);
        FitsWcs frame = TestWcs.Frame(chip1);
        Affine2D correction = Affine2D.Translation(2.5, -1.0);
        IReadOnlyList<CorrectedWcs> r = WcsCorrection.ApplyToExposure([(chip1, 4096, 2048), (chip2, 4096, 2048)], frame, correction);
        Assert.Equal(2, r.Count);
        Assert.All(r, c => Assert.True(c.MaxErrorPixels < 1e-6));
    }

    [Fact]
    public void Unknown_chip_size_is_an_error()
    {
        FitsWcs chip = FitsWcs.CreateTan(10, 10, 1, 1, 0.1, 0);
        Assert.Throws<WcsFitException>(() => WcsCorrection.Apply(chip, chip, Affine2D.Identity));
    }
}

public class HeaderUpdaterTests
{
    private static (FitsHeader Header, FitsWcs Corrected, FitRecord Record) Setup()
    {
        FitsWcs chip = TestWcs.SipChip();
        var h = new FitsHeader();
        h.Set("EXTNAME", "SCI");
        chip.WriteTo(h);
        FitsWcs frame = TestWcs.Frame(chip);
        CorrectedWcs c = WcsCorrection.Apply(chip, frame, Affine2D.Translation(1.5, -0.5));
        var record = new FitRecord(812, 1.2e-6, 1.4e-6, "TweakDrizzle: test fit");
        return (h, c.Wcs, record);
    }

    [Fact]
    public void Archives_the_old_wcs_and_writes_the_new_one_with_the_fit_record()
    {
        (FitsHeader h, FitsWcs corrected, FitRecord record) = Setup();
        double oldCrval1 = h.GetDouble("CRVAL1");
        double oldA20 = h.GetDouble("A_2_0");

        char? key = HeaderUpdater.Update(h, corrected, record, new HeaderUpdateOptions { WcsName = "TWEAK" });

        Assert.Equal('A', key);
        Assert.Equal("TWEAK", h.GetString("WCSNAME"));
        Assert.Equal(HeaderUpdater.UnnamedWcsName, h.GetString("WCSNAMEA"));
        Assert.Equal(oldCrval1, h.GetDouble("CRVAL1A"));
        Assert.Equal(corrected.Crval1, h.GetDouble("CRVAL1"));
        Assert.Equal(oldA20, h.GetDouble("A_2_0"));
        Assert.Equal(2048.5, h.GetDouble("CRPIX1"));
        int fit = h.IndexOf("FITNAME");
        Assert.Equal(["FITNAME", "NMATCH", "RMS_DEC", "RMS_RA"], new[] { h[fit].Key, h[fit + 1].Key, h[fit + 2].Key, h[fit + 3].Key });
        Assert.Equal(812, h.GetInt64("NMATCH"));
        Assert.Equal(1.2e-6, h.GetDouble("CRDER1"));
        Assert.Equal(1.4e-6, h.GetDouble("CRDER2"));
        Assert.Contains(h, c => c.Key == "HISTORY");
        Assert.True(FitsWcs.FromHeader(h).IsEquivalentTo(corrected, 4096, 2048, 1e-9));
        Assert.True(FitsWcs.FromHeader(h, 'A').IsEquivalentTo(TestWcs.SipChip(), 4096, 2048, 1e-9));
    }

    [Fact]
    public void An_existing_name_is_refused_and_the_header_is_untouched()
    {
        (FitsHeader h, FitsWcs corrected, FitRecord record) = Setup();
        HeaderUpdater.Update(h, corrected, record);
        string before = h.ToString();
        var e = Assert.Throws<WcsFitException>(() => HeaderUpdater.Update(h, corrected, record));
        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, h.ToString());
    }

    [Fact]
    public void Reusename_overwrites_the_primary_without_a_second_archive()
    {
        (FitsHeader h, FitsWcs corrected, FitRecord record) = Setup();
        HeaderUpdater.Update(h, corrected, record);
        char? key = HeaderUpdater.Update(h, corrected, record with { NMatch = 900 }, new HeaderUpdateOptions { ReuseName = true });
        Assert.Null(key);
        Assert.False(h.Contains("WCSNAMEB"));
        Assert.Equal(900, h.GetInt64("NMATCH"));
        Assert.Single(h, c => c.Key == "NMATCH");
    }

    [Fact]
    public void A_second_name_archives_the_first_under_the_next_key()
    {
        (FitsHeader h, FitsWcs corrected, FitRecord record) = Setup();
        HeaderUpdater.Update(h, corrected, record);
        char? key = HeaderUpdater.Update(h, corrected, record, new HeaderUpdateOptions { WcsName = "TWEAK2" });
        Assert.Equal('B', key);
        Assert.Equal("TWEAK", h.GetString("WCSNAMEB"));
        Assert.Equal("TWEAK2", h.GetString("WCSNAME"));
    }

    [Fact]
    public void A_failed_fit_never_produces_a_record()
    {
        var fit = LinearFitter.Fit([1.0], [1.0], [2.0], [2.0], default, new FitOptions { MinObj = 5 });
        Assert.Equal(FitStatus.Failed, fit.Status);
        Assert.Throws<WcsFitException>(() => FitRecord.FromFit(fit, TestWcs.Frame(TestWcs.SipChip()), "TWEAK"));
    }

    [Fact]
    public void File_update_is_all_or_nothing()
    {
        FitsWcs chip1 = TestWcs.SipChip();
        FitsWcs chip2 = chip1.WithReferencePixel(2048.5, -1024.5);
        string path = Path.Combine(Path.GetTempPath(), $"td-upd-{Guid.NewGuid():N}.fits");
        try
        {
            var h1 = new FitsHeader();
            chip1.WriteTo(h1);
            var h2 = new FitsHeader();
            chip2.WriteTo(h2);
            FitsWriter.Write(path,
            [
                FitsWriteHdu.Empty(),
                FitsWriteHdu.Image(new float[16], [4, 4], h1).Named("SCI", 1),
                FitsWriteHdu.Image(new float[16], [4, 4], h2).Named("SCI", 2),
            ]);
            FitsWcs frame = TestWcs.Frame(chip1);
            IReadOnlyList<CorrectedWcs> c = WcsCorrection.ApplyToExposure([(chip1, 4096, 2048), (chip2, 4096, 2048)], frame, Affine2D.Translation(0.5, 0.25));
            var record = new FitRecord(100, 1e-6, 1e-6, "test");

            HeaderUpdater.UpdateFile(path, [(1, c[0].Wcs), (2, c[1].Wcs)], record);

            byte[] after = File.ReadAllBytes(path);
            using (FitsFile f = FitsFile.Open(path))
            {
                Assert.Equal("TWEAK", f.Hdus[1].Header.GetString("WCSNAME"));
                Assert.Equal("TWEAK", f.Hdus[2].Header.GetString("WCSNAME"));
                Assert.Equal(c[1].Wcs.Crval1, f.Hdus[2].Header.GetDouble("CRVAL1"));
            }

            // Second run with the same name on one chip only: refused, file unchanged.
            Assert.Throws<WcsFitException>(() => HeaderUpdater.UpdateFile(path, [(1, c[0].Wcs), (2, c[1].Wcs)], record));
            Assert.Equal(after, File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
