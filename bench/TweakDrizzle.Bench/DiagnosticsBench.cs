using System.Diagnostics;
using TweakDrizzle.Diagnostics.Alignment;
using TweakDrizzle.Diagnostics.Drizzle;
using TweakDrizzle.Diagnostics.Images;
using TweakDrizzle.Diagnostics.Plotting;
using TweakDrizzle.Diagnostics.Reports;

namespace TweakDrizzle.Bench;

/// <summary>
/// <c>diagnostics-tweakreg-plots [N] [REPEATS]</c>: draws TweakReg's three plots (offset histogram, residual vectors,
/// residuals against X and Y) to PNG for one image with N matches (default 10,000) and reports the time.
/// </summary>
public static class DiagnosticsBench
{
    public static object Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        int repeats = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
        (AlignmentResiduals residuals, OffsetHistogram histogram) = DiagnosticsSamples.Alignment(n, 1);

        // Warm-up: loads cairo and fontconfig, JIT-compiles the drawing code.
        long bytes = RenderAll(residuals, histogram);

        // This machine is shared: besides wall-clock time, report the CPU time this process used, which other
        // processes' load inflates much less.
        var wall = new List<double>();
        var cpu = new List<double>();
        var each = new double[3];
        Process self = Process.GetCurrentProcess();
        for (int r = 0; r < repeats; r++)
        {
            self.Refresh();
            TimeSpan cpu0 = self.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            long t0 = sw.ElapsedTicks;
            _ = AlignmentPlots.OffsetHistogram(histogram).Render(PlotFormat.Png);
            long t1 = sw.ElapsedTicks;
            _ = AlignmentPlots.ResidualVectors(residuals).Render(PlotFormat.Png);
            long t2 = sw.ElapsedTicks;
            _ = AlignmentPlots.Residuals(residuals).Render(PlotFormat.Png);
            long t3 = sw.ElapsedTicks;
            wall.Add(sw.Elapsed.TotalMilliseconds);
            self.Refresh();
            cpu.Add((self.TotalProcessorTime - cpu0).TotalMilliseconds);
            each[0] += (t1 - t0) * 1000.0 / Stopwatch.Frequency / repeats;
            each[1] += (t2 - t1) * 1000.0 / Stopwatch.Frequency / repeats;
            each[2] += (t3 - t2) * 1000.0 / Stopwatch.Frequency / repeats;
        }

        wall.Sort();
        cpu.Sort();
        return new
        {
            benchmark = "diagnostics-tweakreg-plots",
            matches = n,
            repeats,
            png_bytes_total = bytes,
            median_wall_ms_three_plots = Math.Round(wall[wall.Count / 2], 1),
            min_wall_ms_three_plots = Math.Round(wall[0], 1),
            median_cpu_ms_three_plots = Math.Round(cpu[cpu.Count / 2], 1),
            mean_wall_ms_hist2d = Math.Round(each[0], 1),
            mean_wall_ms_vector = Math.Round(each[1], 1),
            mean_wall_ms_residuals = Math.Round(each[2], 1),
            load_average_1min = LoadAverage(),
            goal_ms = 300,
        };
    }

    private static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    private static long RenderAll(AlignmentResiduals residuals, OffsetHistogram histogram) =>
        AlignmentPlots.OffsetHistogram(histogram).Render(PlotFormat.Png).LongLength +
        AlignmentPlots.ResidualVectors(residuals).Render(PlotFormat.Png).LongLength +
        AlignmentPlots.Residuals(residuals).Render(PlotFormat.Png).LongLength;
}

