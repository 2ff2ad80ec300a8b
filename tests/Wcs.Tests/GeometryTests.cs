namespace TweakDrizzle.Wcs.Tests;

public class GeometryTests
{
    private static FitsWcs Load(string name) => Fixtures.Load(name);

    public static TheoryData<string> Distorted() => ["sip4_wfc_apbp", "sip5_jwst", "tpv3", "sip3_ra_wrap", "tan_dec89p9"];

    [Theory]
    [MemberData(nameof(Distorted))]
    public void Local_jacobian_matches_finite_differences(string name)
    {
        FitsWcs wcs = Load(name);
        (double x0, double y0) = (wcs.Metadata.Naxis1 * 0.8, wcs.Metadata.Naxis2 * 0.15);
        Matrix2x2 j = wcs.LocalJacobian(x0, y0);
        const double h = 0.5;
        (double raL, double decL) = wcs.PixelToWorld(x0 - h, y0);
        (double raR, double decR) = wcs.PixelToWorld(x0 + h, y0);
        (double raD, double decD) = wcs.PixelToWorld(x0, y0 - h);
        (double raU, double decU) = wcs.PixelToWorld(x0, y0 + h);
        (_, double dec0) = wcs.PixelToWorld(x0, y0);
        double cosd = Math.Cos(dec0 * Math.PI / 180);
        double dEdx = Wrap(raR - raL) * cosd / (2 * h), dNdx = (decR - decL) / (2 * h);
        double dEdy = Wrap(raU - raD) * cosd / (2 * h), dNdy = (decU - decD) / (2 * h);
        double scale = Math.Sqrt(Math.Abs(j.Determinant));
        Assert.True(Math.Abs(j.M11 - dEdx) < 1e-5 * scale, $"dE/dx {j.M11} vs {dEdx}");
        Assert.True(Math.Abs(j.M21 - dNdx) < 1e-5 * scale, $"dN/dx {j.M21} vs {dNdx}");
        Assert.True(Math.Abs(j.M12 - dEdy) < 1e-5 * scale, $"dE/dy {j.M12} vs {dEdy}");
        Assert.True(Math.Abs(j.M22 - dNdy) < 1e-5 * scale, $"dN/dy {j.M22} vs {dNdy}");
    }

    [Theory]
    [MemberData(nameof(Distorted))]
    public void Intermediate_jacobian_matches_finite_differences(string name)
    {
        FitsWcs wcs = Load(name);
        (double x0, double y0) = (wcs.Metadata.Naxis1 * 0.3, wcs.Metadata.Naxis2 * 0.9);
        Matrix2x2 j = wcs.IntermediateJacobian(x0, y0);
        const double h = 1e-3;
        (double a1, double b1) = wcs.PixelToIntermediate(x0 + h, y0);
        (double a0, double b0) = wcs.PixelToIntermediate(x0 - h, y0);
        (double a3, double b3) = wcs.PixelToIntermediate(x0, y0 + h);
        (double a2, double b2) = wcs.PixelToIntermediate(x0, y0 - h);
        double scale = Math.Sqrt(Math.Abs(j.Determinant));
        Assert.True(Math.Abs(j.M11 - ((a1 - a0) / (2 * h))) < 1e-7 * scale);
        Assert.True(Math.Abs(j.M21 - ((b1 - b0) / (2 * h))) < 1e-7 * scale);
        Assert.True(Math.Abs(j.M12 - ((a3 - a2) / (2 * h))) < 1e-7 * scale);
        Assert.True(Math.Abs(j.M22 - ((b3 - b2) / (2 * h))) < 1e-7 * scale);
    }

    [Theory]
    [MemberData(nameof(Distorted))]
    public void Intermediate_coordinates_round_trip(string name)
    {
        FitsWcs wcs = Load(name);
        for (int i = 0; i <= 8; i++)
        {
            double x = wcs.Metadata.Naxis1 * i / 8.0, y = wcs.Metadata.Naxis2 * (8 - i) / 8.0;
            (double xi, double eta) = wcs.PixelToIntermediate(x, y);
            (double bx, double by) = wcs.IntermediateToPixel(xi, eta);
            Assert.True(Math.Abs(bx - x) < 1e-9 && Math.Abs(by - y) < 1e-9, $"({x}, {y}) -> ({bx}, {by})");
            (double ra, double dec) = wcs.IntermediateToWorld(xi, eta);
            Assert.Equal(wcs.PixelToWorld(x, y), (ra, dec));
            (double xi2, double eta2) = wcs.WorldToIntermediate(ra, dec);
            Assert.True(Math.Abs(xi2 - xi) < 1e-12 && Math.Abs(eta2 - eta) < 1e-12);
        }
    }

