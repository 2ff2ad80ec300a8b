using System.Buffers.Binary;
using TweakDrizzle.Fits;

namespace TweakDrizzle.Fits.Tests;

/// <summary>A sparse file over 2 GB: offsets beyond 2^31 and HDUs after a huge image must work through mmap.</summary>
public sealed class LargeFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fits-large-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Hdus_and_pixels_beyond_2_GB_are_read()
    {
        const int nx = 24000, ny = 24000; // 2.3e9 bytes of float32
        string path = Path.Combine(_dir, "big.fits");
        FitsHeader primary = FitsWriteHdu.Structural(true, -32, [nx, ny], "IMAGE");
        byte[] ph = primary.ToBytes();
        long dataBytes = (long)nx * ny * 4;
        long extOffset = ph.Length + FitsFile.Pad(dataBytes);
        FitsHeader ext = FitsWriteHdu.Structural(false, 16, [3], "IMAGE");
        ext.Set("EXTNAME", "AFTER");
        byte[] eh = ext.ToBytes();
        using (var fs = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            fs.Write(ph);
            fs.SetLength(extOffset + eh.Length + 2880);
            // The last pixel of the image and the extension's data.
            fs.Position = ph.Length + dataBytes - 4;
            byte[] last = new byte[4];
            BinaryPrimitives.WriteSingleBigEndian(last, 42.5f);
            fs.Write(last);
            fs.Position = extOffset;
            fs.Write(eh);
            fs.Write(new byte[] { 0, 7, 255, 254, 0x80, 0 });
        }

        using FitsFile f = FitsFile.Open(path);
        Assert.Equal(2, f.Hdus.Count);
        Assert.Equal(extOffset, f.Hdus[1].HeaderOffset);
        Assert.True(f.Hdus[1].DataOffset > int.MaxValue);
        Assert.Equal(new short[] { 7, -2, -32768 }, f.Select("AFTER").ReadImage<short>().Data);
        float[] row = new float[nx];
        f.Hdus[0].ReadPixels((long)(ny - 1) * nx, row);
        Assert.Equal(42.5f, row[^1]);
        Assert.Equal(0f, row[0]);
    }
}
