using System.Globalization;
using TweakDrizzle.Diagnostics.Images;
using TweakDrizzle.Diagnostics.Plotting;

namespace TweakDrizzle.Diagnostics.Drizzle;

/// <summary>
/// Drizzle quality plots: the dither pattern and its sub-pixel phases, weight RMS/median against pixfrac,
/// previews of SCI/WHT/CTX and the map of holes (zero-weight pixels inside the footprint).
/// </summary>
public static class DrizzlePlots
{
    /// <summary>The recommended ceiling of weight RMS / median (DrizzlePac's pixfrac recipe).</summary>
    public const double WeightRmsGuideline = 0.2;

    /// <summary>Longest side, in cells, of an image drawn in a figure panel; larger images are block-reduced.</summary>
    public const int PanelImageSize = 600;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The dither pattern (exposure offsets) and the pixel phases (offsets modulo one pixel), as in the
    /// DrizzlePac sampling notebook: well-spread phases mean the sub-pixel grid is sampled evenly.</summary>
    /// <param name="exposures">The exposures and their offsets in input pixels.</param>
    /// <param name="title">Figure title, or null for a default.</param>
    /// <returns>The figure.</returns>
    public static Figure DitherPattern(IReadOnlyList<DitherExposure> exposures, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(exposures);
        if (exposures.Count == 0)
        {
            throw new ArgumentException("A dither pattern needs at least one exposure.", nameof(exposures));
        }

        var fig = new Figure(820, 440, 1, 2)
        {
            Title = title ?? "Dither pattern",
            Subtitle = string.Create(Inv, $"{exposures.Count} exposures   ·   offsets in input pixels   ·   largest empty phase gap {LargestPhaseGap(exposures):0.00} px"),
        };
        double[] x = [.. exposures.Select(e => e.X)], y = [.. exposures.Select(e => e.Y)];
        double[] px = [.. x.Select(Phase)], py = [.. y.Select(Phase)];

        Axes a = fig[0, 0];
        a.Title = "Offsets";
        a.XLabel = "X offset (pixels)";
        a.YLabel = "Y offset (pixels)";
        a.EqualAspect = true;
        // A square window (like the phase panel), so both panels have the same size.
        AxisRange xr = AxisRange.FromData(x, 0.15), yr = AxisRange.FromData(y, 0.15);
        double half = Math.Max(xr.Span, yr.Span) / 2, cx = (xr.Min + xr.Max) / 2, cy = (yr.Min + yr.Max) / 2;
        xr = new AxisRange(cx - half, cx + half);
        yr = new AxisRange(cy - half, cy + half);
        a.XRange = xr;
        a.YRange = yr;
        if (x.Length > 1)
        {
            a.Line(x, y, PlotPalette.Grid.Mix(PlotPalette.Axis, 0.35), 1.0, LineStyle.Dashed);
        }

        a.Scatter(x, y, PlotPalette.Blue, 4.5);
        LabelPoints(a, x, y, Math.Max(xr.Span, yr.Span));

        Axes b = fig[0, 1];
        b.Title = "Pixel phases";
        b.XLabel = "X phase (pixel fraction)";
        b.YLabel = "Y phase (pixel fraction)";
        b.XRange = new AxisRange(-0.06, 1.06);
        b.YRange = new AxisRange(-0.06, 1.06);
        b.EqualAspect = true;
        b.XTicks = [0, 0.25, 0.5, 0.75, 1];
        b.YTicks = [0, 0.25, 0.5, 0.75, 1];
        PlotColor cell = PlotPalette.Grid.Mix(PlotPalette.Axis, 0.45);
        b.Line([0, 1, 1, 0, 0], [0, 0, 1, 1, 0], cell, 1.0);
        b.HorizontalLine(0.5, cell, 0.8, LineStyle.Dotted);
        b.VerticalLine(0.5, cell, 0.8, LineStyle.Dotted);
        b.Scatter(px, py, PlotPalette.Vermillion, 4.5);
        LabelPoints(b, px, py, 1);
        return fig;
    }

