namespace TweakDrizzle.Fits.Tests;

/// <summary>Images declared up front and written piece by piece (the drizzle product's tiles).</summary>
public sealed class FitsStreamWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fits-stream-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Declared_images_written_in_pieces_read_back_exactly()
    {
        string path = Path.Combine(_dir, "tiles.fits");
        var primary = new FitsHeader();
        primary.Set("NDRIZIM", 3);
        var sciHeader = new FitsHeader();
        sciHeader.Set("BUNIT", "ELECTRONS/S");
        float[] sci = Enumerable.Range(0, 7 * 5).Select(i => i * 0.5f - 3).ToArray();
        int[] ctx = Enumerable.Range(0, 7 * 5 * 2).Select(i => i * 1000003).ToArray();
        using (FitsStreamWriter w = FitsStreamWriter.Create(path,
        [
            FitsWriteHdu.Empty(primary),
            FitsWriteHdu.Declared<float>([7, 5], sciHeader).Named("SCI"),
            FitsWriteHdu.Declared<int>([7, 5, 2]).Named("CTX"),
        ]))
        {
            Assert.False(File.Exists(path));
            w.WritePixels<float>(1, 14, sci.AsSpan(14, 21));
            w.WritePixels<float>(1, 0, sci.AsSpan(0, 14));
            w.WritePixels<int>(2, 35, ctx.AsSpan(35));
            w.WritePixels<int>(2, 0, ctx.AsSpan(0, 35));
            w.Commit();
        }

        using FitsFile f = FitsFile.Open(path);
        Assert.Equal(3, f.Hdus[0].Header.GetInt64("NDRIZIM", 0));
        Assert.Equal(sci, f.Find("SCI")!.ReadImage<float>().Data);
        Assert.Equal("ELECTRONS/S", f.Find("SCI")!.Header.GetString("BUNIT", null));
        Assert.Equal(ctx, f.Find("CTX")!.ReadImage<int>().Data);
        Assert.Equal([7L, 5L, 2L], f.Find("CTX")!.Shape);
        Assert.Equal(0, new FileInfo(path).Length % 2880);
    }

    [Fact]
    public void Unwritten_pixels_are_zero_and_an_uncommitted_writer_leaves_nothing_behind()
    {
        string path = Path.Combine(_dir, "partial.fits");
        File.WriteAllText(path, "previous content");
        using (FitsStreamWriter w = FitsStreamWriter.Create(path, [FitsWriteHdu.Declared<float>([4, 4])]))
        {
            w.WritePixels<float>(0, 3, [1f, 2f]);
        }

        Assert.Equal("previous content", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir));

        string fresh = Path.Combine(_dir, "fresh.fits");
        using (FitsStreamWriter w = FitsStreamWriter.Create(fresh, [FitsWriteHdu.Declared<float>([4, 4])]))
        {
            w.WritePixels<float>(0, 3, [1f, 2f]);
            w.Commit();
        }

        float[] back = FitsFile.ReadImage<float>(fresh).Data;
        Assert.Equal([0f, 0f, 0f, 1f, 2f, 0f], back.Take(6));
    }

    [Fact]
    public void Wrong_type_or_range_is_refused()
    {
        using FitsStreamWriter w = FitsStreamWriter.Create(Path.Combine(_dir, "x.fits"), [FitsWriteHdu.Empty(), FitsWriteHdu.Declared<float>([3, 3])]);
        Assert.Throws<ArgumentException>(() => w.WritePixels<int>(1, 0, [1]));
        Assert.Throws<ArgumentException>(() => w.WritePixels<float>(0, 0, [1f]));
        Assert.Throws<ArgumentException>(() => w.WritePixels<float>(1, 8, [1f, 2f]));
        Assert.Throws<ArgumentException>(() => FitsWriteHdu.Declared<float>([3, 0]));
    }
}
