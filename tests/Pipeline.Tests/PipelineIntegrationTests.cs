using TweakDrizzle.Fits;
using TweakDrizzle.Pipeline.Alignment;
using TweakDrizzle.Pipeline.Combine;
using TweakDrizzle.Simulation;
using PSkySource = TweakDrizzle.Pipeline.Alignment.SkySource;

namespace TweakDrizzle.Pipeline.Tests;

/// <summary>End to end on a tiny simulated data set: simulate, align, drizzle with CR rejection, check against the truth.</summary>
public sealed class PipelineIntegrationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tdpipe-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    internal static SimulationOptions TinyOptions(int exposures = 4)
    {
        var detector = new DetectorModel { ChipWidth = 256, ChipHeight = 128, GapPixels = 8, DistortionPixels = 1.5 };
        (double, double)[] offsets = [(0.0, 0.0), (0.0665, 0.1886), (0.1827, 0.0813), (0.41, 0.93)];
        var visit = new VisitPlan
        {
            Name = "j8ny01",
            Filter = FilterSpec.F606W(),
            OrientationDeg = 30,
            Exposures = Enumerable.Range(0, exposures).Select(i => new DitherPosition($"tiny0{i}q", 400, offsets[i].Item1, offsets[i].Item2)).ToArray(),
        };
        return new SimulationOptions { Seed = 7, Detector = detector, Visits = [visit], MaxDegreeOfParallelism = 2 };
    }

    [Fact]
    public void Simulated_set_is_aligned_and_drizzled_with_cosmic_rays_rejected()
    {
        var sim = new Simulator(TinyOptions());
        SimulatedDataSet data = DataSetWriter.Write(sim, _dir);
        var refcat = sim.Sky.Sources.Where(s => s.Kind == SourceKind.Star && s.RateIn(sim.Visits[0].Filter) > 2)
            .Select(s => new PSkySource(s.Ra, s.Dec, s.Rate)).ToList();
        TweakRegResult aligned = TweakRegRun.Run(data.Files, new TweakRegOptions { ConvWidth = 4.0, RefCatalog = refcat, ExpandRefCat = true, UpdateHeader = true, NumCores = 2 });
        Assert.All(aligned.Images, a => Assert.True(a.Status == TweakRegStatus.Aligned, a.Message));
        Assert.True(aligned.HeadersUpdated);

        // The corrected WCS of every chip, read back from the updated files, agrees with the true WCS to a few mas at the chip centre.
        var exposures = data.Files.Select(f => Exposure.Load(f)).ToList();
        for (int e = 0; e < exposures.Count; e++)
        {
            for (int c = 0; c < 2; c++)
            {
                TanSipModel truth = sim.Exposures[e].TrueWcs[c];
                (double ra, double dec) = truth.PixelToWorld(128, 64);
                (double x, double y) = exposures[e].Chips[c].Wcs.WorldToPixel(ra, dec);
                double errMas = Math.Sqrt(((x - 128) * (x - 128)) + ((y - 64) * (y - 64))) * 50;
                Assert.True(errMas < 10, $"exposure {e} chip {c}: {errMas:0.0} mas");
            }
        }

        // The header update keeps the old WCS under an alternate key.
        FitsHeader h = FitsFile.ReadHeader(data.Files[1] + "[SCI,1]");
        Assert.Equal("TWEAK", h.GetString("WCSNAME").Trim());
        Assert.True(h.Contains("CRVAL1A"));

        var log = new List<string>();
        AstroDrizzleResult r = AstroDrizzle.Run(exposures, new AstroDrizzleOptions
        {
            Output = "tiny",
            OutputFolder = _dir,
            FinalScale = 0.03,
            FinalRot = 0,
            FinalPixfrac = 0.8,
            NumCores = 2,
            Log = log.Add,
        });
        Assert.EndsWith("tiny_drc.fits", r.ProductPath, StringComparison.Ordinal);
        Assert.Equal(0.03, r.Grid.ScaleArcsec, 9);
        Assert.Equal(0.0, r.Grid.Orientation, 9);

        using (FitsFile product = FitsFile.Open(r.ProductPath))
        {
            Assert.Equal(8, product.Hdus[0].Header.GetInt64("NDRIZIM"));
            Assert.Equal(1600.0, product.Hdus[0].Header.GetDouble("EXPTIME"), 9);
            Assert.Equal(0.03, product.Hdus[0].Header.GetDouble("D001SCAL"), 9);
            Assert.Equal("square", product.Hdus[0].Header.GetString("D001KERN").Trim());
            Assert.Equal(-32, product.Find("SCI")!.Bitpix);
            Assert.Equal(-32, product.Find("WHT")!.Bitpix);
            Assert.Equal(32, product.Find("CTX")!.Bitpix);
        }

        // Most injected cosmic-ray pixels with a significant charge are flagged or DQ-rejected.
        long injected = 0, found = 0;
        foreach (ChipReport c in r.Chips)
        {
            string root = c.Exposure;
            using FitsFile crFile = FitsFile.Open(Path.Combine(_dir, "truth", root + "_crmask.fits"));
            byte[] truth = crFile.Find("CRMASK", c.ExtVer)!.ReadImage<byte>().Data;
            bool[] mask = c.CosmicRayMask()!;
            for (int k = 0; k < truth.Length; k++)
            {
                if (truth[k] != 0)
                {
                    injected++;
                    found += mask[k] ? 1 : 0;
                }
            }
        }

        Assert.True(injected > 100, $"only {injected} CR pixels injected");
        Assert.True(found > 0.6 * injected, $"{found} of {injected} CR pixels flagged");
        Assert.True(r.Chips.Sum(c => c.CosmicRayPixels) < 0.05 * r.Chips.Count * 256 * 128, "far too many pixels flagged");
    }

    [Fact]
    public void One_exposure_skips_cosmic_ray_rejection_with_a_message()
    {
        var sim = new Simulator(TinyOptions(1));
        SimulatedDataSet data = DataSetWriter.Write(sim, _dir, new DataSetWriteOptions { CosmicRayMasks = false, SourceLists = false });
        AstroDrizzleResult r = AstroDrizzle.Run(data.Files, new AstroDrizzleOptions { Output = "one", OutputFolder = _dir, NumCores = 2 });
        Assert.Contains(r.Messages, m => m.Contains("cosmic-ray rejection", StringComparison.Ordinal));
        Assert.Equal(0, r.CosmicRayPixels);
        Assert.True(File.Exists(r.ProductPath));
    }

    [Fact]
    public void Update_input_dq_flags_exactly_the_cosmic_ray_pixels_with_4096()
    {
        var sim = new Simulator(TinyOptions(3) with { MaxPointingErrorArcsec = 0 });
        SimulatedDataSet data = DataSetWriter.Write(sim, _dir, new DataSetWriteOptions { CosmicRayMasks = false, SourceLists = false });
        short[] before = FitsFile.ReadImage<short>(data.Files[0] + "[DQ,1]").Data;
        AstroDrizzleResult r = AstroDrizzle.Run(data.Files, new AstroDrizzleOptions { Output = "dq", OutputFolder = _dir, UpdateInputDq = true, NumCores = 2 });
        short[] after = FitsFile.ReadImage<short>(data.Files[0] + "[DQ,1]").Data;
        bool[] cr = r.Chips.First(c => c.ExtVer == 1 && c.Exposure == sim.Exposures[0].Rootname).CosmicRayMask()!;
        Assert.Contains(true, cr);
        for (int k = 0; k < before.Length; k++)
        {
            Assert.Equal(cr[k] ? (short)(before[k] | 4096) : before[k], after[k]);
        }

        float[] sci = FitsFile.ReadImage<float>(data.Files[0] + "[SCI,1]").Data;
        Assert.Equal(sim.Simulate(0).Chips[0].Sci, sci);
    }
}