/// <summary>Deterministic synthetic inputs for the diagnostics benchmarks and the example plots in docs/img.</summary>
public static class DiagnosticsSamples
{
    /// <summary>N matched sources on a 4096 × 2048 chip (positions relative to its centre, as TweakReg plots them)
    /// with 0.04 px noise plus a small distortion-like pattern, and the offset histogram of a 25-px search.</summary>
    public static (AlignmentResiduals Residuals, OffsetHistogram Histogram) Alignment(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n];
        var y = new double[n];
        var dx = new double[n];
        var dy = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (rng.NextDouble() * 4096) - 2048;
            y[i] = (rng.NextDouble() * 2048) - 1024;
            dx[i] = (0.04 * Gauss(rng)) + (0.015 * Math.Sin(x[i] / 700.0));
            dy[i] = (0.04 * Gauss(rng)) + (0.012 * (y[i] / 1024.0) * (y[i] / 1024.0)) - 0.004;
        }

        // A few outliers as real matches have.
        for (int i = 0; i < n / 200; i++)
        {
            dx[i] = 0.25 * Gauss(rng);
            dy[i] = 0.25 * Gauss(rng);
        }

        var residuals = new AlignmentResiduals
        {
            ImageName = "j8ny01szq_flc.fits",
            FitGeometry = "rscale",
            X = x,
            Y = y,
            Dx = dx,
            Dy = dy,
            TotalMatches = n + (n / 50),
            RmsRa = 0.0021,
            RmsDec = 0.0019,
        };

        const double searchRadius = 25;
        int r = (int)Math.Ceiling(searchRadius), side = (2 * r) + 1;
        var counts = new double[side * side];
        double px = 3.42, py = -1.73;
        for (int k = 0; k < 40 * side * side; k++)
        {
            counts[rng.Next(counts.Length)] += 1; // chance pairs
        }

        for (int k = 0; k < Math.Min(n, 900); k++)
        {
            int ix = (int)Math.Round(px + (0.35 * Gauss(rng))) + r, iy = (int)Math.Round(py + (0.35 * Gauss(rng))) + r;
            counts[(iy * side) + ix] += 1;
        }

        OffsetHistogram histogram = OffsetHistogram.ForSearchRadius("j8ny01szq_flc.fits", counts, searchRadius) with
        {
            PeakX = px,
            PeakY = py,
            PeakMatches = Math.Min(n, 900),
            FitGeometry = "rscale",
        };
        return (residuals, histogram);
    }

    /// <summary>A small drizzle product: stars on sky, four dithered exposures of two chips with a gap, some holes.</summary>
    public static DrizzleProductImages Product(int width, int height, int seed)
    {
        var rng = new Random(seed);
        var sci = new float[width * height];
        var wht = new float[width * height];
        var ctx = new int[width * height];
        (double X, double Y)[] offsets = [(30, 25), (38, 29), (46, 33), (54, 37)];
        for (int e = 0; e < offsets.Length; e++)
        {
            (double ox, double oy) = offsets[e];
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    double u = x - ox, v = y - oy;
                    bool chip = u >= 0 && u < width - 90 && v >= 0 && v < height - 70 && !(v >= 100 && v < 104);
                    if (chip && rng.NextDouble() > 0.004)
                    {
                        wht[(y * width) + x] += (float)(480 + (40 * rng.NextDouble()));
                        ctx[(y * width) + x] |= 1 << e;
                    }
                }
            }
        }

        var stars = new (double X, double Y, double F)[160];
        for (int k = 0; k < stars.Length; k++)
        {
            stars[k] = (rng.NextDouble() * width, rng.NextDouble() * height, Math.Pow(10, 1 + (2.5 * rng.NextDouble())));
        }

        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = (y * width) + x;
                double value = 0.5 + (0.05 * Gauss(rng));
                foreach ((double sx, double sy, double f) in stars)
                {
                    double r2 = ((x - sx) * (x - sx)) + ((y - sy) * (y - sy));
                    if (r2 < 64)
                    {
                        value += f * Math.Exp(-r2 / 3.0);
                    }
                }

                sci[i] = wht[i] > 0 ? (float)value : 0f;
            }
        }

        return new DrizzleProductImages { Name = "f606w_drc", Width = width, Height = height, Sci = sci, Wht = wht, Context = ctx };
    }

    public static double Gauss(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}

