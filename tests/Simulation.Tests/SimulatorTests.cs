using TweakDrizzle.Simulation;

namespace TweakDrizzle.Simulation.Tests;

public class SimulatorTests
{
    internal static readonly DetectorModel Tiny = DetectorModel.Small with { ChipWidth = 256, ChipHeight = 128, GapPixels = 10, DistortionPixels = 1.5 };

    /// <summary>A sky position (dx, dy) arcsec from the middle of chip 2 along the detector axes, for the default visits.</summary>
    internal static (double Ra, double Dec) OnChip2(double dx = 0, double dy = 0)
    {
        var sky = new SkyModelOptions();
        double pa = 47.3 * Math.PI / 180;
        double y = ((Tiny.ChipHeight + Tiny.GapPixels) / 2.0 * Tiny.PixelScaleArcsec) + dy;
        double e = (-Math.Cos(pa) * dx) + (Math.Sin(pa) * y), n = (Math.Sin(pa) * dx) + (Math.Cos(pa) * y);
        return SkyMath.InverseGnomonic(sky.CenterRa, sky.CenterDec, e / 3600, n / 3600);
    }

    private static SimulationOptions TinyOptions(ulong seed = 3) => new() { Seed = seed, Detector = Tiny };

    [Fact]
    public void DefaultDataSetHasTwelveExposuresInTwoVisitsAndFilters()
    {
        var sim = new Simulator(SimulationOptions.Demo());
        Assert.Equal(12, sim.Exposures.Count);
        Assert.Equal(["F606W", "F814W"], sim.Exposures.Select(e => e.Filter.Name).Distinct());
        Assert.Contains(sim.Exposures, e => e.Rootname == "j8ny01svq");
        Assert.Contains(sim.Exposures, e => e.Rootname == "j8ny01szq");
        Assert.All(sim.Exposures, e => Assert.Equal(2, e.HeaderWcs.Count));
        Assert.InRange(sim.Sky.Sources.Count, 1000, 10000);
    }

    [Fact]
    public void SameSeedGivesIdenticalPixels_OtherSeedDiffers()
    {
        SimulatedExposure a = new Simulator(TinyOptions()).Simulate(1);
        SimulatedExposure b = new Simulator(TinyOptions()).Simulate(1);
        SimulatedExposure c = new Simulator(TinyOptions(4)).Simulate(1);
        for (int k = 0; k < a.Chips.Count; k++)
        {
            Assert.Equal(a.Chips[k].Sci, b.Chips[k].Sci);
            Assert.Equal(a.Chips[k].Err, b.Chips[k].Err);
            Assert.Equal(a.Chips[k].Dq, b.Chips[k].Dq);
            Assert.Equal(a.Chips[k].CosmicRayMask, b.Chips[k].CosmicRayMask);
        }

        Assert.NotEqual(a.Chips[0].Sci, c.Chips[0].Sci);
    }

    [Fact]
    public void OneThreadAndAllThreadsGiveIdenticalPixels()
    {
        SimulatedExposure a = new Simulator(TinyOptions() with { MaxDegreeOfParallelism = 1 }).Simulate(4);
        SimulatedExposure b = new Simulator(TinyOptions() with { MaxDegreeOfParallelism = 7 }).Simulate(4);
        for (int k = 0; k < a.Chips.Count; k++)
        {
            Assert.Equal(a.Chips[k].Sci, b.Chips[k].Sci);
            Assert.Equal(a.Chips[k].Dq, b.Chips[k].Dq);
        }
    }

    [Fact]
    public void PointingErrorIsBoundedAndSharedWithinAVisit()
    {
        var sim = new Simulator(SimulationOptions.Demo(11));
        foreach (ExposureGeometry e in sim.Exposures)
        {
            double sep = SkyMath.Separation(e.NominalPointing.Ra, e.NominalPointing.Dec, e.TruePointing.Ra, e.TruePointing.Dec) * 3600;
            Assert.InRange(sep, 0, 0.5 + 0.01);
            Assert.InRange(Math.Abs(e.TruePointing.OrientationDeg - e.NominalPointing.OrientationDeg), 0, 0.02);
        }

        var v1 = sim.Exposures.Where(e => e.VisitIndex == 0).Select(e => e.TruePointing.OrientationDeg - e.NominalPointing.OrientationDeg).Distinct();
        Assert.Single(v1);
    }

