using TweakDrizzle.Fits;

namespace TweakDrizzle.Fits.Tests;

public sealed class ChecksumAndUpdateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fits-update-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Temp(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Astropy_checksums_verify()
    {
        using FitsFile f = FitsFile.Open(Fixture.PathOf("checksum_astropy.fits"));
        Assert.Equal(4, f.Hdus.Count);
        foreach (FitsHdu h in f.Hdus)
        {
            Assert.Equal(new FitsChecksumResult(FitsChecksumStatus.Valid, FitsChecksumStatus.Valid), h.VerifyChecksums());
        }

        using FitsFile plain = FitsFile.Open(Fixture.PathOf("mef_hst.fits"));
        Assert.Equal(new FitsChecksumResult(FitsChecksumStatus.Absent, FitsChecksumStatus.Absent), plain.Hdus[1].VerifyChecksums());
    }

    [Fact]
    public void Encoding_reproduces_the_astropy_checksum_strings()
    {
        using FitsFile f = FitsFile.Open(Fixture.PathOf("checksum_astropy.fits"));
        foreach (FitsHdu h in f.Hdus)
        {
            string stored = h.Header.GetString("CHECKSUM");
            FitsHeader zeroed = h.Header.Clone();
            zeroed.Set("CHECKSUM", "0000000000000000");
            var data = new MemoryStream();
            h.CopyRawData(data);
            uint sum = FitsChecksum.Combine(FitsChecksum.Add(0, zeroed.ToBytes()), FitsChecksum.Add(0, Padded(data.ToArray())));
            Assert.Equal(stored, FitsChecksum.Encode(~sum));
        }
    }

    private static byte[] Padded(byte[] data)
    {
        byte[] p = new byte[(data.Length + 2879) / 2880 * 2880];
        data.CopyTo(p, 0);
        return p;
    }

    [Fact]
    public void Written_checksums_verify_and_detect_changes()
    {
        string path = Temp("sum.fits");
        FitsWriter.Copy(Fixture.PathOf("table_between.fits"), path, new FitsWriteOptions { Checksum = true });
        byte[] bytes = File.ReadAllBytes(path);
        using (FitsFile f = FitsFile.FromBytes(bytes))
        {
            Assert.All(f.Hdus, h => Assert.Equal(new FitsChecksumResult(FitsChecksumStatus.Valid, FitsChecksumStatus.Valid), h.VerifyChecksums()));
            // Everything but the two new cards is unchanged.
            using FitsFile orig = FitsFile.Open(Fixture.PathOf("table_between.fits"));
            Assert.Equal(orig.Hdus[1].Header.ToCardImages(), f.Hdus[1].Header.Where(c => c.Key is not ("CHECKSUM" or "DATASUM")).SelectMany(c => new[] { c.RawText }));
        }

        byte[] data = (byte[])bytes.Clone();
        data[2880 * 3 + 5] ^= 1;
        using (FitsFile f = FitsFile.FromBytes(data))
        {
            Assert.Equal(new FitsChecksumResult(FitsChecksumStatus.Invalid, FitsChecksumStatus.Invalid), f.Hdus[1].VerifyChecksums());
        }

        byte[] header = (byte[])bytes.Clone();
        header[2880 * 2 + 75] = (byte)'Z';
        using (FitsFile f = FitsFile.FromBytes(header))
        {
            Assert.Equal(new FitsChecksumResult(FitsChecksumStatus.Invalid, FitsChecksumStatus.Valid), f.Hdus[1].VerifyChecksums());
        }
    }

    [Fact]
    public void Small_header_change_is_written_in_place()
    {
        string path = Temp("mef.fits");
        File.Copy(Fixture.PathOf("mef_hst.fits"), path);
        byte[] before = File.ReadAllBytes(path);
        FitsHeader h;
        using (FitsFile f = FitsFile.Open(path))
        {
            h = f.Select("SCI,2").Header.Clone();
        }

        h.Set("CRVAL1", 150.25, "updated");
        h.InsertAfter("CRVAL1", "WCSNAME", "TWEAK");
        Assert.True(FitsWriter.UpdateHeader(path, 4, h));
        byte[] after = File.ReadAllBytes(path);
        Assert.Equal(before.Length, after.Length);
        using (FitsFile f = FitsFile.Open(path))
        {
            FitsHdu sci2 = f.Select("SCI,2");
            Assert.Equal(150.25, sci2.Header.GetDouble("CRVAL1"));
            Assert.Equal("TWEAK", sci2.Header.GetString("WCSNAME"));
            Assert.Equal(before.AsSpan((int)sci2.DataOffset).ToArray(), after.AsSpan((int)sci2.DataOffset).ToArray());
            Assert.Equal(before.AsSpan(0, (int)sci2.HeaderOffset).ToArray(), after.AsSpan(0, (int)sci2.HeaderOffset).ToArray());
        }
    }

    [Fact]
    public void Large_header_change_rewrites_the_file_atomically()
    {
        string path = Temp("grow.fits");
        File.Copy(Fixture.PathOf("mef_hst.fits"), path);
        FitsHeader h;
        float[] data;
        using (FitsFile f = FitsFile.Open(path))
        {
            h = f.Hdus[1].Header.Clone();
            data = f.Hdus[1].ReadImage<float>().Data;
        }

        for (int i = 0; i < 60; i++)
        {
            h.AddCommentary("HISTORY", "line " + i);
        }

        Assert.False(FitsWriter.UpdateHeader(path, 1, h, new FitsWriteOptions { Checksum = true }));
        using (FitsFile f = FitsFile.Open(path))
        {
            Assert.Equal(7, f.Hdus.Count);
            Assert.Equal(60, f.Hdus[1].Header.Count(c => c.Key == "HISTORY"));
            Assert.Equal(data, f.Hdus[1].ReadImage<float>().Data);
            Assert.True(f.Hdus[1].VerifyChecksums() is { Checksum: FitsChecksumStatus.Valid, Datasum: FitsChecksumStatus.Valid });
            Assert.Equal(FitsFile.ReadImage<short>(Fixture.PathOf("mef_hst.fits") + "[DQ,2]").Data, f.Select("DQ,2").ReadImage<short>().Data);
        }

        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void Header_update_cannot_change_the_data_layout()
    {
        string path = Temp("layout.fits");
        File.Copy(Fixture.PathOf("mef_hst.fits"), path);
        byte[] before = File.ReadAllBytes(path);
        FitsHeader h = FitsFile.ReadHeader(path + "[1]").Clone();
        h.Set("NAXIS1", 5);
        Assert.Throws<FitsException>(() => FitsWriter.UpdateHeader(path, 1, h));
        Assert.Throws<FitsException>(() => FitsWriter.UpdateHeader(path, 9, h));
        Assert.Throws<FitsException>(() => FitsWriter.UpdateHeader(Fixture.PathOf("mef_hst.fits.gz"), 1, h));
        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