/// <summary><c>diagnostics-examples OUTDIR [--report]</c>: writes one small example of every plot type (the images in
/// docs/img); with <c>--report</c> also a QA report (qa_report_example.html/.json) built from them.</summary>
public static class DiagnosticsExamples
{
    public static object Run(string[] args)
    {
        string dir = args.Length > 0 ? args[0] : "docs/img";
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        (AlignmentResiduals res, OffsetHistogram hist) = DiagnosticsSamples.Alignment(800, 7);
        Save(AlignmentPlots.OffsetHistogram(hist), Path.Combine(dir, "hist2d_example.png"), written);
        Save(AlignmentPlots.ResidualVectors(res), Path.Combine(dir, "vector_example.png"), written);
        Save(AlignmentPlots.Residuals(res), Path.Combine(dir, "residuals_example.png"), written);

        DitherExposure[] dither =
        [
            new("j8ny01svq", 0, 0), new("j8ny01szq", 2.5, 0.5), new("j8ny01t3q", 1.0, 3.5), new("j8ny01t7q", 3.5, 4.0),
            new("j8ny01tbq", 4.02, 0.03),
        ];
        Save(DrizzlePlots.DitherPattern(dither, "Dither pattern · ACS/WFC 4-point box"), Path.Combine(dir, "dither_example.png"), written);
        PixfracTrial[] trials = [.. new[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0 }.Select(pf =>
            new PixfracTrial(pf, 0.04 + (0.9 * Math.Exp(-pf * 5.5))) { HoleFraction = Math.Max(0, 0.12 - (0.4 * pf)) })];
        Save(DrizzlePlots.WeightVsPixfrac(trials, "f606w_drc"), Path.Combine(dir, "pixfrac_example.png"), written);
        DrizzleProductImages product = DiagnosticsSamples.Product(420, 300, 3);
        Save(DrizzlePlots.ProductPreview(product), Path.Combine(dir, "product_example.png"), written);
        Save(DrizzlePlots.HolesMap(product.Wht, product.Width, product.Height, product.Name), Path.Combine(dir, "holes_example.png"), written);
        Save(Gallery(), Path.Combine(dir, "primitives_example.png"), written);
        string preview = Path.Combine(dir, "preview_example.png");
        ImagePreview.Save(preview, product.Sci, product.Width, product.Height);
        written.Add(preview);
        if (args.Contains("--report"))
        {
            var report = new QaReport
            {
                Title = "TweakDrizzle QA report (synthetic example)",
                Notes = ["Example data from bench/TweakDrizzle.Bench/DiagnosticsBench.cs"],
                Images =
                [
                    new QaImageRow { Name = "j8ny01svq_flc.fits", Status = "reference" },
                    QaImageRow.FromResiduals(res) with { XShift = 3.42, YShift = -1.73, Rotation = 0.0012, Scale = 1.000004 },
                ],
                Products = [QaProductRow.FromStatistics(product.Name, DrizzleQuality.Measure(product.Wht, product.Width, product.Height)) with { Inputs = 4, Pixfrac = 0.8, Kernel = "square" }],
                Plots =
                [
                    QaPlot.FromFigure("Offset histogram", AlignmentPlots.OffsetHistogram(hist), "Alignment"),
                    QaPlot.FromFigure("Residual vectors", AlignmentPlots.ResidualVectors(res), "Alignment"),
                    QaPlot.FromFigure("Residuals against X and Y", AlignmentPlots.Residuals(res), "Alignment"),
                    QaPlot.FromFigure("SCI, WHT and CTX", DrizzlePlots.ProductPreview(product), "Drizzle"),
                    QaPlot.FromFigure("Holes", DrizzlePlots.HolesMap(product.Wht, product.Width, product.Height, product.Name), "Drizzle"),
                ],
            };
            (string html, string json) = QaReportWriter.Write(report, dir, "qa_report_example");
            written.Add(html);
            written.Add(json);
        }

