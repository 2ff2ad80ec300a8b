using System.Buffers.Binary;
using System.IO.Compression;

namespace TweakDrizzle.Diagnostics.Images;

/// <summary>Pixel layouts the managed PNG writer accepts.</summary>
public enum PngColorType
{
    /// <summary>One byte per pixel, grey level.</summary>
    Gray8,

    /// <summary>Three bytes per pixel, red, green, blue.</summary>
    Rgb8,

    /// <summary>Two bytes per pixel, big-endian 16-bit grey level.</summary>
    Gray16,
}

/// <summary>
/// A small managed PNG encoder (signature, IHDR, one zlib IDAT with per-row Sub/Up filters, IEND), so image
/// previews never need cairo.
/// </summary>
/// <remarks>Thread-safe: no state.</remarks>
public static class PngWriter
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes an image as PNG.</summary>
    /// <param name="pixels">Rows top to bottom, each <paramref name="width"/> pixels of the given type.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="colorType">The pixel layout.</param>
    /// <param name="level">zlib compression level.</param>
    /// <returns>The PNG file's bytes.</returns>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var ms = new MemoryStream();
        Write(ms, pixels, width, height, colorType, level);
        return ms.ToArray();
    }

    /// <summary>Writes an image as PNG to a stream.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="pixels">Rows top to bottom.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="colorType">The pixel layout.</param>
    /// <param name="level">zlib compression level.</param>
    public static void Write(Stream output, ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType, CompressionLevel level = CompressionLevel.Optimal)
    {
        ArgumentNullException.ThrowIfNull(output);
        int bpp = BytesPerPixel(colorType);
        if (width < 1 || height < 1 || (long)width * height * bpp != pixels.Length)
        {
            throw new ArgumentException($"A {width} × {height} {colorType} image needs {(long)width * height * bpp} bytes, not {pixels.Length}.", nameof(pixels));
        }

        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)(colorType == PngColorType.Gray16 ? 16 : 8);
        ihdr[9] = (byte)(colorType == PngColorType.Rgb8 ? 2 : 0);
        WriteChunk(output, "IHDR"u8, ihdr);

        int rowBytes = width * bpp;
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, level, leaveOpen: true))
        {
            var sub = new byte[rowBytes + 1];
            var up = new byte[rowBytes + 1];
            sub[0] = 1;
            up[0] = 2;
            for (int r = 0; r < height; r++)
            {
                ReadOnlySpan<byte> row = pixels.Slice(r * rowBytes, rowBytes);
                ReadOnlySpan<byte> prev = r == 0 ? default : pixels.Slice((r - 1) * rowBytes, rowBytes);
                long costSub = 0, costUp = 0;
                for (int i = 0; i < rowBytes; i++)
                {
                    byte s = (byte)(row[i] - (i >= bpp ? row[i - bpp] : 0));
                    byte u = (byte)(row[i] - (r > 0 ? prev[i] : 0));
                    sub[i + 1] = s;
                    up[i + 1] = u;
                    costSub += (sbyte)s < 0 ? -(sbyte)s : (sbyte)s;
                    costUp += (sbyte)u < 0 ? -(sbyte)u : (sbyte)u;
                }

                // The usual heuristic: the filter with the smaller sum of absolute signed bytes.
                z.Write(costUp < costSub ? up : sub);
            }
        }

        WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND"u8, []);
    }

    /// <summary>CRC-32 as PNG chunks use it (ISO 3309, polynomial 0xEDB88320).</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="crc">A running CRC to continue, or the initial 0xFFFFFFFF.</param>
    /// <returns>The updated running CRC (finish with <c>^ 0xFFFFFFFF</c>).</returns>
    internal static uint Crc(ReadOnlySpan<byte> data, uint crc = 0xFFFFFFFFu)
    {
        foreach (byte b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static int BytesPerPixel(PngColorType t) => t switch
    {
        PngColorType.Gray8 => 1,
        PngColorType.Gray16 => 2,
        PngColorType.Rgb8 => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, "Unknown PNG colour type."),
    };

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        output.Write(len);
        output.Write(type);
        output.Write(data);
        uint crc = Crc(data, Crc(type)) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(len, crc);
        output.Write(len);
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
