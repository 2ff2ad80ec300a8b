using TweakDrizzle.Fits;
using TweakDrizzle.Pipeline.Alignment;
using TweakDrizzle.SourceFinder;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Pipeline.Tests;

/// <summary>Header-only loads (<see cref="ExposureLoadOptions.ReadPixels"/> false) and reading one chip's pixels later.</summary>
public sealed class HeaderOnlyLoadTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "td-headeronly-" + Guid.NewGuid().ToString("N"));

    public HeaderOnlyLoadTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Synthetic(string name, double dx, double dy, double roll = 0)
    {
        string p = Path.Combine(_dir, name);
        SyntheticExposure.Write(p, SyntheticExposure.Stars(60), (dx, dy, roll), saturate: 60000, seed: name.Length);
        return p;
    }

    private static void SameMetadata(Exposure full, Exposure head)
    {
        Assert.Equal(full.Name, head.Name);
        Assert.Equal(full.Path, head.Path);
        Assert.Equal(full.ExposureTime, head.ExposureTime);
        Assert.Equal(full.Units, head.Units);
        Assert.Equal(full.Filter, head.Filter);
        Assert.Equal(full.PrimaryHeader.Select(c => c.ToString()), head.PrimaryHeader.Select(c => c.ToString()));
        Assert.Equal(full.Chips.Count, head.Chips.Count);
        for (int c = 0; c < full.Chips.Count; c++)
        {
            Chip a = full.Chips[c], b = head.Chips[c];
            Assert.True(a.HasPixels);
            Assert.False(b.HasPixels);
            Assert.Null(b.Err);
            Assert.Null(b.Dq);
            Assert.Throws<InvalidOperationException>(() => b.Sci);
            Assert.Equal(a.Name, b.Name);
            Assert.Equal(a.ExtVer, b.ExtVer);
            Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
            Assert.Equal(a.HasErr, b.HasErr);
            Assert.Equal(a.HasDq, b.HasDq);
            Assert.Equal(a.Header.Select(k => k.ToString()), b.Header.Select(k => k.ToString()));
            Assert.Equal(a.Wcs.Distortion, b.Wcs.Distortion);
            foreach ((double x, double y) in new[] { (0.0, 0.0), (a.Width - 1.0, 0.0), (0.0, a.Height - 1.0), (a.Width / 2.3, a.Height / 1.7) })
            {
                Assert.Equal(a.Wcs.PixelToWorld(x, y), b.Wcs.PixelToWorld(x, y));
            }
        }
    }

    private static void SamePixels(Chip full, Chip read, Chip header)
    {
        Assert.True(read.HasPixels);
        Assert.Equal(full.Sci, read.Sci);
        Assert.Equal(full.Err, read.Err);
        Assert.Equal(full.Dq, read.Dq);

        // The metadata objects are the header-only chip's own (a step sees one WCS and header per chip).
        Assert.Same(header.Wcs, read.Wcs);
        Assert.Same(header.Header, read.Header);
        Assert.Equal(header.Name, read.Name);
        Assert.Equal(header.ExtVer, read.ExtVer);
    }

    [Fact]
    public void A_header_only_load_has_the_metadata_of_a_full_load_and_no_pixels()
    {
        string p = Synthetic("a.fits", 0.1, 0.2, 0.01);
        foreach (ExposureLoadOptions o in new[] { new ExposureLoadOptions(), new ExposureLoadOptions { ReadErr = false }, new ExposureLoadOptions { ReadDq = false, ExposureTime = 7 } })
        {
            Exposure full = Exposure.Load(p, o);
            Exposure head = Exposure.Load(p, o with { ReadPixels = false });
            SameMetadata(full, head);
            for (int c = 0; c < full.Chips.Count; c++)
            {
                SamePixels(full.Chips[c], head.ReadChip(c, o), head.Chips[c]);
            }
        }

        // One chip selected by an extension spec.
        Exposure one = Exposure.Load(p + "[SCI,2]", new ExposureLoadOptions { ReadPixels = false });
        Exposure oneFull = Exposure.Load(p + "[SCI,2]");
        SameMetadata(oneFull, one);
        SamePixels(oneFull.Chips[0], one.ReadChip(0), one.Chips[0]);
    }

    [Fact]
    public void A_plain_image_loads_header_only_and_reads_its_pixels_later()
    {
        var header = new FitsHeader();
        FitsWcs.CreateTan(150.0, 2.0, 16.5, 8.5, 0.4, 30.0).WriteTo(header);
        header.Set("EXPTIME", 30.0, null);
        var data = new float[32 * 16];
        data[5] = 7;
        data[511] = float.NaN;
        string path = Path.Combine(_dir, "frame_001.fits");
        FitsWriter.Write(path, [FitsWriteHdu.Empty(new FitsHeader()), FitsWriteHdu.Image(data, [32, 16], header)]);

        Exposure full = Exposure.Load(path);
        Exposure head = Exposure.Load(path, new ExposureLoadOptions { ReadPixels = false });
        SameMetadata(full, head);
        SamePixels(full.Chips[0], head.ReadChip(0), head.Chips[0]);
        Assert.Equal(full.Chips[0].GoodPixels(DqBits.AllBad), head.ReadChip(0).GoodPixels(DqBits.AllBad));
    }

    [Fact]
    public void Reading_a_chip_checks_its_index_and_where_the_pixels_come_from()
    {
        string p = Synthetic("a.fits", 0, 0);
        Exposure full = Exposure.Load(p);
        Assert.Same(full.Chips[1], full.ReadChip(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => full.ReadChip(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => full.ReadChip(-1));

        // A file that lost its pixels' shape since the header-only load.
        Exposure head = Exposure.Load(p, new ExposureLoadOptions { ReadPixels = false });
        var h = new FitsHeader();
        FitsWcs.CreateTan(150.0, 2.0, 5.5, 5.5, 0.05, 0).WriteTo(h);
        FitsWriter.Write(p, [FitsWriteHdu.Empty(new FitsHeader()), FitsWriteHdu.Image(new float[100], [10, 10], h)]);
        Assert.Throws<ExposureException>(() => head.ReadChip(0));
    }

    [Fact]
    public void Combining_header_only_exposures_in_memory_reads_their_pixels_from_the_files()
    {
        string a = Synthetic("a.fits", 0, 0);
        string b = Synthetic("bb.fits", 0.3, -0.2, 0.01);
        var options = new Combine.AstroDrizzleOptions { OutputFolder = _dir, Output = "mem", DrizCr = false, NumCores = 1 };
        var full = Combine.AstroDrizzle.Run([Exposure.Load(a), Exposure.Load(b)], options);
        float[] sci = full.Sci;
        var head = Combine.AstroDrizzle.Run(
            [Exposure.Load(a, new ExposureLoadOptions { ReadPixels = false }), Exposure.Load(b, new ExposureLoadOptions { ReadPixels = false })],
            options with { Output = "head" });
        Assert.Equal(sci, head.Sci);
        Assert.Equal(full.Wht, head.Wht);
    }

    [Fact]
    public void The_drizzle_advisor_gives_the_same_advice_for_header_only_exposures()
    {
        string a = Synthetic("a.fits", 0, 0);
        string b = Synthetic("bb.fits", 0.3, -0.2, 0.01);
        var head = new ExposureLoadOptions { ReadPixels = false };
        Combine.DrizzleAdvice full = Combine.DrizzleAdvisor.Advise([Exposure.Load(a), Exposure.Load(b)], numCores: 1);
        Combine.DrizzleAdvice fromFiles = Combine.DrizzleAdvisor.Advise([Exposure.Load(a, head), Exposure.Load(b, head)], numCores: 1);
        Assert.Equal(full with { Trials = [] }, fromFiles with { Trials = [] });
        Assert.Equal(full.Trials, fromFiles.Trials);
    }

    [Fact]
    public void TweakReg_catalogs_are_those_of_the_fully_loaded_chips_whatever_the_core_count()
    {
        string a = Synthetic("a.fits", 0, 0);
        string b = Synthetic("bb.fits", 0.3, -0.2, 0.01);
        string c = Synthetic("ccc.fits", -0.2, 0.1, -0.01);
        var options = new TweakRegOptions { ConvWidth = 4.0, NumCores = 1 };
        TweakRegResult one = TweakRegRun.Run([a, b, c], options);
        TweakRegResult three = TweakRegRun.Run([a, b, c], options with { NumCores = 3 });

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(one.Images[i].Status, three.Images[i].Status);
            Assert.Equal(one.Images[i].SourceIds, three.Images[i].SourceIds);
            for (int k = 0; k < 2; k++)
            {
                Assert.Equal(one.Images[i].Wcs[k].PixelToWorld(10, 20), three.Images[i].Wcs[k].PixelToWorld(10, 20));
            }
        }

        // The refined detector (TweakReg's default) run by hand on every chip of a full load: the same sources.
        foreach ((string path, TweakRegImage image) in new[] { a, b, c }.Zip(one.Images))
        {
            Exposure e = Exposure.Load(path, new ExposureLoadOptions { ReadErr = false });
            Assert.Equal(e.Chips.Count, image.ChipCatalogs.Count);
            for (int k = 0; k < e.Chips.Count; k++)
            {
                Chip chip = e.Chips[k];
                bool[] bad = Array.ConvertAll(chip.GoodPixels(options.DqBits), g => !g);
                double saturate = chip.Header.TryGetDouble("SATURATE", out double s) ? s : e.PrimaryHeader.GetDouble("SATURATE", double.NaN);
                SourceCatalog found = new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = options.ConvWidth / 2.0, NSigma = options.Threshold, DataMax = saturate })
                    .Find(new DetectionImage(chip.Sci, chip.Width, chip.Height, bad));
                var kept = found.Sources.Where(q => (q.Flags & (SourceQuality.FitFailed | SourceQuality.Saturated)) == 0 && double.IsFinite(q.X) && double.IsFinite(q.Y)).ToList();
                Assert.True(kept.Count > 10);
                Assert.Equal(kept.Select(q => q.X).ToArray(), image.ChipCatalogs[k].X.ToArray());
                Assert.Equal(kept.Select(q => q.Y).ToArray(), image.ChipCatalogs[k].Y.ToArray());
            }
        }
    }
}
