using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace TweakDrizzle.Resample.Tests;

/// <summary>A test-only reader of simple FITS images (BITPIX 8/16/32/-32/-64, optional BZERO), .gz allowed.</summary>
internal sealed class TestFits
{
    private TestFits(List<Hdu> hdus) => Hdus = hdus;

    public List<Hdu> Hdus { get; }

    public static TestFits Open(string path)
    {
        if (!File.Exists(path) && File.Exists(path + ".gz"))
        {
            path += ".gz";
        }

        byte[] bytes;
        if (path.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            bytes = ms.ToArray();
        }
        else
        {
            bytes = File.ReadAllBytes(path);
        }

        var hdus = new List<Hdu>();
        int pos = 0;
        while (pos + 2880 <= bytes.Length)
        {
            var cards = new Dictionary<string, string>(StringComparer.Ordinal);
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

                    if (card.Length > 9 && card[8] == '=')
                    {
                        string v = card[10..];
                        int slash = v.StartsWith('\'') ? v.IndexOf('\'', 1) + 1 : 0;
                        int cut = v.IndexOf('/', slash);
                        cards[key] = (cut >= 0 ? v[..cut] : v).Trim().Trim('\'').Trim();
                    }
                }

                pos += 2880;
            }

            int bitpix = int.Parse(cards["BITPIX"], CultureInfo.InvariantCulture);
            int naxis = int.Parse(cards["NAXIS"], CultureInfo.InvariantCulture);
            var shape = new int[naxis];
            long n = naxis == 0 ? 0 : 1;
            for (int a = 0; a < naxis; a++)
            {
                shape[a] = int.Parse(cards["NAXIS" + (a + 1)], CultureInfo.InvariantCulture);
                n *= shape[a];
            }

            double bzero = cards.TryGetValue("BZERO", out string? bz) ? double.Parse(bz, CultureInfo.InvariantCulture) : 0;
            int size = Math.Abs(bitpix) / 8;
            var values = new double[n];
            for (long k = 0; k < n; k++)
            {
                ReadOnlySpan<byte> b = bytes.AsSpan(pos + (int)(k * size), size);
                values[k] = bitpix switch
                {
                    8 => b[0],
                    16 => BinaryPrimitives.ReadInt16BigEndian(b),
                    32 => BinaryPrimitives.ReadInt32BigEndian(b),
                    -32 => BinaryPrimitives.ReadSingleBigEndian(b),
                    -64 => BinaryPrimitives.ReadDoubleBigEndian(b),
                    _ => throw new InvalidDataException("BITPIX " + bitpix),
                } + bzero;
            }

            hdus.Add(new Hdu(cards, shape, values));
            pos += (int)((n * size + 2879) / 2880 * 2880);
        }

        return new TestFits(hdus);
    }

    public Hdu this[string extname, int extver = 1] =>
        Hdus.FirstOrDefault(h => h.Name == extname && h.Ver == extver) ?? throw new KeyNotFoundException(extname);

    public Hdu First => Hdus.First(h => h.Values.Length > 0);

    internal sealed record Hdu(Dictionary<string, string> Cards, int[] Shape, double[] Values)
    {
        public string? Name => Cards.TryGetValue("EXTNAME", out string? v) ? v : null;

        public int Ver => Cards.TryGetValue("EXTVER", out string? v) ? int.Parse(v, CultureInfo.InvariantCulture) : 1;

        public int Width => Shape[0];

        public int Height => Shape[1];

        public float[] Floats() => [.. Values.Select(v => (float)v)];

        public uint[] UInts() => [.. Values.Select(v => (uint)v)];

        public int[] Plane(int p)
        {
            int n = Width * Height;
            return [.. Values.Skip(p * n).Take(n).Select(v => (int)(long)v)];
        }

        public Pixmap AsPixmap()
        {
            int n = Width * Height;
            return new Pixmap(Width, Height, Values[..n], Values[n..(2 * n)]);
        }
    }
}
