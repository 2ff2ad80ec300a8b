using System.Globalization;
using TweakDrizzle.Fits;

namespace TweakDrizzle.SourceFinder.Tests;

/// <summary>Fixture readers and synthetic images for the tests.</summary>
internal static class TestData
{
    public static string FixturePath(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    /// <summary>Reads the float32 primary image of a (gzipped) FITS fixture with TweakDrizzle.Fits.</summary>
    public static (float[] Data, int Nx, int Ny) ReadFitsGz(string path)
    {
        FitsImage<float> img = FitsFile.ReadImage<float>(path);
        return (img.Data, img.Shape[0], img.Shape[1]);
    }

    public static List<Dictionary<string, string>> ReadCsv(string text)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l =>
        {
            string[] f = l.Split(',');
            return header.Select((h, i) => (h, f[i])).ToDictionary(t => t.h, t => t.Item2);
        })];
    }

    public static double D(string s) => s == "nan" ? double.NaN : double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>Adds a pixel-integrated circular Gaussian star of total <paramref name="flux"/>.</summary>
    public static void AddStar(float[] img, int nx, int ny, double x0, double y0, double flux, double fwhm)
    {
        double s = fwhm / 2.3548200450309493;
        int r = (int)Math.Ceiling(5 * s) + 1;
        int xa = Math.Max(0, (int)x0 - r), xb = Math.Min(nx - 1, (int)x0 + r);
        if (xb < xa)
        {
            return;
        }

        var fxs = new double[xb - xa + 1];
        for (int x = xa; x <= xb; x++)
        {
            fxs[x - xa] = Phi((x + 0.5 - x0) / s) - Phi((x - 0.5 - x0) / s);
        }

        for (int y = Math.Max(0, (int)y0 - r); y <= Math.Min(ny - 1, (int)y0 + r); y++)
        {
            double fy = Phi((y + 0.5 - y0) / s) - Phi((y - 0.5 - y0) / s);
            for (int x = xa; x <= xb; x++)
            {
                img[(y * nx) + x] += (float)(flux * fxs[x - xa] * fy);
            }
        }
    }

    /// <summary>Gaussian noise from a fixed-seed generator (Box–Muller).</summary>
    public static float[] Noise(int nx, int ny, double sky, double sigma, int seed)
    {
        var rng = new Random(seed);
        var img = new float[nx * ny];
        for (int i = 0; i < img.Length; i++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            img[i] = (float)(sky + (sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2)));
        }

        return img;
    }

    private static double Phi(double z) => 0.5 * (1 + Erf(z / Math.Sqrt(2)));

    private static double Erf(double x)
    {
        // Series / continued fraction good to ~1e-12 for the test generator.
        double ax = Math.Abs(x);
        double r;
        if (ax < 3)
        {
            double sum = ax, term = ax;
            for (int n = 1; n < 200; n++)
            {
                term *= -ax * ax / n;
                sum += term / ((2 * n) + 1);
            }

            r = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            double f = 0;
            for (int n = 60; n >= 1; n--)
            {
                f = n / 2.0 / (ax + f);
            }

            r = 1 - (Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / (ax + f));
        }

        return x < 0 ? -r : r;
    }
}
