using TweakDrizzle.Fits;
using TweakDrizzle.Pipeline.Combine;
using TweakDrizzle.Simulation;

namespace TweakDrizzle.Pipeline.Tests;

/// <summary>The streamed combination: tiles, median bands, scratch files and chips read from disk.</summary>
public sealed class BoundedMemoryTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tdbounded-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    private SimulatedDataSet Write(int exposures)
    {
        var sim = new Simulator(PipelineIntegrationTests.TinyOptions(exposures) with { MaxPointingErrorArcsec = 0 });
        return DataSetWriter.Write(sim, _dir, new DataSetWriteOptions { CosmicRayMasks = false, SourceLists = false });
    }

    private static byte[] DataOf(string path, bool withErr = false)
    {
        // Every HDU's data, without the headers (which name the file); ERR too when it must be there.
        using FitsFile f = FitsFile.Open(path);
        Assert.Equal(withErr, f.Find("ERR") is not null);
        var all = new List<byte>();
        all.AddRange(System.Runtime.InteropServices.MemoryMarshal.AsBytes(f.Find("SCI")!.ReadImage<float>().Data.AsSpan()).ToArray());
        all.AddRange(System.Runtime.InteropServices.MemoryMarshal.AsBytes(f.Find("WHT")!.ReadImage<float>().Data.AsSpan()).ToArray());
        all.AddRange(System.Runtime.InteropServices.MemoryMarshal.AsBytes(f.Find("CTX")!.ReadImage<int>().Data.AsSpan()).ToArray());
        if (withErr)
        {
            all.AddRange(System.Runtime.InteropServices.MemoryMarshal.AsBytes(f.Find("ERR")!.ReadImage<float>().Data.AsSpan()).ToArray());
        }

        return [.. all];
    }

    [Theory]
    [InlineData("square", false)]
    [InlineData("square", true)]
    [InlineData("turbo", false)]
    [InlineData("lanczos3", false)]
    [InlineData("lanczos3", true)]
    public void Product_is_bit_identical_for_any_tile_height_and_median_band(string kernel, bool finalErr)
    {
        SimulatedDataSet data = Write(4);
        var o = new AstroDrizzleOptions
        {
            OutputFolder = _dir,
            FinalScale = 0.03,
            FinalRot = 0,
            FinalPixfrac = 0.6,
            FinalKernel = TweakDrizzle.Resample.DrizzleKernels.Parse(kernel),
            FinalFillval = TweakDrizzle.Resample.FillValue.Of(-1),
            FinalErr = finalErr,
            NumCores = 2,
        };
        AstroDrizzleResult one = AstroDrizzle.Run(data.Files, o with { Output = "one" });
        AstroDrizzleResult tiled = AstroDrizzle.Run(data.Files, o with { Output = "tiled", TileRows = 37 });
        AstroDrizzleResult banded = AstroDrizzle.Run(data.Files, o with { Output = "banded", MaxMemoryMB = 1, NumCores = 1 });
        Assert.Equal(1, one.Tiles);
        Assert.True(tiled.Tiles > 5, $"{tiled.Tiles} tiles");
        Assert.True(banded.Tiles > 1, $"{banded.Tiles} tiles");
        byte[] expected = DataOf(one.ProductPath, finalErr);
        Assert.Equal(expected, DataOf(tiled.ProductPath, finalErr));
        Assert.Equal(expected, DataOf(banded.ProductPath, finalErr));
        if (finalErr)
        {
            // The ERR extension changes nothing else: SCI, WHT and CTX are those of a run without it (the variance
            // co-add takes the scalar deposit path, which must give the vector path's bits).
            AstroDrizzleResult plain = AstroDrizzle.Run(data.Files, o with { Output = "plain", FinalErr = false });
            Assert.Equal(DataOf(plain.ProductPath), DataOf(one.ProductPath, true)[..DataOf(plain.ProductPath).Length]);
        }
        Assert.Equal(one.CosmicRayPixels, banded.CosmicRayPixels);
        Assert.True(one.CosmicRayPixels > 0);
        Assert.Contains(one.Wht, w => w > 0);
    }

    [Fact]
    public void Files_and_in_memory_exposures_give_the_same_product_and_scratch_files_are_removed()
    {
        SimulatedDataSet data = Write(3);
        var o = new AstroDrizzleOptions { OutputFolder = _dir, FinalPixfrac = 0.8, NumCores = 2, TileRows = 50 };
        AstroDrizzleResult fromFiles = AstroDrizzle.Run(data.Files, o with { Output = "files" });
        AstroDrizzleResult fromMemory = AstroDrizzle.Run(data.Files.Select(f => Exposure.Load(f)).ToList(), o with { Output = "memory" });
        Assert.Equal(DataOf(fromFiles.ProductPath), DataOf(fromMemory.ProductPath));
        Assert.Empty(Directory.GetDirectories(_dir, ".*scratch*"));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void Intermediates_cover_each_exposure_window_and_the_full_median()
    {
        SimulatedDataSet data = Write(3);
        AstroDrizzleResult r = AstroDrizzle.Run(data.Files, new AstroDrizzleOptions { Output = "mid", OutputFolder = _dir, WriteIntermediates = true, NumCores = 2 });
        string median = Path.Combine(_dir, "mid_med.fits");
        Assert.Contains(Path.GetFullPath(median), r.Files);
        using FitsFile m = FitsFile.Open(median);
        Assert.True(m.Hdus[0].Width > 256 && m.Hdus[0].Height > 128);
        float[] med = m.Hdus[0].ReadImage<float>().Data;
        Assert.Contains(med, float.IsFinite);

        // A single covers its exposure (a window of the separate-drizzle grid, with its own WCS).
        using FitsFile s = FitsFile.Open(Path.Combine(_dir, $"{r.Chips[0].Exposure}_single_wht.fits"));
        Assert.True(s.Hdus[0].Width <= m.Hdus[0].Width && s.Hdus[0].Height <= m.Hdus[0].Height);
        Assert.True(TweakDrizzle.Wcs.FitsWcs.HasWcs(s.Hdus[0].Header));
    }

    [Fact]
    public void Plain_single_image_files_and_extension_specs_are_read_chip_by_chip()
    {
        // Plain FITS images (one 2-D image with its WCS in the primary header), as any telescope writes them.
        SimulatedDataSet data = Write(3);
        var plain = new List<string>();
        foreach (string f in data.Files)
        {
            using FitsFile file = FitsFile.Open(f);
            FitsHdu sci = file.Find("SCI", 1)!;
            FitsHeader h = sci.Header.Clone();
            h.Set("EXPTIME", file.Hdus[0].Header.GetDouble("EXPTIME"), "seconds");
            string path = Path.Combine(_dir, Path.GetFileNameWithoutExtension(f) + "_plain.fits");
            FitsWriter.Write(path, [FitsWriteHdu.Image(sci.ReadImage<float>().Data, [(int)sci.Width, (int)sci.Height], h)]);
            plain.Add(path);
        }

        var o = new AstroDrizzleOptions { OutputFolder = _dir, NumCores = 2, TileRows = 40 };
        AstroDrizzleResult fromPlain = AstroDrizzle.Run(plain, o with { Output = "plain" });
        Assert.EndsWith("plain_drz.fits", fromPlain.ProductPath, StringComparison.Ordinal);
        Assert.Equal(3, fromPlain.Chips.Count);
        Assert.All(fromPlain.Chips, c => Assert.True(c.Drizzled));
        Assert.True(fromPlain.CosmicRayPixels > 0);

        // The same chips selected from the multi-extension files with [SCI,1] give the same product (no DQ there: all good).
        AstroDrizzleResult fromSpecs = AstroDrizzle.Run(data.Files.Select(f => f + "[SCI,1]").ToList(), o with { Output = "specs" });
        Assert.Equal(3, fromSpecs.Chips.Count);
        Assert.Contains(fromSpecs.Wht, w => w > 0);
        Assert.Equal(fromPlain.Grid, fromSpecs.Grid);
    }
}