    [Fact]
    public void NoiselessRenderingConservesFlux()
    {
        var stars = new List<SkySource>();
        int id = 1;
        for (int k = -2; k <= 2; k++)
        {
            (double ra, double dec) = OnChip2(k * 1.5, 0.3 * k);
            stars.Add(new SkySource(id++, ra, dec, SourceKind.Star, 50.0 * id, 0.8));
        }

        (double gra, double gdec) = OnChip2(0, 1.2);
        stars.Add(new SkySource(id, gra, gdec, SourceKind.Galaxy, 300, 1.0, 1.0, 0.3, 0.6, 30));
        var opt = new SimulationOptions
        {
            Detector = Tiny,
            SkySources = stars,
            Noise = false,
            CosmicRays = false,
            HotPixels = false,
            BadColumns = false,
            Saturation = false,
            RenderFloor = 1e-4,
        };
        var sim = new Simulator(opt);
        SimulatedExposure e = sim.Simulate(0);
        double skyLevel = sim.Exposures[0].Filter.SkyRate * sim.Exposures[0].ExposureTime;
        double total = e.Chips.Sum(c => c.Sci.Sum(v => (double)v - skyLevel));
        var onChip = e.Chips.SelectMany(c => c.Sources).ToList();
        Assert.Equal(stars.Count, onChip.Count);
        double expected = onChip.Sum(s => s.Electrons);
        Assert.InRange(total / expected, 0.995, 1.001);
    }

    [Fact]
    public void SourcesAreScaledAsFlatFieldedDataByTheInversePixelArea()
    {
        // Two equal stars, one at the middle of chip 2, one near its corner where the distortion changes the pixel area.
        (double ra0, double dec0) = OnChip2();
        (double ra1, double dec1) = OnChip2(5.5, -2.6);
        var opt = new SimulationOptions
        {
            Detector = Tiny,
            SkySources = [new SkySource(1, ra0, dec0, SourceKind.Star, 100, 0.5), new SkySource(2, ra1, dec1, SourceKind.Star, 100, 0.5)],
            Noise = false,
            CosmicRays = false,
            HotPixels = false,
            BadColumns = false,
            Saturation = false,
        };
        SimulatedExposure e = new Simulator(opt).Simulate(0);
        SimulatedChip chip = e.Chips.Single(c => c.Sources.Count == 2);
        RenderedSource centre = chip.Sources.Single(s => s.Id == 1), corner = chip.Sources.Single(s => s.Id == 2);

        // Pixel areas from the four mapped pixel corners (shoelace on the tangent plane at the pixel).
        double Area(double x, double y)
        {
            (double ra, double dec) = chip.TrueWcs.PixelToWorld(x, y);
            (double, double)[] c = [(x - 0.5, y - 0.5), (x + 0.5, y - 0.5), (x + 0.5, y + 0.5), (x - 0.5, y + 0.5)];
            var p = c.Select(q => chip.TrueWcs.PixelToWorld(q.Item1, q.Item2)).Select(w => SkyMath.Gnomonic(ra, dec, w.Ra, w.Dec)).ToArray();
            double a = 0;
            for (int k = 0; k < 4; k++)
            {
                a += (p[k].Xi * p[(k + 1) % 4].Eta) - (p[(k + 1) % 4].Xi * p[k].Eta);
            }

            return Math.Abs(a) / 2;
        }

        double middle = Area((chip.Width - 1) / 2.0, (chip.Height - 1) / 2.0);
        double flux = 100 * e.Geometry.ExposureTime;
        double expectedCorner = flux * middle / Area(corner.X, corner.Y);
        double expectedCentre = flux * middle / Area(centre.X, centre.Y);
        Assert.True(Math.Abs((expectedCorner / expectedCentre) - 1) > 2e-3, "the test needs a pixel-area difference");
        Assert.Equal(1.0, corner.Electrons / expectedCorner, 5);
        Assert.Equal(1.0, centre.Electrons / expectedCentre, 5);
    }

