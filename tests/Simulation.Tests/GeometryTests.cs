using TweakDrizzle.Simulation;

namespace TweakDrizzle.Simulation.Tests;

public class GeometryTests
{
    [Fact]
    public void Gnomonic_RoundTrips()
    {
        (double xi, double eta) = SkyMath.Gnomonic(290.2, 37.8, 290.25, 37.76);
        (double ra, double dec) = SkyMath.InverseGnomonic(290.2, 37.8, xi, eta);
        Assert.Equal(290.25, ra, 11);
        Assert.Equal(37.76, dec, 11);
    }

    [Fact]
    public void TanSip_WorldToPixelInvertsPixelToWorld()
    {
        TanSipModel w = InstrumentGeometry.ChipWcs(DetectorModel.AcsWfcLike, 1, new Pointing(10.0, -30.0, 123.0));
        Assert.Equal(3, w.SipOrder);
        foreach ((double x, double y) in new[] { (0.0, 0.0), (4095.0, 2047.0), (100.3, 1900.7), (2047.5, 1023.5) })
        {
            (double ra, double dec) = w.PixelToWorld(x, y);
            (double x2, double y2) = w.WorldToPixel(ra, dec);
            Assert.Equal(x, x2, 8);
            Assert.Equal(y, y2, 8);
        }
    }

    [Fact]
    public void ChipWcs_CdHasTheScaleParityAndOrientation()
    {
        DetectorModel det = DetectorModel.Small with { SkewDegrees = 0, ScaleRatio = 1, DistortionPixels = 0 };
        TanSipModel w = InstrumentGeometry.ChipWcs(det, 0, new Pointing(150, 2, 0));
        Assert.Equal(0.05, w.PixelScaleArcsec, 6);
        Assert.True(w.Cd11 < 0); // east to the left at PA = 0
        Assert.True(w.Cd22 > 0); // north up
        Assert.Equal(0.0, w.Cd12, 9);
        Assert.Equal(0, w.SipOrder);
    }

    [Fact]
    public void ChipsAreSeparatedByTheGapOnTheSky()
    {
        DetectorModel det = DetectorModel.Small;
        var p = new Pointing(290.2, 37.8, 47.3);
        TanSipModel c1 = InstrumentGeometry.ChipWcs(det, 0, p);
        TanSipModel c2 = InstrumentGeometry.ChipWcs(det, 1, p);
        // The top row of chip 1 continued by gap+1 rows lands on the bottom row of chip 2.
        (double ra, double dec) = c2.PixelToWorld(500, 0);
        (double x, double y) = c1.WorldToPixel(ra, dec);
        Assert.Equal(500, x, 0);
        Assert.InRange(y, det.ChipHeight - 1 + det.GapPixels + 1 - 0.05, det.ChipHeight - 1 + det.GapPixels + 1 + 0.05);
    }

    [Fact]
    public void ChipWcsAgreesWithTheFocalPlaneAcrossChips()
    {
        // A point seen by both chips' WCSs (extrapolated) lands at the same sky position: the two chips form one
        // rigid, smoothly distorted focal plane.
        DetectorModel det = DetectorModel.AcsWfcLike;
        var p = new Pointing(290.2, 37.8, 47.3);
        TanSipModel c1 = InstrumentGeometry.ChipWcs(det, 0, p);
        TanSipModel c2 = InstrumentGeometry.ChipWcs(det, 1, p);
        double dy = det.ChipHeight + det.GapPixels;
        foreach (double x in new[] { 0.0, 2000.0, 4095.0 })
        {
            (double ra1, double dec1) = c1.PixelToWorld(x, dy + 10);
            (double ra2, double dec2) = c2.PixelToWorld(x, 10);
            Assert.True(SkyMath.Separation(ra1, dec1, ra2, dec2) * 3600 < 1e-4 * 0.05 * 50);
        }
    }

    [Fact]
    public void PostArgMovesTheTargetOnTheDetector()
    {
        DetectorModel det = DetectorModel.Small;
        const double Ra = 290.2208, Dec = 37.7717;
        Pointing p0 = InstrumentGeometry.PointingFor(Ra, Dec, 47.3, 0, 0);
        Pointing p1 = InstrumentGeometry.PointingFor(Ra, Dec, 47.3, 1.0, 0.5);
        (double x0, double y0) = InstrumentGeometry.ChipWcs(det, 1, p0).WorldToPixel(Ra, Dec);
        (double x1, double y1) = InstrumentGeometry.ChipWcs(det, 1, p1).WorldToPixel(Ra, Dec);
        Assert.InRange(x1 - x0, 19.0, 21.0);
        Assert.InRange(y1 - y0, 9.5, 10.5);
    }

    [Fact]
    public void HeaderCardsDescribeTanSip()
    {
        TanSipModel w = InstrumentGeometry.ChipWcs(DetectorModel.Small, 0, new Pointing(290.2, 37.8, 47.3));
        var cards = w.ToHeaderCards("TRUE");
        Assert.Contains(cards, c => c.Key == "CTYPE1" && (string)c.Value == "RA---TAN-SIP");
        Assert.Contains(cards, c => c.Key == "A_ORDER" && (int)c.Value == 3);
        Assert.Contains(cards, c => c.Key == "B_0_3");
        Assert.Equal(512.5, (double)cards.Single(c => c.Key == "CRPIX1").Value);
    }
}
