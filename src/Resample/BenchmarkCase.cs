using System.Diagnostics;

namespace TweakDrizzle.Resample;

/// <summary>
/// The drizzle benchmark case of the Resample issue, built in memory: a float32 input of nx x ny (noise and stars);
/// input pixel (x, y) maps through a mild quadratic distortion (about 6 px at the corners), a rotation and a scale
/// of 1/pixel_scale_ratio into an output frame sized to fit with a 2 px margin. Same geometry as
/// <c>shared/tools/drizzle_bench.py</c>.
/// </summary>
public sealed class BenchmarkCase
{
    private BenchmarkCase(int nx, int ny, float[] data, Pixmap pixmap, int onx, int ony, double pscale)
    {
        Width = nx;
        Height = ny;
        Data = data;
        Pixmap = pixmap;
        OutputWidth = onx;
        OutputHeight = ony;
        PixelScaleRatio = pscale;
    }

    /// <summary>Input columns.</summary>
    public int Width { get; }

    /// <summary>Input rows.</summary>
    public int Height { get; }

    /// <summary>Input data (row-major).</summary>
    public float[] Data { get; }

    /// <summary>The input-to-output pixmap.</summary>
    public Pixmap Pixmap { get; }

    /// <summary>Output columns.</summary>
    public int OutputWidth { get; }

    /// <summary>Output rows.</summary>
    public int OutputHeight { get; }

    /// <summary>Linear size of an output pixel in input pixels.</summary>
    public double PixelScaleRatio { get; }

    /// <summary>Builds the case.</summary>
    /// <param name="nx">Input columns (default benchmark: 4096).</param>
    /// <param name="ny">Input rows (default benchmark: 2048).</param>
    /// <param name="rotationDeg">Rotation in degrees (30).</param>
    /// <param name="pixelScaleRatio">Output pixel size in input pixels (0.5).</param>
    /// <param name="distortion">Quadratic distortion amplitude at the corners in input pixels (6).</param>
    /// <returns>The case.</returns>
    public static BenchmarkCase Create(int nx, int ny, double rotationDeg = 30.0, double pixelScaleRatio = 0.5, double distortion = 6.0)
    {
        if (nx < 16 || ny < 16)
        {
            throw new ResampleException($"benchmark size {nx}x{ny} is too small (at least 16x16)");
        }

        (double[] x, double[] y) = MapPlanes(nx, ny, rotationDeg, pixelScaleRatio, distortion);
        const int margin = 2;
        double minx = x.Min(), miny = y.Min();
        double sx = Math.Floor(minx) - margin, sy = Math.Floor(miny) - margin;
        double maxx = double.MinValue, maxy = double.MinValue;
        for (int k = 0; k < x.Length; k++)
        {
            x[k] -= sx;
            y[k] -= sy;
            maxx = Math.Max(maxx, x[k]);
            maxy = Math.Max(maxy, y[k]);
        }

        int onx = (int)Math.Ceiling(maxx) + margin + 1;
        int ony = (int)Math.Ceiling(maxy) + margin + 1;
        return new BenchmarkCase(nx, ny, MakeInput(nx, ny), new Pixmap(nx, ny, x, y), onx, ony, pixelScaleRatio);
    }

    /// <summary>The benchmark geometry as planes of output x and y (before shifting into the output frame).</summary>
    internal static (double[] X, double[] Y) MapPlanes(int nx, int ny, double rotationDeg, double pscale, double dist)
    {
        var x = new double[(long)nx * ny];
        var y = new double[x.Length];
        double cx = 0.5 * (nx - 1), cy = 0.5 * (ny - 1);
        double c = Math.Cos(rotationDeg * Math.PI / 180.0), s = Math.Sin(rotationDeg * Math.PI / 180.0);
        double k = 1.0 / pscale;
        Parallel.For(0, ny, j =>
        {
            for (int i = 0; i < nx; i++)
            {
                double u = (i - cx) / cx, v = (j - cy) / cy;
                double xd = i - cx + (dist * ((u * u) + (0.4 * u * v)));
                double yd = j - cy + (dist * ((0.6 * v * v) - (0.5 * u * v)));
                long o = ((long)j * nx) + i;
                x[o] = k * ((c * xd) - (s * yd));
                y[o] = k * ((s * xd) + (c * yd));
            }
        });
        return (x, y);
    }