    [Fact]
    public void North_up_tan_has_the_requested_scale_and_orientation()
    {
        FitsWcs wcs = FitsWcs.CreateTan(201.5, -43.0, 1025, 1025, scaleArcsec: 0.04, orientation: 27.5);
        Assert.Equal(0.04, wcs.PixelScale(1024, 1024), 12);
        Assert.Equal(0.04 * 0.04, wcs.PixelArea(1024, 1024), 12);
        Assert.Equal(27.5, wcs.Orientation(1024, 1024), 9);
        Assert.True(wcs.LocalJacobian(1024, 1024).Determinant < 0, "sky parity: east is left when north is up");
        (double ra, double dec) = wcs.PixelToWorld(1024, 1024);
        Assert.Equal(201.5, ra, 12);
        Assert.Equal(-43.0, dec, 12);

        // North up: moving +y increases the declination and leaves RA almost unchanged.
        FitsWcs north = FitsWcs.CreateTan(10, 20, 1, 1, 0.1, 0);
        (double r1, double d1) = north.PixelToWorld(0, 100);
        Assert.Equal(10, r1, 9);
        Assert.Equal(20 + (100 * 0.1 / 3600), d1, 8);
        (double r2, _) = north.PixelToWorld(100, 0);
        Assert.True(r2 < 10, "east is to the left: +x decreases RA");
    }

    [Fact]
    public void Correction_keeps_crpix_and_distortion()
    {
        FitsWcs wcs = Load("sip4_wfc_apbp");
        var cd = new Matrix2x2(-1.1e-5, -9.4e-6, -1.0e-5, 1.07e-5);
        FitsWcs corrected = wcs.WithCorrection(150.2, 2.2, cd);
        Assert.Equal(wcs.Crpix1, corrected.Crpix1);
        Assert.Equal(wcs.Crpix2, corrected.Crpix2);
        Assert.Same(wcs.Sip, corrected.Sip);
        Assert.Equal(cd, corrected.Cd);
        Assert.Equal((150.2, 2.2), corrected.PixelToWorld(wcs.Crpix1 - 1, wcs.Crpix2 - 1));
        Assert.Equal(wcs.Metadata, corrected.Metadata);
    }

    [Fact]
    public void Ra_stays_in_0_to_360_across_the_wrap()
    {
        FitsWcs wcs = Load("sip3_ra_wrap");
        bool sawLow = false, sawHigh = false;
        for (int i = 0; i <= 50; i++)
        {
            (double ra, _) = wcs.PixelToWorld(wcs.Metadata.Naxis1 * i / 50.0, wcs.Metadata.Naxis2 / 2.0);
            Assert.InRange(ra, 0, 360);
            Assert.True(ra < 360);
            sawLow |= ra < 1;
            sawHigh |= ra > 359;
        }

        Assert.True(sawLow && sawHigh, "the field straddles RA = 0");

        // Any branch of RA in gives the same pixel.
        (double r0, double d0) = wcs.PixelToWorld(10, 10);
        (double xa, double ya) = wcs.WorldToPixel(r0, d0);
        (double xb, double yb) = wcs.WorldToPixel(r0 - 360, d0);
        (double xc, double yc) = wcs.WorldToPixel(r0 + 720, d0);
        Assert.Equal(xa, xb, 8);
        Assert.Equal(ya, yb, 8);
        Assert.Equal(xa, xc, 8);
        Assert.Equal(ya, yc, 8);
    }

    [Fact]
    public void Tangent_point_at_the_pole_uses_lonpole_0_like_wcslib()
    {
        // astropy 5.2.1 / wcslib: CRVAL = (30, 90), CD = diag(-1e-3, 1e-3), CRPIX = (50, 50):
        // 1-based pixel (60, 50) -> (120, 89.99); (50, 60) -> (30, 89.99).
        FitsWcs wcs = FitsWcs.CreateTan(30, 90, 50, 50, new Matrix2x2(-1e-3, 0, 0, 1e-3));
        Assert.Equal(0, wcs.LonPole);
        (double ra1, double dec1) = wcs.PixelToWorld(59, 49);
        Assert.Equal(120, ra1, 9);
        Assert.Equal(89.99, dec1, 9);
        (double ra2, double dec2) = wcs.PixelToWorld(49, 59);
        Assert.Equal(30, ra2, 9);
        Assert.Equal(89.99, dec2, 9);
        (double x, double y) = wcs.WorldToPixel(ra1, dec1);
        Assert.Equal(59, x, 8);
        Assert.Equal(49, y, 8);

        // Just off the pole the default is LONPOLE = 180 (astropy: (60, 50) -> (300.00572958, 89.99)).
        FitsWcs near = FitsWcs.CreateTan(30, 89.999999, 50, 50, new Matrix2x2(-1e-3, 0, 0, 1e-3));
        (double ra3, double dec3) = near.PixelToWorld(59, 49);
        Assert.Equal(300.00572958, ra3, 7);
        Assert.Equal(89.99, dec3, 6);
    }

