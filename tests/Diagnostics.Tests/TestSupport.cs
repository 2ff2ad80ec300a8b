using System.Buffers.Binary;
using System.IO.Compression;
using TweakDrizzle.Diagnostics.Rendering;

namespace TweakDrizzle.Diagnostics.Tests;

/// <summary>A fact that needs the cairo library: skipped (with the reason) only when cairo is truly absent.</summary>
public sealed class CairoFactAttribute : FactAttribute
{
    public CairoFactAttribute()
    {
        if (!CairoLibrary.IsAvailable)
        {
            Skip = "libcairo.so.2 is not installed (apt-get install libcairo2)";
        }
    }
}

/// <summary>A minimal PNG decoder for checking our encoders: 8/16-bit grey and RGB, non-interlaced.</summary>
internal sealed record DecodedPng(int Width, int Height, int BitDepth, int ColorType, byte[] Pixels, int BytesPerPixel)
{
    public static DecodedPng Decode(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        int pos = 8, width = 0, height = 0, depth = 0, colorType = 0;
        using var idat = new MemoryStream();
        bool end = false;
        while (!end)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            ReadOnlySpan<byte> data = png.AsSpan(pos + 8, len);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + len));
            Assert.Equal(crc, Crc32(png.AsSpan(pos + 4, len + 4)));
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    depth = data[8];
                    colorType = data[9];
                    Assert.Equal(0, data[12]); // not interlaced
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
                case "IEND":
                    end = true;
                    break;
            }

            pos += 12 + len;
        }

        int channels = colorType switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => throw new InvalidDataException("colour type " + colorType) };
        int bpp = channels * depth / 8;
        int rowBytes = width * bpp;
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        byte[] f = raw.ToArray();
        Assert.Equal((rowBytes + 1) * height, f.Length);
        var pixels = new byte[rowBytes * height];
        for (int r = 0; r < height; r++)
        {
            byte filter = f[r * (rowBytes + 1)];
            for (int i = 0; i < rowBytes; i++)
            {
                int x = f[(r * (rowBytes + 1)) + 1 + i];
                int a = i >= bpp ? pixels[(r * rowBytes) + i - bpp] : 0;
                int b = r > 0 ? pixels[((r - 1) * rowBytes) + i] : 0;
                int c = i >= bpp && r > 0 ? pixels[((r - 1) * rowBytes) + i - bpp] : 0;
                int v = filter switch
                {
                    0 => x,
                    1 => x + a,
                    2 => x + b,
                    3 => x + ((a + b) / 2),
                    4 => x + Paeth(a, b, c),
                    _ => throw new InvalidDataException("filter " + filter),
                };
                pixels[(r * rowBytes) + i] = (byte)v;
            }
        }

        return new DecodedPng(width, height, depth, colorType, pixels, bpp);
    }

    /// <summary>(R, G, B) of a pixel of an 8-bit RGB or RGBA image.</summary>
    public (byte R, byte G, byte B) Rgb(int x, int y)
    {
        int k = (y * Width * BytesPerPixel) + (x * BytesPerPixel);
        return ColorType is 0 ? (Pixels[k], Pixels[k], Pixels[k]) : (Pixels[k], Pixels[k + 1], Pixels[k + 2]);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte d in data)
        {
            crc ^= d;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc ^ 0xFFFFFFFF;
    }
}

internal static class Samples
{
    public static double Gauss(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    public static Alignment.AlignmentResiduals Residuals(int n, int seed = 1)
    {
        var rng = new Random(seed);
        double[] x = new double[n], y = new double[n], dx = new double[n], dy = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = rng.NextDouble() * 2000;
            y[i] = rng.NextDouble() * 1000;
            dx[i] = 0.05 * Gauss(rng);
            dy[i] = 0.05 * Gauss(rng);
        }

        return new Alignment.AlignmentResiduals { ImageName = "img_flc.fits", FitGeometry = "rscale", X = x, Y = y, Dx = dx, Dy = dy };
    }
}