    /// <summary>Weight-map RMS / median against pixfrac with the 0.2 guideline; the smallest pixfrac that
    /// stays below it (and has no holes, when measured) is marked as the suggestion.</summary>
    /// <param name="trials">One entry per trial pixfrac.</param>
    /// <param name="productName">Name for the title, or null.</param>
    /// <param name="recommended">The pixfrac recommended by other criteria too (the advisor's point-source bound), marked
    /// instead of the weight-only suggestion; null: the weight-only suggestion.</param>
    /// <returns>The figure.</returns>
    public static Figure WeightVsPixfrac(IReadOnlyList<PixfracTrial> trials, string? productName = null, double? recommended = null)
    {
        ArgumentNullException.ThrowIfNull(trials);
        if (trials.Count == 0)
        {
            throw new ArgumentException("The pixfrac plot needs at least one trial.", nameof(trials));
        }

        PixfracTrial[] sorted = [.. trials.OrderBy(t => t.Pixfrac)];
        bool photometry = sorted.Any(t => double.IsFinite(t.PointSourceMax));
        var fig = new Figure(640, photometry ? 720 : 440, rows: photometry ? 2 : 1)
        {
            Title = "Weight uniformity against pixfrac" + (productName is null ? string.Empty : " · " + productName),
        };
        PixfracTrial? best = recommended is { } chosen ? sorted.FirstOrDefault(t => t.Pixfrac == chosen) : SuggestPixfrac(sorted);
        fig.Subtitle = (best, recommended) switch
        {
            (null, _) => "No pixfrac tried keeps RMS/median below 0.2: add exposures or use a larger output pixel",
            (_, null) => string.Create(Inv, $"Smallest pixfrac with RMS/median < {WeightRmsGuideline} and no holes: {best.Pixfrac:0.###}"),
            _ => string.Create(Inv, $"Recommended pixfrac: {best.Pixfrac:0.###}"),
        };
        Axes a = fig.Panel;
        a.XLabel = "pixfrac";
        a.YLabel = "Weight RMS / median";
        double[] pf = [.. sorted.Select(t => t.Pixfrac)];
        double[] ratio = [.. sorted.Select(t => t.WeightRmsOverMedian)];
        double top = Math.Max(0.3, ratio.Where(double.IsFinite).DefaultIfEmpty(0).Max() * 1.08);
        bool holes = sorted.Any(t => double.IsFinite(t.HoleFraction));
        if (holes)
        {
            a.YLabel = "Weight RMS / median, hole fraction";
            top = Math.Max(top, sorted.Select(t => t.HoleFraction).Where(double.IsFinite).DefaultIfEmpty(0).Max() * 1.08);
        }

        a.XRange = AxisRange.Padded(Math.Min(0, pf.Min()), Math.Max(1, pf.Max()), 0.03);
        a.YRange = new AxisRange(0, top);
        a.HorizontalLine(WeightRmsGuideline, PlotPalette.Vermillion, 1.3, LineStyle.Dashed, "RMS/median = 0.2 (guideline)");
        if (best is not null)
        {
            a.VerticalLine(best.Pixfrac, PlotPalette.Green, 1.2, LineStyle.Dotted, string.Create(Inv, $"{(recommended is null ? "Suggested" : "Recommended")} pixfrac {best.Pixfrac:0.###}"));
        }

        a.Line(pf, ratio, PlotPalette.Blue, 2.0, LineStyle.Solid, "Weight RMS / median", 3.5);
        if (holes)
        {
            a.Line(pf, [.. sorted.Select(t => t.HoleFraction)], PlotPalette.Orange, 1.6, LineStyle.Solid, "Hole fraction", 3);
        }

        a.Legend = LegendLocation.UpperRight;
        if (photometry)
        {
            // Below: what drizzle itself does to point-source photometry at each pixfrac (noise-free test stars).
            Axes p = fig[1, 0];
            p.XLabel = "pixfrac";
            p.YLabel = "Point-source aperture error (%)";
            p.XRange = a.XRange;
            double[] max = [.. sorted.Select(t => 100 * t.PointSourceMax)];
            p.YRange = new AxisRange(0, Math.Max(1.5, max.Where(double.IsFinite).DefaultIfEmpty(0).Max() * 1.08));
            p.HorizontalLine(1.0, PlotPalette.Vermillion, 1.3, LineStyle.Dashed, "1 %");
            p.Line(pf, max, PlotPalette.Blue, 2.0, LineStyle.Solid, "Largest over the test stars", 3.5);
            p.Line(pf, [.. sorted.Select(t => 100 * t.PointSourceRms)], PlotPalette.Orange, 1.6, LineStyle.Solid, "RMS", 3);
            p.Legend = LegendLocation.UpperRight;
        }

        return fig;
    }

    /// <summary>The suggested pixfrac: the smallest trial with RMS/median below the guideline and no holes.</summary>
    /// <param name="trials">The trials.</param>
    /// <returns>The trial, or null when none qualifies.</returns>
    public static PixfracTrial? SuggestPixfrac(IEnumerable<PixfracTrial> trials) =>
        trials?.Where(t => t.WeightRmsOverMedian < WeightRmsGuideline && !(t.HoleFraction > 0)).OrderBy(t => t.Pixfrac).FirstOrDefault();

