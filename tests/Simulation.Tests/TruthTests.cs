using TweakDrizzle.Simulation;

namespace TweakDrizzle.Simulation.Tests;

public sealed class TruthTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "td-sim-truth-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void TruthRoundTripsThroughJsonAndCsv()
    {
        var sim = new Simulator(SimulationOptions.Demo(5));
        var truth = new SimulationTruth
        {
            Seed = 5,
            Units = OutputUnits.Electrons,
            PixelScaleArcsec = 0.05,
            Filters = sim.Visits.Select(v => FilterTruth.From(v.Filter)).ToList(),
            Sources = sim.Sky.Sources,
            Exposures = sim.Exposures.Select(g => new ExposureTruth(
                g.Rootname, g.Rootname + "_flc.fits", g.Visit.Name, g.Filter.Name, g.ExposureTime, g.Dither.PostArg1, g.Dither.PostArg2,
                g.NominalPointing, g.TruePointing,
                g.TrueWcs.Select((w, i) => new ChipTruth(i + 1, g.HeaderWcs[i], w, 10, 20, 30, 40, 50)).ToList())).ToList(),
        };
        truth.Write(Path.Combine(_dir, SimulationTruth.FolderName));
        SimulationTruth back = SimulationTruth.Load(_dir);
        Assert.Equal(truth.Sources, back.Sources);
        Assert.Equal(truth.Filters, back.Filters);
        Assert.Equal(12, back.Exposures.Count);
        for (int k = 0; k < 12; k++)
        {
            ExposureTruth a = truth.Exposures[k], b = back.Exposures[k];
            Assert.Equal(a.Rootname, b.Rootname);
            Assert.Equal(a.TruePointing, b.TruePointing);
            for (int c = 0; c < 2; c++)
            {
                TanSipModel wa = a.Chips[c].TrueWcs, wb = b.Chips[c].TrueWcs;
                Assert.Equal(wa.PixelToWorld(100.5, 200.25), wb.PixelToWorld(100.5, 200.25));
                Assert.Equal(wa.Sip, wb.Sip);
                Assert.Equal(a.Chips[c].HeaderWcs.GetCd(), b.Chips[c].HeaderWcs.GetCd());
            }
        }

        string header = File.ReadLines(Path.Combine(_dir, "truth", "catalog.csv")).First();
        Assert.EndsWith(",rate_F606W,rate_F814W", header);
    }

    [Fact]
    public void MissingTruthIsAnInvalidDataException()
    {
        Directory.CreateDirectory(_dir);
        Assert.Throws<InvalidDataException>(() => SimulationTruth.Load(_dir));
    }
}