    [Fact]
    public void Points_on_the_far_hemisphere_give_nan()
    {
        FitsWcs wcs = FitsWcs.CreateTan(10, 20, 100, 100, 1.0, 0);
        (double x, double y) = wcs.WorldToPixel(190, -20);
        Assert.True(double.IsNaN(x) && double.IsNaN(y));
        (double xi, double eta) = wcs.WorldToIntermediate(100.5, 0);
        Assert.True(double.IsNaN(xi) && double.IsNaN(eta));
    }

    [Fact]
    public void Concurrent_calls_give_identical_results()
    {
        FitsWcs wcs = Load("sip5_jwst");
        const int n = 20000;
        double[] x = Enumerable.Range(0, n).Select(i => (i * 7.31) % 2048).ToArray();
        double[] y = Enumerable.Range(0, n).Select(i => (i * 3.77) % 2048).ToArray();
        var ra = new double[n];
        var dec = new double[n];
        wcs.PixelToWorld(x, y, ra, dec);
        var results = new double[8][];
        Parallel.For(0, 8, t =>
        {
            var r = new double[n];
            var d = new double[n];
            wcs.PixelToWorld(x, y, r, d);
            var bx = new double[n];
            var by = new double[n];
            wcs.WorldToPixel(r, d, bx, by);
            results[t] = [.. r, .. d, .. bx];
        });
        foreach (double[] r in results)
        {
            Assert.Equal(ra, r[..n]);
            Assert.Equal(dec, r[n..(2 * n)]);
        }
    }

    [Fact]
    public void Pixel_to_pixel_goes_through_the_sky()
    {
        FitsWcs chip = Load("sip4_wfc_apbp");
        (double ra0, double dec0) = chip.PixelToWorld(2047, 1023);
        FitsWcs output = FitsWcs.CreateTan(ra0, dec0, 2500.5, 2500.5, 0.04, 0);
        double[] x = [0, 1000.5, 4095, 2047];
        double[] y = [0, 7.25, 2047, 1023];
        var tx = new double[4];
        var ty = new double[4];
        chip.PixelToPixel(output, x, y, tx, ty);
        for (int i = 0; i < 4; i++)
        {
            (double ra, double dec) = chip.PixelToWorld(x[i], y[i]);
            (double ex, double ey) = output.WorldToPixel(ra, dec);
            // The direct path skips the rounding of RA near 150 degrees (1 ulp = 2.5e-9 output pixel here).
            Assert.True(Math.Abs(ex - tx[i]) < 1e-8 && Math.Abs(ey - ty[i]) < 1e-8, $"({ex}, {ey}) vs ({tx[i]}, {ty[i]})");
        }

        Assert.Equal(2499.5, tx[3], 9);
        Assert.Equal(2499.5, ty[3], 9);
    }