    /// <summary>Drizzles the case once with a fresh output and returns the seconds spent in AddImage.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="threads">Thread count (null: all cores).</param>
    /// <param name="pixfrac">Pixfrac (0.8).</param>
    /// <param name="context">Keep a context image (true).</param>
    /// <returns>Seconds (wall), the co-add, the miss counts, and the process user CPU seconds spent in AddImage.</returns>
    public (double Seconds, Drizzle Result, AddImageResult Counts, double CpuSeconds) Drizzle(DrizzleKernel kernel, int? threads, double pixfrac = 0.8, bool context = true)
    {
        var driz = new Drizzle(new DrizzleOptions
        {
            Kernel = kernel,
            OutputWidth = OutputWidth,
            OutputHeight = OutputHeight,
            DisableCtx = !context,
            MaxDegreeOfParallelism = threads,
        });
        var input = new DrizzleInput
        {
            Data = Data,
            Exptime = 1.0,
            Pixmap = Pixmap,
            Iscale = PixelScaleRatio * PixelScaleRatio,
            PixelScaleRatio = PixelScaleRatio,
            Pixfrac = pixfrac,
        };
        using var process = Process.GetCurrentProcess();
        TimeSpan cpu0 = process.UserProcessorTime;
        var sw = Stopwatch.StartNew();
        AddImageResult r = driz.AddImage(input);
        double wall = sw.Elapsed.TotalSeconds;
        process.Refresh();
        return (wall, driz, r, (process.UserProcessorTime - cpu0).TotalSeconds);
    }

    /// <summary>A smooth source image in the output frame (10 + sin(x/37) cos(y/23)) for blot timing.</summary>
    /// <returns>The source, OutputWidth x OutputHeight.</returns>
    public float[] BlotSource()
    {
        var src = new float[(long)OutputWidth * OutputHeight];
        int w = OutputWidth;
        Parallel.For(0, OutputHeight, j =>
        {
            for (int i = 0; i < w; i++)
            {
                src[((long)j * w) + i] = (float)(10.0 + (Math.Sin(i / 37.0) * Math.Cos(j / 23.0)));
            }
        });
        return src;
    }

    private static float[] MakeInput(int nx, int ny)
    {
        var img = new float[(long)nx * ny];
        ulong state = 0x9E3779B97F4A7C15UL;
        double Next()
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            return (state >> 11) * (1.0 / 9007199254740992.0);
        }

        for (long k = 0; k < img.LongLength; k += 2)
        {
            double u1 = Math.Max(Next(), 1e-300), u2 = Next();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            img[k] = (float)(10.0 + (r * Math.Cos(2 * Math.PI * u2)));
            if (k + 1 < img.LongLength)
            {
                img[k + 1] = (float)(10.0 + (r * Math.Sin(2 * Math.PI * u2)));
            }
        }

        int nstars = Math.Max(50, nx * ny / 20000);
        for (int n = 0; n < nstars; n++)
        {
            int x0 = 8 + (int)(Next() * (nx - 16));
            int y0 = 8 + (int)(Next() * (ny - 16));
            double sig = 0.8 + (1.2 * Next());
            double amp = 50 + (4950 * Next());
            for (int dy = -7; dy <= 7; dy++)
            {
                for (int dx = -7; dx <= 7; dx++)
                {
                    img[((long)(y0 + dy) * nx) + x0 + dx] += (float)(amp * Math.Exp(-((dx * dx) + (dy * dy)) / (2 * sig * sig)));
                }
            }
        }

        return img;
    }
}
