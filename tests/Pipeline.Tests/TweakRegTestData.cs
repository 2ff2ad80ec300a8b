using TweakDrizzle.Fits;
using TweakDrizzle.Simulation;
using TweakDrizzle.Wcs;
using PipelineSkySource = TweakDrizzle.Pipeline.Alignment.SkySource;

namespace TweakDrizzle.Pipeline.Tests;

/// <summary>Small hand-made two-chip exposures with Gaussian stars at known sky positions.</summary>
internal static class SyntheticExposure
{
    public const int Width = 300;
    public const int Height = 200;
    public const double ScaleArcsec = 0.05;
    public const double Ra0 = 150.0;
    public const double Dec0 = 2.0;

    /// <summary>Star sky positions (deterministic), spread over both chips.</summary>
    public static List<(double Ra, double Dec, double Flux)> Stars(int count, int seed = 7)
    {
        var rng = new Random(seed);
        var list = new List<(double, double, double)>();
        FitsWcs w = ChipWcs(0, 0, 0, 0);
        for (int i = 0; i < count; i++)
        {
            double x = 10 + (rng.NextDouble() * (Width - 20));
            double y = 10 + (rng.NextDouble() * ((2 * Height) + 20 - 20));
            (double ra, double dec) = w.PixelToWorld(x, y);
            list.Add((ra, dec, 3000 + (rng.NextDouble() * 20000)));
        }

        return list;
    }

    /// <summary>The WCS of chip <paramref name="chip"/> (0 bottom, 1 top, 20 px gap) for a pointing offset (arcsec) and roll (deg).</summary>
    public static FitsWcs ChipWcs(int chip, double dxArcsec, double dyArcsec, double rollDeg)
    {
        double crpix2 = (Height / 2.0) - (chip * (Height + 20.0)) + (Height / 2.0);
        var wcs = FitsWcs.CreateTan(Ra0 + (dxArcsec / 3600.0 / Math.Cos(Dec0 * Math.PI / 180)), Dec0 + (dyArcsec / 3600.0), (Width / 2.0) + 0.5, crpix2, ScaleArcsec, 30.0 + rollDeg);
        return wcs;
    }

    /// <summary>
    /// Writes an exposure: stars rendered with the true pointing, the header WCS of the nominal pointing.
    /// </summary>
    public static void Write(string path, IReadOnlyList<(double Ra, double Dec, double Flux)> stars, (double Dx, double Dy, double Roll) truePointing,
        bool withWcs = true, double? saturate = null, Func<int, int, int, bool>? nan = null, int seed = 1)
    {
        var rng = new Random(seed);
        var hdus = new List<FitsWriteHdu>();
        var primary = new FitsHeader();
        primary.Set("EXPTIME", 100.0, "s");
        primary.Set("BUNIT", "ELECTRONS", "units");
        if (saturate is { } sat)
        {
            primary.Set("SATURATE", sat, "saturation level");
        }

        hdus.Add(FitsWriteHdu.Empty(primary));
        for (int c = 0; c < 2; c++)
        {
            FitsWcs truth = ChipWcs(c, truePointing.Dx, truePointing.Dy, truePointing.Roll);
            FitsWcs header = ChipWcs(c, 0, 0, 0);
            var data = new float[Width * Height];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = (float)(100 + (10 * Gauss(rng)));
            }

            double sigma = 2.0 / 2.3548;
            foreach ((double ra, double dec, double flux) in stars)
            {
                (double sx, double sy) = truth.WorldToPixel(ra, dec);
                if (sx < -5 || sy < -5 || sx > Width + 5 || sy > Height + 5)
                {
                    continue;
                }

                for (int y = Math.Max(0, (int)sy - 6); y <= Math.Min(Height - 1, (int)sy + 6); y++)
                {
                    for (int x = Math.Max(0, (int)sx - 6); x <= Math.Min(Width - 1, (int)sx + 6); x++)
                    {
                        double r2 = ((x - sx) * (x - sx)) + ((y - sy) * (y - sy));
                        data[(y * Width) + x] += (float)(flux / (2 * Math.PI * sigma * sigma) * Math.Exp(-r2 / (2 * sigma * sigma)));
                    }
                }
            }

            if (saturate is { } s)
            {
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = Math.Min(data[i], (float)s);
                }
            }

