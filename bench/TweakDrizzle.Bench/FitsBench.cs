using System.Diagnostics;
using TweakDrizzle.Fits;

namespace TweakDrizzle.Bench;

/// <summary>FITS benchmarks: image read throughput and multi-extension header parsing.</summary>
internal static class FitsBench
{
    /// <summary>
    /// <c>fits-read [NX] [REPEATS]</c>: reads an NX×NX float32 image (default 6000) from the page cache as float,
    /// and the same pixels stored as int16 into float, with the raw copy speed of the bytes as a reference.
    /// </summary>
    public static object Read(string[] args)
    {
        int nx = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 6000;
        int repeats = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 7;
        string dir = Directory.CreateTempSubdirectory("fits-bench-").FullName;
        try
        {
            var data = new float[(long)nx * nx];
            var ints = new short[data.Length];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = (i % 9973) * 0.5f;
                ints[i] = (short)(i % 30011);
            }

            string f32 = Path.Combine(dir, "f32.fits");
            string i16 = Path.Combine(dir, "i16.fits");
            var sw = Stopwatch.StartNew();
            FitsWriter.Write(f32, [FitsWriteHdu.Empty(), FitsWriteHdu.Image(data, [nx, nx]).Named("SCI")]);
            double writeMs = sw.Elapsed.TotalMilliseconds;
            FitsWriter.Write(i16, new FitsImage<short>(ints, nx, nx));
            long bytes = (long)nx * nx * 4;

            // Warm the page cache and the JIT.
            _ = File.ReadAllBytes(f32);
            _ = FitsFile.ReadImage<float>(f32 + "[SCI]");
            _ = FitsFile.ReadImage<float>(i16);

            double[] raw = Time(repeats, () => _ = File.ReadAllBytes(f32));
            double[] f = Time(repeats, () => _ = FitsFile.ReadImage<float>(f32 + "[SCI]"));
            double[] s = Time(repeats, () => _ = FitsFile.ReadImage<float>(i16));
            double[] d = Time(repeats, () => _ = FitsFile.ReadImage<double>(f32 + "[SCI]"));
            return new
            {
                benchmark = "fits-read",
                image = $"{nx}x{nx}",
                bytes_float32 = bytes,
                repeats,
                write_float32_ms = Math.Round(writeMs, 1),
                file_readallbytes_ms = Median(raw),
                read_float32_as_float_ms = Median(f),
                read_float32_as_float_gb_per_s = Math.Round(bytes / Median(f) / 1e6, 2),
                read_int16_as_float_ms = Median(s),
                read_float32_as_double_ms = Median(d),
                ratio_read_float_over_readallbytes = Math.Round(Median(f) / Median(raw), 2),
            };
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary><c>fits-headers [REPEATS]</c>: opens a file with a primary and 10 image extensions of ~120 cards each and parses every header.</summary>
    public static object Headers(string[] args)
    {
        int repeats = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200;
        string dir = Directory.CreateTempSubdirectory("fits-bench-").FullName;
        try
        {
            string path = Path.Combine(dir, "mef.fits");
            var hdus = new List<FitsWriteHdu> { FitsWriteHdu.Empty(Cards(0)) };
            for (int e = 1; e <= 10; e++)
            {
                hdus.Add(FitsWriteHdu.Image(new float[64 * 64], [64, 64], Cards(e)).Named("SCI", e));
            }

            FitsWriter.Write(path, hdus);
            int cards = 0;
            using (FitsFile f = FitsFile.Open(path))
            {
                cards = f.Hdus.Sum(h => h.Header.Count);
            }

            double[] t = Time(repeats, () =>
            {
                using FitsFile f = FitsFile.Open(path);
                _ = f.Hdus[10].Header.GetDouble("CRVAL1");
            });
            return new
            {
                benchmark = "fits-headers",
                hdus = 11,
                cards,
                file_bytes = new FileInfo(path).Length,
                repeats,
                open_and_parse_all_headers_ms_median = Median(t),
                open_and_parse_all_headers_ms_min = Math.Round(t.Min(), 3),
            };
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static FitsHeader Cards(int e)
    {
        var h = new FitsHeader();
        for (int i = 0; i < 100; i++)
        {
            h.Set($"KEY{i:D3}", i * 1.5 + e, "a numeric card with a comment");
        }

        h.Set("CRVAL1", 150.0 + e, "RA of the reference pixel");
        h.Set("FILENAME", "j8ny01svq_flc.fits with a long name that needs CONTINUE cards to be stored in the header", "file name");
        for (int i = 0; i < 10; i++)
        {
            h.AddCommentary("HISTORY", $"processing step {i} of the calibration pipeline");
        }

        return h;
    }

    private static double[] Time(int repeats, Action action)
    {
        var t = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            t[i] = sw.Elapsed.TotalMilliseconds;
        }

        return t;
    }

    private static double Median(double[] t)
    {
        double[] s = [.. t.Order()];
        return Math.Round(s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2, 3);
    }
}
