using TweakDrizzle.Fits;
using TweakDrizzle.Pipeline;
using TweakDrizzle.Simulation;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Pipeline.Tests;

public sealed class ExposureTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "td-exposure-" + Guid.NewGuid().ToString("N"));

    public ExposureTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly DetectorModel Tiny = DetectorModel.Small with { ChipWidth = 200, ChipHeight = 100, GapPixels = 8 };

    [Fact]
    public void LoadsAnHstStyleMultiExtensionFile()
    {
        var visit = new VisitPlan { Name = "j8ny01", Filter = FilterSpec.F606W(), Exposures = [new DitherPosition("j8ny01abq", 250, 0, 0)] };
        var sim = new Simulator(new SimulationOptions { Seed = 2, Detector = Tiny, Visits = [visit] });
        SimulatedDataSet ds = DataSetWriter.Write(sim, _dir);
        SimulatedExposure mem = sim.Simulate(0);

        Exposure e = Exposure.Load(ds.Files[0]);
        Assert.Equal("j8ny01abq", e.Name);
        Assert.Equal(250, e.ExposureTime);
        Assert.Equal(DataUnits.Counts, e.Units);
        Assert.Equal("F606W", e.Filter);
        Assert.Equal(2, e.Chips.Count);
        for (int c = 0; c < 2; c++)
        {
            Chip chip = e.Chips[c];
            Assert.Equal(c + 1, chip.ExtVer);
            Assert.Equal("j8ny01abq_flc.fits[SCI," + (c + 1) + "]", chip.Name);
            Assert.Equal((200, 100), (chip.Width, chip.Height));
            Assert.Equal(mem.Chips[c].Sci, chip.Sci);
            Assert.Equal(mem.Chips[c].Err, chip.Err);
            Assert.Equal(mem.Chips[c].Dq.Select(d => (uint)(ushort)d), chip.Dq!);
            Assert.Equal(DistortionKind.Sip, chip.Wcs.Distortion);
            (double ra, double dec) = chip.Wcs.PixelToWorld(150.5, 20.25);
            (double ra2, double dec2) = mem.Chips[c].HeaderWcs.PixelToWorld(150.5, 20.25);
            Assert.True(SkyMath.Separation(ra, dec, ra2, dec2) * 3600 < 1e-7);
        }

        Exposure one = Exposure.Load(ds.Files[0] + "[sci,2]");
        Chip only = Assert.Single(one.Chips);
        Assert.Equal(2, only.ExtVer);
        Assert.Equal("j8ny01abq_flc.fits[SCI,2]", only.Name);
        Assert.Equal(mem.Chips[1].Sci, only.Sci);
        Assert.NotNull(only.Dq);
        Assert.Throws<FitsException>(() => Exposure.Load(ds.Files[0] + "[SCI,3]"));

        Exposure noDq = Exposure.Load(ds.Files[0], new ExposureLoadOptions { ReadDq = false, ReadErr = false, ExposureTime = 10 });
        Assert.Null(noDq.Chips[0].Dq);
        Assert.Null(noDq.Chips[0].Err);
        Assert.Equal(10, noDq.ExposureTime);
    }

    [Fact]
    public void LoadsAPlainSingleImageWithAWcs()
    {
        var header = new FitsHeader();
        FitsWcs.CreateTan(150.0, 2.0, 16.5, 8.5, 0.4, 30.0).WriteTo(header);
        header.Set("EXPTIME", 30.0, null);
        header.Set("BUNIT", "ADU/s", null);
        header.Set("FILTER", "Ha", null);
        var data = new float[32 * 16];
        data[5] = 7;
        string path = Path.Combine(_dir, "frame_001.fits");
        FitsWriter.Write(path, [FitsWriteHdu.Image(data, [32, 16], header)]);

        Exposure e = Exposure.Load(path);
        Assert.Equal("frame_001", e.Name);
        Assert.Equal(DataUnits.CountRate, e.Units);
        Assert.Equal("Ha", e.Filter);
        Chip chip = Assert.Single(e.Chips);
        Assert.Equal(1, chip.ExtVer);
        Assert.Equal(7, chip.Sci[5]);
        Assert.Null(chip.Dq);
        Assert.Equal(0.4, chip.Wcs.PixelScale(16, 8), 6);
        Assert.All(chip.GoodPixels(DqBits.AllBad), Assert.True);
    }

    [Fact]
    public void MissingExposureTimeDefaultsToOneSecond()
    {
        var header = new FitsHeader();
        FitsWcs.CreateTan(10.0, -5.0, 4.5, 4.5, 1.0, 0.0).WriteTo(header);
        string path = Path.Combine(_dir, "noexp.fits.gz.fits");
        FitsWriter.Write(path, [FitsWriteHdu.Image(new float[64], [8, 8], header)]);
        Exposure e = Exposure.Load(path);
        Assert.Equal(1.0, e.ExposureTime);
        Assert.Equal(DataUnits.Counts, e.Units);
        Assert.Equal("noexp.fits.gz", e.Name);
    }

    [Fact]
    public void AnImageWithoutWcsIsAnExposureException()
    {
        string path = Path.Combine(_dir, "nowcs.fits");
        FitsWriter.Write(path, [FitsWriteHdu.Image(new float[16], [4, 4])]);
        ExposureException ex = Assert.Throws<ExposureException>(() => Exposure.Load(path));
        Assert.Contains("nowcs.fits", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void MismatchedErrShapeIsAnExposureException()
    {
        var header = new FitsHeader();
        FitsWcs.CreateTan(10.0, -5.0, 4.5, 4.5, 1.0, 0.0).WriteTo(header);
        string path = Path.Combine(_dir, "bad_flc.fits");
        FitsWriter.Write(path,
        [
            FitsWriteHdu.Empty(),
            FitsWriteHdu.Image(new float[64], [8, 8], header).Named("SCI", 1),
            FitsWriteHdu.Image(new float[63], [9, 7]).Named("ERR", 1),
        ]);
        ExposureException ex = Assert.Throws<ExposureException>(() => Exposure.Load(path));
        Assert.Contains("[ERR,1]", ex.Message);
    }

    [Fact]
    public void DqOfEveryIntegerTypeIsReadAsItsBitPattern()
    {
        var header = new FitsHeader();
        FitsWcs.CreateTan(10.0, -5.0, 2.5, 1.5, 1.0, 0.0).WriteTo(header);
        string path = Path.Combine(_dir, "dq_flc.fits");
        FitsWriter.Write(path,
        [
            FitsWriteHdu.Empty(),
            FitsWriteHdu.Image(new float[8], [4, 2], header).Named("SCI", 1),
            FitsWriteHdu.Image(new short[] { 0, -32768, 4, 16, 256, 0, 0, 1 }, [4, 2]).Named("DQ", 1),
            FitsWriteHdu.Image(new float[8], [4, 2], header).Named("SCI", 2),
            FitsWriteHdu.Image(new uint[] { 0, 0x80000000, 4, 0, 0, 0, 0, 4096 }, [4, 2]).Named("DQ", 2),
        ]);
        Exposure e = Exposure.Load(path);
        Assert.Equal([0u, 0x8000u, 4, 16, 256, 0, 0, 1], e.Chips[0].Dq!);
        Assert.Equal([0u, 0x80000000u, 4, 0, 0, 0, 0, 4096], e.Chips[1].Dq!);
        bool[] good = e.Chips[1].GoodPixels(DqBits.Parse("~4096"));
        Assert.Equal([true, true, true, true, true, true, true, false], good);
    }

    [Fact]
    public void NonFiniteSciencePixelsAreNeverGood()
    {
        var header = new FitsHeader();
        FitsWcs.CreateTan(10.0, -5.0, 2.5, 1.5, 1.0, 0.0).WriteTo(header);
        var chip = new Chip("c", 1, 2, 2, [1f, float.NaN, float.PositiveInfinity, 2f], null, [0u, 0u, 0u, 4u], FitsWcs.FromHeader(header), header);
        Assert.Equal([true, false, false, true], chip.GoodPixels(DqBits.Parse("4")));
        Assert.Equal([true, false, false, false], chip.GoodPixels(DqBits.AllBad));
        Assert.Throws<ExposureException>(() => new Chip("c", 1, 2, 2, new float[3], null, null, FitsWcs.FromHeader(header), header));
        Assert.Throws<ExposureException>(() => new Exposure("e", null, 0, DataUnits.Counts, [chip]));
    }

    [Theory]
    [InlineData("ELECTRONS", DataUnits.Counts)]
    [InlineData("electrons/s", DataUnits.CountRate)]
    [InlineData("COUNTS/S", DataUnits.CountRate)]
    [InlineData("DN / SEC", DataUnits.CountRate)]
    [InlineData("e-.s-1", DataUnits.CountRate)]
    [InlineData("ADU", DataUnits.Counts)]
    [InlineData(null, DataUnits.Counts)]
    public void UnitsFollowBunit(string? bunit, DataUnits expected)
    {
        Assert.Equal(expected, Exposure.ParseUnits(bunit));
    }
}
