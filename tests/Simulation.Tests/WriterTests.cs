using TweakDrizzle.Fits;
using TweakDrizzle.Simulation;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Simulation.Tests;

public sealed class WriterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "td-sim-write-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static SimulationOptions Options() => new() { Seed = 21, Detector = SimulatorTests.Tiny };

    [Fact]
    public void WrittenDataSetHasHstLayoutAndReadsBackBitForBit()
    {
        var sim = new Simulator(Options());
        var progress = new List<string>();
        SimulatedDataSet ds = DataSetWriter.Write(sim, _dir, new DataSetWriteOptions { Progress = new SyncProgress(progress) });
        Assert.Equal(12, ds.Files.Count);
        Assert.All(ds.Files, f => Assert.EndsWith("_flc.fits", f));
        Assert.Contains(Path.Combine(_dir, "j8ny01svq_flc.fits"), ds.Files);
        Assert.Equal(13, progress.Count);

        SimulatedExposure mem = sim.Simulate(7);
        using FitsFile file = FitsFile.Open(Path.Combine(_dir, mem.Geometry.Rootname + "_flc.fits"));
        Assert.Equal(7, file.Hdus.Count);
        FitsHeader p = file.Hdus[0].Header;
        Assert.Equal(0, p.GetInt64("NAXIS"));
        Assert.Equal(mem.Geometry.ExposureTime, p.GetDouble("EXPTIME"));
        Assert.Equal("F814W", p.GetString("FILTER1"));
        Assert.Equal(mem.Geometry.Rootname, p.GetString("ROOTNAME"));
        Assert.Equal(6, p.GetInt64("NEXTEND"));
        string[] names = ["SCI", "ERR", "DQ", "SCI", "ERR", "DQ"];
        int[] bitpix = [-32, -32, 16, -32, -32, 16];
        for (int i = 1; i <= 6; i++)
        {
            FitsHdu h = file.Hdus[i];
            Assert.Equal(names[i - 1], h.ExtName);
            Assert.Equal(((i - 1) / 3) + 1, h.ExtVer);
            Assert.Equal(bitpix[i - 1], h.Bitpix);
            Assert.Equal([SimulatorTests.Tiny.ChipWidth, SimulatorTests.Tiny.ChipHeight], h.Shape);
        }

        for (int c = 0; c < 2; c++)
        {
            FitsHdu sci = file.Find("SCI", c + 1)!;
            Assert.Equal("ELECTRONS", sci.Header.GetString("BUNIT"));
            Assert.Equal(mem.Chips[c].Sci, sci.ReadImage<float>().Data);
            Assert.Equal(mem.Chips[c].Err, file.Find("ERR", c + 1)!.ReadImage<float>().Data);
            Assert.Equal(mem.Chips[c].Dq, file.Find("DQ", c + 1)!.ReadImage<short>().Data);
        }

        SimulationTruth truth = SimulationTruth.Load(_dir);
        Assert.Equal(sim.Sky.Sources.Count, truth.Sources.Count);
        Assert.Equal(mem.Chips[1].CosmicRayPixels, truth.Exposures[7].Chips[1].CosmicRayPixels);
        using FitsFile crm = FitsFile.Open(Path.Combine(_dir, "truth", mem.Geometry.Rootname + "_crmask.fits"));
        Assert.Equal(mem.Chips[0].CosmicRayMask, crm.Find("CRMASK", 1)!.ReadImage<byte>().Data);
        string[] lines = File.ReadAllLines(Path.Combine(_dir, "truth", mem.Geometry.Rootname + "_sources.csv"));
        Assert.Equal("extver,id,kind,x,y,electrons,saturated", lines[0]);
        Assert.Equal(mem.Chips.Sum(ch => ch.Sources.Count) + 1, lines.Length);
    }

    [Fact]
    public void HeaderWcsReadByTheWcsModuleMatchesTheSimulatorsModel()
    {
        var sim = new Simulator(Options() with { Detector = DetectorModel.AcsWfcLike with { ChipWidth = 4096, ChipHeight = 2048 } });
        ExposureGeometry g = sim.Exposures[3];
        for (int c = 0; c < 2; c++)
        {
            var header = new FitsHeader();
            foreach (WcsCard card in g.TrueWcs[c].ToHeaderCards("TRUE"))
            {
                header.Set(card.Key, card.Value, card.Comment);
            }

            FitsWcs w = FitsWcs.FromHeader(header);
            foreach ((double x, double y) in new[] { (0.0, 0.0), (4095.0, 2047.0), (1234.5, 987.25), (4095.0, 0.0) })
            {
                (double ra1, double dec1) = g.TrueWcs[c].PixelToWorld(x, y);
                (double ra2, double dec2) = w.PixelToWorld(x, y);
                Assert.True(SkyMath.Separation(ra1, dec1, ra2, dec2) * 3600 < 1e-7, $"pixel ({x}, {y})");
                (double x2, double y2) = w.WorldToPixel(ra1, dec1);
                Assert.Equal(x, x2, 6);
                Assert.Equal(y, y2, 6);
            }
        }
    }

    [Fact]
    public void RatesAreWrittenAsElectronsPerSecond()
    {
        var visit = new VisitPlan { Name = "v1", Filter = FilterSpec.F606W(1.6), Exposures = [new DitherPosition("abc01", 100, 0, 0)] };
        var sim = new Simulator(Options() with { Units = OutputUnits.ElectronsPerSecond, Visits = [visit] });
        SimulatedDataSet ds = DataSetWriter.Write(sim, _dir, new DataSetWriteOptions { CosmicRayMasks = false, SourceLists = false });
        using FitsFile file = FitsFile.Open(ds.Files.Single());
        Assert.Equal("ELECTRONS/S", file.Find("SCI", 1)!.Header.GetString("BUNIT"));
        Assert.False(File.Exists(Path.Combine(_dir, "truth", "abc01_crmask.fits")));
        Assert.Equal(OutputUnits.ElectronsPerSecond, SimulationTruth.Load(_dir).Units);
    }

    [Fact]
    public void WritingTwiceGivesIdenticalBytes()
    {
        var visit = new VisitPlan { Name = "v1", Filter = FilterSpec.F814W(), Exposures = [new DitherPosition("abc03", 80, 0.1, 0.2)] };
        SimulationOptions o = Options() with { Visits = [visit] };
        string a = Path.Combine(_dir, "a"), b = Path.Combine(_dir, "b");
        DataSetWriter.Write(new Simulator(o with { MaxDegreeOfParallelism = 1 }), a);
        DataSetWriter.Write(new Simulator(o), b);
        foreach (string rel in new[] { "abc03_flc.fits", "truth/truth.json", "truth/catalog.csv", "truth/abc03_sources.csv", "truth/abc03_crmask.fits" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, rel)), File.ReadAllBytes(Path.Combine(b, rel)));
        }
    }

    [Fact]
    public void TrueWcsCanBeWrittenAsAnAlternateWcs()
    {
        var visit = new VisitPlan { Name = "v1", Filter = FilterSpec.F606W(), Exposures = [new DitherPosition("abc02", 50, 0, 0)] };
        var sim = new Simulator(Options() with { Visits = [visit] });
        SimulatedDataSet ds = DataSetWriter.Write(sim, _dir, new DataSetWriteOptions { TrueWcsKey = 'T' });
        using FitsFile file = FitsFile.Open(ds.Files[0]);
        FitsHeader h = file.Find("SCI", 2)!.Header;
        FitsWcs header = FitsWcs.FromHeader(h);
        FitsWcs truthWcs = FitsWcs.FromHeader(h, 'T');
        Assert.Equal("TRUTH", truthWcs.Name);
        TanSipModel expected = ds.Truth.Exposures[0].Chips[1].TrueWcs;
        (double ra, double dec) = truthWcs.PixelToWorld(10, 20);
        (double ra2, double dec2) = expected.PixelToWorld(10, 20);
        Assert.True(SkyMath.Separation(ra, dec, ra2, dec2) * 3600 < 1e-7);
        (double ra3, double dec3) = header.PixelToWorld(10, 20);
        Assert.True(SkyMath.Separation(ra, dec, ra3, dec3) * 3600 < 0.5 + (0.02 * 3600 * Math.PI / 180 * 30 * 0.05) + 0.01);
        Assert.Throws<ArgumentOutOfRangeException>(() => expected.ToHeaderCards(null, '1'));
    }

    private sealed class SyncProgress(List<string> sink) : IProgress<string>
    {
        public void Report(string value) => sink.Add(value);
    }
}