            if (nan is not null)
            {
                for (int y = 0; y < Height; y++)
                {
                    for (int x = 0; x < Width; x++)
                    {
                        if (nan(c, x, y))
                        {
                            data[(y * Width) + x] = float.NaN;
                        }
                    }
                }
            }

            var h = new FitsHeader();
            if (withWcs)
            {
                header.WriteTo(h);
            }

            hdus.Add(FitsWriteHdu.Image(data, [Width, Height], h).Named("SCI", c + 1));
        }

        FitsWriter.Write(path, hdus);
    }

    private static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}

/// <summary>A small simulated two-visit data set (2 + 2 exposures of two 512x256 chips), written once per test class.</summary>
public sealed class SimulatedSet : IDisposable
{
    public SimulatedSet()
    {
        Folder = Path.Combine(Path.GetTempPath(), "tdz-tweakreg-sim-" + Guid.NewGuid().ToString("N"));
        DetectorModel det = DetectorModel.Small with { ChipWidth = 512, ChipHeight = 256, CosmicRayRate = 0.5 };
        var visits = DitherPattern.TrainingVisits(det).Select(v => v with { Exposures = v.Exposures.Take(2).ToArray() }).ToList();
        Simulator = new Simulator(new SimulationOptions { Seed = 11, Detector = det, Visits = visits, MaxDegreeOfParallelism = 2 });
        Data = DataSetWriter.Write(Simulator, Path.Combine(Folder, "pristine"), new DataSetWriteOptions { CosmicRayMasks = false, SourceLists = false });
        RefCat = Path.Combine(Folder, "refcat.csv");
        FilterSpec f = Simulator.Visits[0].Filter;
        var lines = new List<string> { "ra,dec,flux" };
        lines.AddRange(Simulator.Sky.Sources.Where(s => s.Kind == SourceKind.Star && s.RateIn(f) > 20)
            .Select(s => FormattableString.Invariant($"{s.Ra:R},{s.Dec:R},{s.RateIn(f):R}")));
        File.WriteAllLines(RefCat, lines);
    }

    public string Folder { get; }

    public Simulator Simulator { get; }

    public SimulatedDataSet Data { get; }

    public string RefCat { get; }

    public IReadOnlyList<PipelineSkySource> RefSources() => File.ReadAllLines(RefCat).Skip(1).Select(l => l.Split(','))
        .Select(p => new PipelineSkySource(double.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture), 1)).ToList();

    /// <summary>A fresh copy of the data set's exposure files in a new folder.</summary>
    public List<string> Copy()
    {
        string dir = Path.Combine(Folder, "run-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var list = new List<string>();
        foreach (string f in Data.Files)
        {
            string dest = Path.Combine(dir, Path.GetFileName(f));
            File.Copy(f, dest);
            list.Add(dest);
        }

        return list;
    }

    /// <summary>RMS (mas) over a 9x9 grid of the distance between a chip's WCS and its true WCS.</summary>
    public static double RmsMas(FitsWcs wcs, TanSipModel truth, int width, int height)
    {
        double sum = 0;
        int n = 0;
        for (int j = 0; j < 9; j++)
        {
            for (int i = 0; i < 9; i++)
            {
                double x = (width - 1) * i / 8.0, y = (height - 1) * j / 8.0;
                (double ra1, double dec1) = wcs.PixelToWorld(x, y);
                (double ra2, double dec2) = truth.PixelToWorld(x, y);
                double d = SepArcsec(ra1, dec1, ra2, dec2) * 1000;
                sum += d * d;
                n++;
            }
        }

        return Math.Sqrt(sum / n);
    }

    public static double SepArcsec(double ra1, double dec1, double ra2, double dec2)
    {
        double dra = (ra1 - ra2) * Math.Cos(0.5 * (dec1 + dec2) * Math.PI / 180);
        return Math.Sqrt((dra * dra) + ((dec1 - dec2) * (dec1 - dec2))) * 3600;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, true);
        }
        catch (IOException)
        {
        }
    }
}