    [Theory]
    [MemberData(nameof(Distorted))]
    public void Span_methods_allocate_nothing(string name)
    {
        FitsWcs wcs = Load(name);
        const int n = 512;
        double[] x = Enumerable.Range(0, n).Select(i => i * 3.1).ToArray();
        double[] y = Enumerable.Range(0, n).Select(i => i * 1.7).ToArray();
        var a = new double[n];
        var b = new double[n];
        var c = new double[n];
        var d = new double[n];
        wcs.PixelToWorld(x, y, a, b);
        wcs.WorldToPixel(a, b, c, d);
        wcs.PixelToIntermediate(x, y, c, d);
        wcs.IntermediateToPixel(c, d, a, b);
        long before = GC.GetAllocatedBytesForCurrentThread();
        wcs.PixelToWorld(x, y, a, b);
        wcs.WorldToPixel(a, b, c, d);
        wcs.PixelToIntermediate(x, y, c, d);
        wcs.IntermediateToPixel(c, d, a, b);
        wcs.PixelToPixel(wcs, x, y, c, d);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Footprint_gives_the_outer_pixel_corners()
    {
        FitsWcs wcs = Load("tan_output");
        (double Ra, double Dec)[] corners = wcs.Footprint();
        Assert.Equal(4, corners.Length);
        Assert.Equal(wcs.PixelToWorld(-0.5, -0.5), corners[0]);
        Assert.Equal(wcs.PixelToWorld(wcs.Metadata.Naxis1 - 0.5, wcs.Metadata.Naxis2 - 0.5), corners[2]);
        Assert.Throws<WcsException>(() => FitsWcs.CreateTan(1, 2, 3, 4, 0.1, 0).Footprint());
        Assert.Equal(FitsWcs.CreateTan(1, 2, 3, 4, 0.1, 0).PixelToWorld(9.5, -0.5), FitsWcs.CreateTan(1, 2, 3, 4, 0.1, 0).Footprint(10, 20)[1]);
        (double x, double y) = wcs.WorldToPixel(10, 95);
        Assert.True(double.IsNaN(x) && double.IsNaN(y));
    }

    [Fact]
    public void Spans_of_unequal_length_are_rejected()
    {
        FitsWcs wcs = FitsWcs.CreateTan(10, 20, 1, 1, 1.0, 0);
        Assert.Throws<ArgumentException>(() => wcs.PixelToWorld(new double[3], new double[3], new double[2], new double[3]));
    }

    [Fact]
    public void Invalid_parameters_throw_wcs_exceptions()
    {
        Assert.Throws<WcsException>(() => FitsWcs.CreateTan(10, 20, 1, 1, new Matrix2x2(1, 2, 2, 4)));
        Assert.Throws<WcsException>(() => FitsWcs.CreateTan(10, 95, 1, 1, Matrix2x2.Identity));
        Assert.Throws<WcsException>(() => FitsWcs.CreateTan(double.NaN, 0, 1, 1, Matrix2x2.Identity));
        var sip = new SipDistortion(new double[3, 3], new double[3, 3]);
        var tpv = new TpvDistortion([0, 1], [0, 1]);
        Assert.Throws<WcsException>(() => new FitsWcs(0, 0, 1, 1, Matrix2x2.Identity, sip, tpv));
        Assert.Throws<WcsException>(() => new SipDistortion(new double[3, 2], new double[3, 3]));
        Assert.Throws<WcsException>(() => new TpvDistortion(new double[41], [0, 1]));
    }

    [Fact]
    public void Sip_inverse_converges_without_ap_bp()
    {
        FitsWcs with = Load("sip4_wfc_apbp");
        FitsWcs without = new(with.Crval1, with.Crval2, with.Crpix1, with.Crpix2, with.Cd, with.Sip!.WithoutInverse());
        for (int i = 0; i < 20; i++)
        {
            double x = (i * 397.1) % 4096, y = (i * 211.7) % 2048;
            (double ra, double dec) = with.PixelToWorld(x, y);
            (double x1, double y1) = with.WorldToPixel(ra, dec);
            (double x2, double y2) = without.WorldToPixel(ra, dec);
            Assert.True(Math.Abs(x1 - x2) < 1e-9 && Math.Abs(y1 - y2) < 1e-9);
            Assert.True(Math.Abs(x1 - x) < 1e-8 && Math.Abs(y1 - y) < 1e-8);
        }
    }

    [Fact]
    public void Separation_is_accurate_at_small_and_large_angles()
    {
        Assert.Equal(0, SphericalGeometry.SeparationDegrees(10, 20, 10, 20));
        Assert.InRange(SphericalGeometry.SeparationDegrees(359.9999999995, 0, 0.0000000005, 0), 1e-9 - 1e-13, 1e-9 + 1e-13);
        Assert.InRange(SphericalGeometry.SeparationDegrees(10, 0, 10, 1e-9), 1e-9 - 1e-20, 1e-9 + 1e-20);
        Assert.Equal(180, SphericalGeometry.SeparationDegrees(0, 0, 180, 0), 12);
        Assert.Equal(90, SphericalGeometry.SeparationDegrees(0, 90, 123, 0), 12);
        Assert.Equal(0, SphericalGeometry.NormalizeLongitude(360));
        Assert.Equal(359, SphericalGeometry.NormalizeLongitude(-1));
    }

    [Fact]
    public void Matrix_algebra()
    {
        var m = new Matrix2x2(2, 1, -1, 3);
        Assert.Equal(7, m.Determinant);
        Assert.Equal(Matrix2x2.Identity, m * m.Inverse() is var p ? new Matrix2x2(Math.Round(p.M11, 12), Math.Round(p.M12, 12), Math.Round(p.M21, 12), Math.Round(p.M22, 12)) : default);
        Assert.Equal((4.0, 5.0), m.Transform(1, 2));
        Assert.Equal(new Matrix2x2(0, -1, 1, 0), Matrix2x2.Rotation(90));
        Assert.Throws<WcsException>(() => new Matrix2x2(1, 2, 2, 4).Inverse());
    }

    private static double Wrap(double dra) => dra > 180 ? dra - 360 : dra < -180 ? dra + 360 : dra;
}