    /// <summary>Side-by-side previews of SCI (asinh, grey), WHT and the number of contributing inputs (from CTX),
    /// block-reduced to at most <see cref="PanelImageSize"/> cells.</summary>
    /// <param name="product">The product's images.</param>
    /// <returns>The figure.</returns>
    public static Figure ProductPreview(DrizzleProductImages product)
    {
        ArgumentNullException.ThrowIfNull(product);
        product.Validate();
        bool ctx = product.Context is not null;
        int panels = ctx ? 3 : 2;
        double aspect = product.Height / (double)product.Width;
        double width = ctx ? 1020 : 720;
        double panelW = (width - 20) / panels - 110;
        var fig = new Figure(width, Math.Clamp(120 + (panelW * aspect), 300, 900), 1, panels)
        {
            Title = "Drizzled product · " + product.Name,
            Subtitle = string.Create(Inv, $"{product.Width} × {product.Height} pixels"),
        };
        int factor = ImageOps.ReductionFactor(product.Width, product.Height, PanelImageSize);
        if (factor > 1)
        {
            fig.Subtitle += string.Create(Inv, $"   ·   shown binned {factor} × {factor}");
        }

        var xr = new AxisRange(-0.5, product.Width - 0.5);
        var yr = new AxisRange(-0.5, product.Height - 0.5);

        (float[] sci, int w, int h) = ImageOps.BlockReduce(product.Sci, product.Width, product.Height, factor);
        ImageStretch sciStretch = ImagePreview.StretchFor(sci, new PreviewOptions { LowPercent = 1, HighPercent = 99.7 });
        ImagePanel(fig[0, 0], "SCI", sci, w, h, xr, yr, Colormap.Gray, sciStretch, "Data value (asinh stretch)");

        (float[] wht, _, _) = ImageOps.BlockReduce(product.Wht, product.Width, product.Height, factor);
        ImageStretch whtStretch = ImageStretch.FromPercentiles(StretchKind.Linear, wht, 0, 99.5) with { Vmin = 0 };
        ImagePanel(fig[0, 1], "WHT", wht, w, h, xr, yr, Colormap.Viridis, whtStretch, "Weight");

        if (ctx)
        {
            float[] count = DrizzleQuality.ContextCount(product.Context, product.Width * product.Height, product.ContextPlanes);
            (float[] c, _, _) = ImageOps.BlockReduce(count, product.Width, product.Height, factor, BlockReduction.Max);
            double maxCount = Math.Max(1, c.Where(float.IsFinite).DefaultIfEmpty(0).Max());
            ImagePanel(fig[0, 2], "CTX", c, w, h, xr, yr, Colormap.Viridis, new ImageStretch(StretchKind.Linear, 0, maxCount), "Contributing inputs");
        }

        for (int i = 1; i < panels; i++)
        {
            fig[0, i].YLabel = null;
        }

        return fig;
    }

