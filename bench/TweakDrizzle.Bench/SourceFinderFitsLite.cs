using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace TweakDrizzle.Bench;

/// <summary>Reads the primary image of a simple FITS file as float32 (bench-only helper for the source-finder benchmarks).</summary>
internal static class SourceFinderFitsLite
{
    public static (float[] Data, int Nx, int Ny) ReadPrimary(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var cards = new Dictionary<string, string>(StringComparer.Ordinal);
        int pos = 0;
        bool end = false;
        while (!end)
        {
            for (int c = 0; c < 36; c++)
            {
                string card = Encoding.ASCII.GetString(bytes, pos + (c * 80), 80);
                string key = card[..8].Trim();
                if (key == "END")
                {
                    end = true;
                    break;
                }

                if (card.Length > 10 && card[8] == '=')
                {
                    string v = card[10..];
                    int slash = v.IndexOf('/', StringComparison.Ordinal);
                    cards[key] = (slash >= 0 ? v[..slash] : v).Trim();
                }
            }

            pos += 2880;
        }

        int bitpix = int.Parse(cards["BITPIX"], CultureInfo.InvariantCulture);
        int nx = int.Parse(cards["NAXIS1"], CultureInfo.InvariantCulture);
        int ny = int.Parse(cards["NAXIS2"], CultureInfo.InvariantCulture);
        double bzero = cards.TryGetValue("BZERO", out string? bz) ? double.Parse(bz, CultureInfo.InvariantCulture) : 0;
        double bscale = cards.TryGetValue("BSCALE", out string? bs) ? double.Parse(bs, CultureInfo.InvariantCulture) : 1;
        var data = new float[nx * ny];
        ReadOnlySpan<byte> src = bytes.AsSpan(pos);
        for (int i = 0; i < data.Length; i++)
        {
            double v = bitpix switch
            {
                -32 => BinaryPrimitives.ReadSingleBigEndian(src[(i * 4)..]),
                -64 => BinaryPrimitives.ReadDoubleBigEndian(src[(i * 8)..]),
                16 => BinaryPrimitives.ReadInt16BigEndian(src[(i * 2)..]),
                32 => BinaryPrimitives.ReadInt32BigEndian(src[(i * 4)..]),
                _ => throw new InvalidDataException("unsupported BITPIX " + bitpix),
            };
            data[i] = bitpix < 0 && bscale == 1 && bzero == 0 ? (float)v : (float)((v * bscale) + bzero);
        }

        return (data, nx, ny);
    }
}