        return new { benchmark = "diagnostics-examples", written = written.Select(p => new { path = p, bytes = new FileInfo(p).Length }) };
    }

    /// <summary>The plotting layer's building blocks in one figure: lines, error bars, scatter, legend, arrows with
    /// a key, and heat maps with log and asinh colour bars.</summary>
    private static Figure Gallery()
    {
        var fig = new Figure(900, 640, 2, 2) { Title = "Plotting layer", Subtitle = "lines · error bars · scatter · arrows · heat maps (log and asinh stretches)" };
        var rng = new Random(11);
        double[] x = [.. Enumerable.Range(0, 40).Select(i => i * 0.25)];
        Axes a = fig[0, 0];
        a.Title = "Lines and error bars";
        a.XLabel = "Time (s)";
        a.YLabel = "Signal";
        a.Line(x, [.. x.Select(v => Math.Sin(v))], PlotPalette.Blue, 1.8, LineStyle.Solid, "sin t");
        a.Line(x, [.. x.Select(v => Math.Cos(v) * 0.8)], PlotPalette.Orange, 1.8, LineStyle.Dashed, "0.8 cos t");
        double[] ex = [.. Enumerable.Range(0, 10).Select(i => (i * 1.0) + 0.3)];
        a.ErrorBars(ex, [.. ex.Select(v => Math.Sin(v) + (0.1 * DiagnosticsSamples.Gauss(rng)))], [.. ex.Select(_ => 0.15)], PlotPalette.Vermillion, label: "measured");
        a.Legend = LegendLocation.LowerLeft;

        Axes b = fig[0, 1];
        b.Title = "Scatter";
        b.XLabel = "x";
        b.YLabel = "y";
        double[] sx = [.. Enumerable.Range(0, 3000).Select(_ => DiagnosticsSamples.Gauss(rng))];
        double[] sy = [.. sx.Select(v => (0.6 * v) + (0.5 * DiagnosticsSamples.Gauss(rng)))];
        b.Scatter(sx, sy, PlotPalette.Green, 1.6, 0.35, "3000 points");
        b.Legend = LegendLocation.UpperLeft;

        Axes c = fig[1, 0];
        c.Title = "Heat map, log stretch";
        int n = 60;
        var img = new double[n * n];
        for (int i = 0; i < img.Length; i++)
        {
            double dx = (i % n) - 30, dy = (i / n) - 30;
            img[i] = 5 + (4000 * Math.Exp(-((dx * dx) + (dy * dy)) / 30.0)) + rng.NextDouble();
        }

        c.HeatMap(img, n, n, new AxisRange(0, n), new AxisRange(0, n), Colormap.Viridis, new ImageStretch(StretchKind.Log, 0, 4000), "Counts");
        c.EqualAspect = true;
        c.ShowGrid = false;

        Axes d = fig[1, 1];
        d.Title = "Heat map, asinh stretch, with arrows";
        d.HeatMap(img, n, n, new AxisRange(0, n), new AxisRange(0, n), Colormap.Gray, new ImageStretch(StretchKind.Asinh, 0, 4000), "Counts");
        double[] ax = [.. Enumerable.Range(0, 36).Select(i => 5.0 + (i % 6 * 10))];
        double[] ay = [.. Enumerable.Range(0, 36).Select(i => 5.0 + (i / 6 * 10))];
        d.Arrows(ax, ay, [.. ax.Select(v => (v - 30) * 0.01)], [.. ay.Select(v => (30 - v) * 0.01)], 20, PlotPalette.Orange, 1.2);
        d.ArrowKey = new ArrowKey(0.2, "0.2 pixels");
        d.EqualAspect = true;
        d.ShowGrid = false;
        return fig;
    }

    private static void Save(Figure figure, string path, List<string> written)
    {
        figure.PixelsPerPoint = 1.2;
        figure.Save(path);
        written.Add(path);
    }
}
