using System.Diagnostics;
using System.IO.Compression;
using TweakDrizzle.Fits;
using Xunit.Abstractions;

namespace TweakDrizzle.Fits.Tests;

/// <summary>
/// Seeded mutations (byte flips, truncations, insertions, deletions, header digit edits) of valid files: the reader
/// either reads them or raises <see cref="FitsException"/>, never anything else, and never hangs.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private static byte[][] Seeds()
    {
        var list = new List<byte[]>();
        foreach (string name in new[] { "mef_hst.fits", "table_between.fits", "header_cards.fits", "int32_scaled_blank.fits", "uint16_bzero.fits", "cube3d.fits", "int8_uint8.fits" })
        {
            list.Add(File.ReadAllBytes(Fixture.PathOf(name)));
        }

        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(File.ReadAllBytes(Fixture.PathOf("int16.fits")));
        }

        list.Add(ms.ToArray());
        return [.. list];
    }

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 1000)]
    [InlineData(3, 1000)]
    public void Mutated_files_raise_only_FitsException(int seed, int count)
    {
        byte[][] seeds = Seeds();
        var rng = new Random(seed);
        var sw = Stopwatch.StartNew();
        int accepted = 0, rejected = 0;
        for (int trial = 0; trial < count; trial++)
        {
            byte[] bytes = Mutate(seeds[rng.Next(seeds.Length)], rng);
            try
            {
                Exercise(bytes);
                accepted++;
            }
            catch (FitsException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Reason));
                Assert.DoesNotContain('\n', e.Message);
                rejected++;
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed} trial {trial}: {e.GetType().Name} escaped: {e}");
            }
        }

        output.WriteLine($"seed {seed}: {accepted} read, {rejected} rejected in {sw.ElapsedMilliseconds} ms");
        Assert.True(rejected > 0 && accepted > 0);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), "fuzzing took too long: a mutation makes the reader crawl");
    }

    private static void Exercise(byte[] bytes)
    {
        using FitsFile f = FitsFile.FromBytes(bytes, "fuzz.fits");
        _ = FitsInfo.ToJson(f);
        _ = FitsInfo.ToText(f);
        foreach (FitsHdu h in f.Hdus)
        {
            foreach (FitsCard c in h.Header)
            {
                _ = c.TryGetDouble(out _);
            }

            _ = h.Header.GetDouble("CRVAL1", 0);
            if (h.IsImage && h.ElementCount > 0)
            {
                _ = h.ReadImage<double>();
                _ = h.ReadImage<float>();
                try
                {
                    _ = h.ReadImage<int>();
                }
                catch (FitsException)
                {
                    // Values may not fit: that is a FitsException too, and the other reads must still work.
                }
            }
            else if (h.Type == FitsHduType.BinaryTable)
            {
                _ = h.ReadTable();
            }
        }
    }

    private static readonly string[] Digits = ["0", "9", "-1", "99999999999", "1E300", "", "'x'", "T", "12345678901234567890123"];

    private static byte[] Mutate(byte[] original, Random rng)
    {
        var b = new List<byte>(original);
        int edits = 1 + rng.Next(4);
        for (int e = 0; e < edits && b.Count > 0; e++)
        {
            switch (rng.Next(7))
            {
                case 0:
                    b[rng.Next(b.Count)] = (byte)rng.Next(256);
                    break;
                case 1:
                    b[rng.Next(b.Count)] ^= (byte)(1 << rng.Next(8));
                    break;
                case 2:
                    {
                        // Delete a range.
                        int at = rng.Next(b.Count);
                        b.RemoveRange(at, Math.Min(b.Count - at, rng.Next(1, 3000)));
                        break;
                    }

                case 3:
                    {
                        // Insert random bytes.
                        int at = rng.Next(b.Count + 1);
                        byte[] ins = new byte[rng.Next(1, 200)];
                        rng.NextBytes(ins);
                        b.InsertRange(at, ins);
                        break;
                    }

                case 4:
                    {
                        // Truncate.
                        int cut = rng.Next(b.Count);
                        b.RemoveRange(cut, b.Count - cut);
                        break;
                    }

                case 5:
                    {
                        // Rewrite the value of a header card with something odd (huge, negative, wrong type).
                        int card = rng.Next(Math.Max(1, Math.Min(b.Count / 80, 72)));
                        int at = (card * 80) + 10;
                        string v = Digits[rng.Next(Digits.Length)].PadLeft(20);
                        for (int k = 0; k < 20 && at + k < b.Count; k++)
                        {
                            b[at + k] = (byte)v[k];
                        }

                        break;
                    }

                default:
                    {
                        // Duplicate a block (shifts everything after it).
                        int block = rng.Next(Math.Max(1, b.Count / 2880));
                        int at = block * 2880;
                        if (at < b.Count)
                        {
                            b.InsertRange(at, b.GetRange(at, Math.Min(2880, b.Count - at)));
                        }

                        break;
                    }
            }
        }

        return [.. b];
    }
}