    [Fact]
    public void TruthPositionsAreWhereTheLightIs()
    {
        (double ra, double dec) = OnChip2(0.7, -0.4);
        var opt = new SimulationOptions
        {
            Detector = Tiny,
            SkySources = [new SkySource(1, ra, dec, SourceKind.Star, 100, 0.5)],
            Noise = false,
            CosmicRays = false,
            HotPixels = false,
            BadColumns = false,
        };
        SimulatedExposure e = new Simulator(opt).Simulate(2);
        SimulatedChip chip = e.Chips.Single(c => c.Sources.Count == 1);
        RenderedSource s = chip.Sources[0];
        double skyLevel = e.Geometry.Filter.SkyRate * e.Geometry.ExposureTime;
        double sx = 0, sy = 0, sw = 0;
        int cx = (int)Math.Round(s.X), cy = (int)Math.Round(s.Y);
        for (int j = cy - 12; j <= cy + 12; j++)
        {
            for (int i = cx - 12; i <= cx + 12; i++)
            {
                double w = chip.Sci[(j * chip.Width) + i] - skyLevel;
                sx += w * i;
                sy += w * j;
                sw += w;
            }
        }

        Assert.Equal(s.X, sx / sw, 2);
        Assert.Equal(s.Y, sy / sw, 2);
        (double x2, double y2) = chip.TrueWcs.WorldToPixel(ra, dec);
        Assert.Equal(s.X, x2, 9);
        Assert.Equal(s.Y, y2, 9);
    }

    [Fact]
    public void CosmicRayRateFollowsExposureTimeAndArea()
    {
        var visit = new VisitPlan
        {
            Name = "v",
            Filter = FilterSpec.F606W(),
            Exposures = Enumerable.Range(0, 8).Select(i => new DitherPosition("e" + i, 1000, 0, 0)).ToArray(),
        };
        var opt = new SimulationOptions { Detector = Tiny, Visits = [visit], SkySources = [], Noise = false, HotPixels = false, BadColumns = false };
        var sim = new Simulator(opt);
        double area = Tiny.ChipWidth * Tiny.ChipHeight * Math.Pow(Tiny.PixelSizeMicrons * 1e-4, 2);
        double expectedPerChip = Tiny.CosmicRayRate * area * 1000;
        int events = 0, pixels = 0, chips = 0;
        for (int k = 0; k < sim.Exposures.Count; k++)
        {
            foreach (SimulatedChip c in sim.Simulate(k).Chips)
            {
                events += c.CosmicRayEvents;
                pixels += c.CosmicRayPixels;
                chips++;
                Assert.Equal(c.CosmicRayPixels, c.CosmicRayMask.Count(m => m != 0));
                double sky = 0.12 * 1000;
                for (int i = 0; i < c.Sci.Length; i++)
                {
                    Assert.Equal(c.CosmicRayMask[i] != 0, c.Sci[i] > sky + 0.5);
                }
            }
        }

        double expected = expectedPerChip * chips;
        Assert.InRange(events, expected - (5 * Math.Sqrt(expected)), expected + (5 * Math.Sqrt(expected)));
        double perEvent = pixels / (double)events;
        Assert.InRange(perEvent, 4, 20); // multi-pixel tracks
    }