    /// <summary>The map of holes: zero-weight pixels inside the footprint in vermillion over the weight map in
    /// light greys, with the hole fraction, coverage and weight RMS/median in the subtitle. Holes survive the
    /// block reduction (a binned cell is flagged when any of its pixels is a hole).</summary>
    /// <param name="weight">The weight image.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="productName">Name for the title.</param>
    /// <param name="statistics">The weight statistics of <paramref name="weight"/> when the caller has them already (<see cref="DrizzleQuality.Measure"/>); null to measure them here.</param>
    /// <returns>The figure.</returns>
    public static Figure HolesMap(float[] weight, int width, int height, string productName, WeightStatistics? statistics = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ImageOps.CheckShape(weight.Length, width, height);
        WeightStatistics stats = statistics ?? DrizzleQuality.Measure(weight, width, height);
        bool[] holes = DrizzleQuality.Holes(weight, width, height);
        int factor = ImageOps.ReductionFactor(width, height, PanelImageSize);
        (float[] wSmall, int w, int h) = ImageOps.BlockReduce(weight, width, height, factor);

        // A reduced pixel shows a hole when any pixel of its block is one (no float copy of a full-size mask).
        var holeSmall = new bool[w * h];
        for (int i = 0; i < holes.Length; i++)
        {
            if (holes[i])
            {
                holeSmall[((i / width / factor) * w) + (i % width / factor)] = true;
            }
        }

        double aspect = height / (double)width;
        var fig = new Figure(640, Math.Clamp(150 + (480 * aspect), 320, 900))
        {
            Title = "Holes (zero-weight pixels) · " + productName,
            Subtitle = string.Create(Inv,
                $"Holes {100 * stats.HoleFraction:0.###}% of the footprint ({stats.HolePixels} pixels)   ·   coverage {100 * stats.Coverage:0.#}%   ·   weight RMS/median {stats.RmsOverMedian:0.###}"),
        };
        var xr = new AxisRange(-0.5, width - 0.5);
        var yr = new AxisRange(-0.5, height - 0.5);
        Axes a = fig.Panel;
        double wmax = Math.Max(1e-30, wSmall.Where(float.IsFinite).DefaultIfEmpty(0).Max());
        a.HeatMap([.. wSmall.Select(v => (double)v)], w, h, xr, yr, Colormap.GrayReversed, new ImageStretch(StretchKind.Linear, 0, wmax * 2.5), showColorBar: false);
        a.Mask(holeSmall, w, h, xr, yr, PlotPalette.Vermillion, 1.0, stats.HolePixels > 0 ? "Hole" : "No holes");
        if (stats.HolePixels is > 0 and <= 500)
        {
            // Few holes are single pixels, too small to see: ring each one.
            var hx = new List<double>();
            var hy = new List<double>();
            for (int i = 0; i < holes.Length; i++)
            {
                if (holes[i])
                {
                    hx.Add(i % width);
                    hy.Add(i / width);
                }
            }

            foreach ((double px, double py) in hx.Zip(hy))
            {
                a.Marker(px, py, MarkerShape.Ring, 9, PlotPalette.Vermillion, null, 1.2);
            }
        }
        a.XRange = xr;
        a.YRange = yr;
        a.EqualAspect = true;
        a.ShowGrid = false;
        a.XLabel = "X (pixels)";
        a.YLabel = "Y (pixels)";
        a.Legend = LegendLocation.UpperRight;
        if (factor > 1)
        {
            a.Note = string.Create(Inv, $"Binned {factor} × {factor}: a cell is red when any of its pixels is a hole.");
        }

        return fig;
    }

    /// <summary>The largest gap between neighbouring pixel phases, in pixels (phases on a circle, worst of x and
    /// y): 1/N for a perfect N-point pattern along one axis, near 1 when all exposures share one phase.</summary>
    /// <param name="exposures">The exposures.</param>
    /// <returns>The gap in pixel units.</returns>
    public static double LargestPhaseGap(IReadOnlyList<DitherExposure> exposures)
    {
        ArgumentNullException.ThrowIfNull(exposures);
        double worst = 0;
        foreach (Func<DitherExposure, double> axis in new Func<DitherExposure, double>[] { e => e.X, e => e.Y })
        {
            double[] p = [.. exposures.Select(e => Phase(axis(e))).Order()];
            if (p.Length == 0)
            {
                continue;
            }

            double gap = 1 - p[^1] + p[0];
            for (int i = 1; i < p.Length; i++)
            {
                gap = Math.Max(gap, p[i] - p[i - 1]);
            }

            worst = Math.Max(worst, gap);
        }

        return worst;
    }

    /// <summary>The sub-pixel phase of an offset, in [0, 1).</summary>
    /// <param name="offset">Offset in pixels.</param>
    /// <returns>offset − floor(offset).</returns>
    public static double Phase(double offset)
    {
        double p = offset - Math.Floor(offset);
        return p >= 1 ? 0 : p;
    }

    private static void ImagePanel(Axes a, string title, float[] data, int w, int h, AxisRange xr, AxisRange yr, Colormap map, ImageStretch stretch, string barLabel)
    {
        a.Title = title;
        a.HeatMap([.. data.Select(v => (double)v)], w, h, xr, yr, map, stretch, barLabel);
        a.XRange = xr;
        a.YRange = yr;
        a.EqualAspect = true;
        a.ShowGrid = false;
        a.XLabel = "X (pixels)";
        a.YLabel = "Y (pixels)";
    }

    private static void LabelPoints(Axes a, double[] x, double[] y, double span)
    {
        if (x.Length > 40)
        {
            return;
        }

        // Points that coincide share one label ("1, 3").
        var done = new bool[x.Length];
        double tol = 0.01 * span;
        for (int i = 0; i < x.Length; i++)
        {
            if (done[i])
            {
                continue;
            }

            var names = new List<string>();
            for (int j = i; j < x.Length; j++)
            {
                if (!done[j] && Math.Abs(x[j] - x[i]) <= tol && Math.Abs(y[j] - y[i]) <= tol)
                {
                    done[j] = true;
                    names.Add((j + 1).ToString(Inv));
                }
            }

            a.Text(x[i] + (0.035 * span), y[i] + (0.035 * span), string.Join(", ", names), PlotPalette.Text, TextAlign.Left, 8.5);
        }
    }
}