    [Fact]
    public void DefectsAndSaturationAreFlagged()
    {
        (double ra, double dec) = OnChip2();
        var opt = new SimulationOptions
        {
            Detector = Tiny with { HotPixelFraction = 0.01, BadColumnsPerChip = 3 },
            SkySources = [new SkySource(1, ra, dec, SourceKind.Star, 20000, 0.5)],
            Noise = false,
            CosmicRays = false,
        };
        var sim = new Simulator(opt);
        SimulatedExposure e = sim.Simulate(0);
        SimulatedChip star = e.Chips.Single(c => c.Sources.Count == 1);
        Assert.True(star.Sources[0].Saturated);
        Assert.True(star.SaturatedPixels > 5);
        // the bleed trail runs along the column: flagged pixels above and below the star's row, same column
        int x = (int)Math.Round(star.Sources[0].X), y = (int)Math.Round(star.Sources[0].Y);
        Assert.True((star.Dq[((y + 2) * star.Width) + x] & SimulatedDq.Saturated) != 0);
        Assert.True((star.Dq[((y - 2) * star.Width) + x] & SimulatedDq.Saturated) != 0);
        Assert.All(Enumerable.Range(0, star.Sci.Length).Where(i => (star.Dq[i] & SimulatedDq.Saturated) != 0), i => Assert.Equal(opt.Detector.FullWell, star.Sci[i], 0));

        foreach (SimulatedChip c in e.Chips)
        {
            int hot = c.Dq.Count(d => (d & SimulatedDq.HotPixel) != 0);
            Assert.InRange(hot, 0.6 * c.HotPixels, c.HotPixels);
            var badColumns = Enumerable.Range(0, c.Width).Where(col => (c.Dq[((c.Height - 1) * c.Width) + col] & SimulatedDq.BadPixel) != 0).ToList();
            Assert.InRange(badColumns.Count, 1, 3);
        }

        // hot pixels and bad columns belong to the detector: the same in every exposure
        SimulatedExposure e2 = sim.Simulate(3);
        for (int k = 0; k < e.Chips.Count; k++)
        {
            Assert.Equal(e.Chips[k].Dq.Select(d => d & (SimulatedDq.HotPixel | SimulatedDq.BadPixel)), e2.Chips[k].Dq.Select(d => d & (SimulatedDq.HotPixel | SimulatedDq.BadPixel)));
        }
    }

    [Fact]
    public void NoiseHasTheExpectedVariance()
    {
        var opt = new SimulationOptions { Detector = Tiny, SkySources = [], CosmicRays = false, HotPixels = false, BadColumns = false };
        SimulatedExposure e = new Simulator(opt).Simulate(0);
        double sky = e.Geometry.Filter.SkyRate * e.Geometry.ExposureTime;
        float[] d = e.Chips[0].Sci;
        double mean = d.Average(v => (double)v);
        double var = d.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, sky - 0.2, sky + 0.2);
        double expectedVar = sky + (Tiny.ReadNoise * Tiny.ReadNoise);
        Assert.InRange(var / expectedVar, 0.95, 1.05);
        Assert.InRange(e.Chips[0].Err.Average(v => (double)v), Math.Sqrt(expectedVar) * 0.97, Math.Sqrt(expectedVar) * 1.03);
    }

    [Fact]
    public void RatesUnitsDivideByExposureTime()
    {
        SimulatedExposure a = new Simulator(TinyOptions()).Simulate(0);
        SimulatedExposure b = new Simulator(TinyOptions() with { Units = OutputUnits.ElectronsPerSecond }).Simulate(0);
        double t = a.Geometry.ExposureTime;
        Assert.Equal(a.Chips[0].Sci[1000] / t, b.Chips[0].Sci[1000], 3);
    }

    [Fact]
    public void InvalidOptionsThrow()
    {
        Assert.Throws<ArgumentException>(() => new Simulator(new SimulationOptions { Detector = Tiny with { ChipWidth = 4 } }));
        var bad = new VisitPlan { Name = "v", Filter = FilterSpec.F606W(), Exposures = [new DitherPosition("a", 0, 0, 0)] };
        Assert.Throws<ArgumentException>(() => new Simulator(new SimulationOptions { Visits = [bad] }));
        var dup = new VisitPlan { Name = "v", Filter = FilterSpec.F606W(), Exposures = [new DitherPosition("a", 1, 0, 0), new DitherPosition("a", 1, 0, 0)] };
        Assert.Throws<ArgumentException>(() => new Simulator(new SimulationOptions { Visits = [dup] }));
        var darkSky = new VisitPlan { Name = "v", Filter = FilterSpec.F606W() with { SkyRate = -1 }, Exposures = [new DitherPosition("a", 1, 0, 0)] };
        Assert.Throws<ArgumentException>(() => new Simulator(new SimulationOptions { Visits = [darkSky] }));
        Assert.Throws<ArgumentException>(() => new Simulator(new SimulationOptions { MaxDegreeOfParallelism = 0 }));
        Assert.Throws<ArgumentException>(() => new Simulator(new SimulationOptions { Sky = new SkyModelOptions { MinRate = 5, MaxRate = 1 } }));
    }
}
