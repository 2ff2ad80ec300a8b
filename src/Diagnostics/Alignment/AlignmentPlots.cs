using System.Globalization;
using TweakDrizzle.Diagnostics.Plotting;

namespace TweakDrizzle.Diagnostics.Alignment;

/// <summary>
/// TweakReg's three diagnostic plots for an aligned image, with the same content and a cleaner look:
/// the offset histogram (<c>hist2d_&lt;root&gt;</c>), the residual vectors (<c>vector_&lt;root&gt;</c>) and the
/// residuals against X and Y (<c>residuals_&lt;root&gt;</c>).
/// </summary>
public static class AlignmentPlots
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The 2-D histogram of dx/dy offsets, with the peak and the zero offset marked.</summary>
    /// <param name="histogram">The histogram and its peak.</param>
    /// <returns>The figure (save or render it).</returns>
    public static Figure OffsetHistogram(OffsetHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        histogram.Validate();
        var fig = new Figure(560, 520) { Title = "Offset histogram · " + histogram.ImageName };
        bool found = double.IsFinite(histogram.PeakX) && double.IsFinite(histogram.PeakY);
        double max = histogram.Counts.Where(double.IsFinite).DefaultIfEmpty(0).Max();
        fig.Subtitle = (found
            ? string.Create(Inv, $"Peak: {PeakText(histogram, max)} at Δx = {Num(histogram.PeakX, 3)}, Δy = {Num(histogram.PeakY, 3)} px")
            : "No peak found") + GeometrySuffix(histogram.FitGeometry);

        Axes ax = fig.Panel;
        var xr = new AxisRange(histogram.XMin, histogram.XMin + (histogram.Columns * histogram.BinSize));
        var yr = new AxisRange(histogram.YMin, histogram.YMin + (histogram.Rows * histogram.BinSize));
        ax.XRange = xr;
        ax.YRange = yr;
        ax.EqualAspect = true;
        ax.ShowGrid = false;
        ax.XLabel = "Offset in X (pixels)";
        ax.YLabel = "Offset in Y (pixels)";
        double[] counts = [.. histogram.Counts];
        var stretch = new ImageStretch(StretchKind.Linear, 0, Math.Max(max, 1));
        ax.HeatMap(counts, histogram.Columns, histogram.Rows, xr, yr, Colormap.Viridis, stretch, "Source pairs per bin");

        if (xr.Min <= 0 && xr.Max >= 0 && yr.Min <= 0 && yr.Max >= 0)
        {
            ax.Marker(0, 0, MarkerShape.Plus, 22, PlotPalette.Yellow, "Offset = 0, 0", 2.2);
        }

        if (found)
        {
            ax.Marker(histogram.PeakX, histogram.PeakY, MarkerShape.Ring, 18, PlotPalette.Vermillion, "Peak", 2.2);
        }

        ax.Legend = LegendLocation.UpperRight;
        return fig;
    }

    /// <summary>The residual vector plot: one arrow per matched source, with a key arrow and the DX/DY ranges in
    /// the axis labels.</summary>
    /// <param name="residuals">The matched sources and their residuals.</param>
    /// <returns>The figure.</returns>
    public static Figure ResidualVectors(AlignmentResiduals residuals)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        residuals.Validate();
        double[] x = [.. residuals.X], y = [.. residuals.Y], dx = [.. residuals.Dx], dy = [.. residuals.Dy];

        // The figure's height follows the field's shape, so an equal-aspect plot fills it.
        double aspect = AxisRange.FromData(y).Span / AxisRange.FromData(x).Span;
        const double Width = 720;
        double height = Math.Clamp(175 + ((Width - 120) * aspect), 380, 900);
        var fig = new Figure(Width, height)
        {
            Title = "Residual vectors · " + residuals.ImageName,
            Subtitle = FitSummary(residuals),
        };
        Axes ax = fig.Panel;
        ax.XLabel = "X (pixels)   ·   DX: " + RangeText(dx);
        ax.YLabel = "Y (pixels)   ·   DY: " + RangeText(dy);
        ax.EqualAspect = true;

        (double scale, double key) = VectorScale(x, y, dx, dy);
        if (x.Length > 0)
        {
            ax.Arrows(x, y, dx, dy, scale, PlotPalette.Blue, x.Length > 2000 ? 0.6 : 0.9);
            ax.ArrowKey = new ArrowKey(key, Num(key, NiceTicks.Decimals(key)) + " pixels");
        }
        else
        {
            ax.Note = "No matched sources.";
        }

        return fig;
    }

    /// <summary>The residuals against X and Y in a 2 × 2 grid (X–DX, Y–DX / X–DY, Y–DY) with a binned median
    /// and RMS(X), RMS(Y) in the subtitle.</summary>
    /// <param name="residuals">The matched sources and their residuals.</param>
    /// <returns>The figure.</returns>
    public static Figure Residuals(AlignmentResiduals residuals)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        residuals.Validate();
        var fig = new Figure(720, 600, 2, 2)
        {
            Title = "Fit residuals · " + residuals.ImageName,
            Subtitle = FitSummary(residuals),
        };
        double[] x = [.. residuals.X], y = [.. residuals.Y], dx = [.. residuals.Dx], dy = [.. residuals.Dy];
        AxisRange xRange = AxisRange.FromData(x, 0.03), yRange = AxisRange.FromData(y, 0.03);
        AxisRange res = double.IsFinite(residuals.YLimit) && residuals.YLimit > 0
            ? new AxisRange(-residuals.YLimit, residuals.YLimit)
            : AxisRange.FromData(dx.Concat(dy), 0.08).Symmetric();
        int n = x.Length;
        double radius = n > 3000 ? 1.2 : n > 300 ? 1.7 : 2.4;
        double alpha = n > 3000 ? 0.35 : n > 300 ? 0.6 : 0.85;

        (double[] Along, AxisRange Range, double[] Residual, string XLabel, string YLabel)[] panels =
        [
            (x, xRange, dx, "X (pixels)", "DX (pixels)"),
            (y, yRange, dx, "Y (pixels)", "DX (pixels)"),
            (x, xRange, dy, "X (pixels)", "DY (pixels)"),
            (y, yRange, dy, "Y (pixels)", "DY (pixels)"),
        ];
        for (int i = 0; i < 4; i++)
        {
            Axes ax = fig.Panels[i];
            (double[] along, AxisRange pos, double[] r, string xl, string yl) = panels[i];
            ax.XRange = pos;
            ax.YRange = res;
            ax.HorizontalLine(0, PlotPalette.Axis, 1.0);
            ax.Scatter(along, r, PlotPalette.Blue, radius, alpha, i == 0 ? "Matched sources" : null);
            (double[] bx, double[] by) = BinnedMedian(along, r, pos, n >= 200 ? 16 : n >= 40 ? 8 : 0);
            if (bx.Length > 1)
            {
                ax.Line(bx, by, PlotPalette.Orange, 2.0, LineStyle.Solid, i == 0 ? "Binned median" : null, 2.2);
            }

            ax.XLabel = ax.Row == 1 ? xl : null;
            ax.YLabel = ax.Column == 0 ? yl : null;
            ax.ShowXTickLabels = ax.Row == 1;
            ax.ShowYTickLabels = ax.Column == 0;
        }

        fig.Panels[0].Legend = LegendLocation.UpperRight;
        return fig;
    }

    /// <summary>The three plots with TweakReg's file names (<c>hist2d_</c>, <c>vector_</c>, <c>residuals_</c>
    /// followed by the image root and the extension of <paramref name="format"/>), written to a folder.</summary>
    /// <param name="folder">The output folder (created if needed).</param>
    /// <param name="residuals">The residuals.</param>
    /// <param name="histogram">The offset histogram, or null to skip that plot.</param>
    /// <param name="format">The file format.</param>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> SaveAll(string folder, AlignmentResiduals residuals, OffsetHistogram? histogram, PlotFormat format = PlotFormat.Png)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        string root = ImageRoot(residuals.ImageName);
        string ext = "." + format.ToString().ToLowerInvariant();
        var written = new List<string>(3);
        if (histogram is not null)
        {
            string p = Path.Combine(folder, "hist2d_" + root + ext);
            OffsetHistogram(histogram).Save(p, format);
            written.Add(p);
        }

        string v = Path.Combine(folder, "vector_" + root + ext);
        ResidualVectors(residuals).Save(v, format);
        written.Add(v);
        string r = Path.Combine(folder, "residuals_" + root + ext);
        Residuals(residuals).Save(r, format);
        written.Add(r);
        return written;
    }

    /// <summary>The file root TweakReg uses in plot names: the file name without folder, extension list
    /// (<c>[SCI,1]</c>) and <c>.fits</c> / <c>.fits.gz</c>.</summary>
    /// <param name="imageName">The image name.</param>
    /// <returns>The root, safe as part of a file name.</returns>
    public static string ImageRoot(string imageName)
    {
        string name = Path.GetFileName(imageName ?? "image");
        int bracket = name.IndexOf('[', StringComparison.Ordinal);
        string ext = bracket >= 0 ? name[bracket..] : string.Empty;
        name = bracket >= 0 ? name[..bracket] : name;
        foreach (string suffix in new[] { ".fits.gz", ".fits", ".fit", ".fts" })
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                name = name[..^suffix.Length];
                break;
            }
        }

        if (ext.Length > 0)
        {
            name += "_" + new string([.. ext.Where(char.IsLetterOrDigit)]).ToLowerInvariant();
        }

        char[] bad = Path.GetInvalidFileNameChars();
        return new string([.. name.Select(ch => bad.Contains(ch) || ch == ' ' ? '_' : ch)]);
    }

    /// <summary>Arrow scale (plot units per pixel of residual) and key length: typical arrows about as long as
    /// the mean spacing between sources, none longer than a quarter of the field; the key is a 1-2-5 value
    /// near half the largest residual (TweakReg uses max/2 rounded to 0.01).</summary>
    internal static (double Scale, double Key) VectorScale(double[] x, double[] y, double[] dx, double[] dy)
    {
        double span = Math.Max(AxisRange.FromData(x, 0).Span, AxisRange.FromData(y, 0).Span);
        double sum = 0, largest = 0;
        int n = 0;
        for (int i = 0; i < dx.Length; i++)
        {
            double m2 = (dx[i] * dx[i]) + (dy[i] * dy[i]);
            if (double.IsFinite(m2))
            {
                sum += m2;
                largest = Math.Max(largest, Math.Sqrt(m2));
                n++;
            }
        }

        if (n == 0 || largest <= 0)
        {
            return (Math.Max(span, 1), 0.1);
        }

        double typical = Math.Sqrt(sum / n);
        double spacing = span / Math.Sqrt(Math.Max(n, 16));
        double scale = Math.Min(0.9 * spacing / typical, 0.25 * span / largest);
        double key = NiceKey(largest / 2);
        return (scale, key);
    }

    private static double NiceKey(double v)
    {
        double mag = Math.Pow(10, Math.Floor(Math.Log10(v)));
        double m = v / mag;
        double nice = m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10;
        return nice * mag;
    }

    /// <summary>Median of the residuals in equal-width bins along the position axis (bins with fewer than 5
    /// points are skipped). No bins when <paramref name="bins"/> is 0.</summary>
    internal static (double[] X, double[] Y) BinnedMedian(double[] along, double[] residual, AxisRange range, int bins)
    {
        if (bins <= 0)
        {
            return ([], []);
        }

        var groups = new List<double>[bins];
        for (int b = 0; b < bins; b++)
        {
            groups[b] = [];
        }

        for (int i = 0; i < along.Length; i++)
        {
            if (!double.IsFinite(along[i]) || !double.IsFinite(residual[i]))
            {
                continue;
            }

            int b = (int)Math.Floor((along[i] - range.Min) / range.Span * bins);
            if (b >= 0 && b < bins)
            {
                groups[b].Add(residual[i]);
            }
        }

        var xs = new List<double>();
        var ys = new List<double>();
        for (int b = 0; b < bins; b++)
        {
            if (groups[b].Count >= 5)
            {
                groups[b].Sort();
                int c = groups[b].Count;
                xs.Add(range.Min + ((b + 0.5) * range.Span / bins));
                ys.Add(c % 2 == 1 ? groups[b][c / 2] : 0.5 * (groups[b][(c / 2) - 1] + groups[b][c / 2]));
            }
        }

        return ([.. xs], [.. ys]);
    }

    internal static string RangeText(double[] d)
    {
        double[] f = [.. d.Where(double.IsFinite)];
        if (f.Length == 0)
        {
            return "no data";
        }

        double mean = f.Average();
        double std = Math.Sqrt(f.Sum(v => (v - mean) * (v - mean)) / f.Length);
        return $"{Num(f.Min(), 4)} to {Num(f.Max(), 4)} ± {Num(std, 4)}";
    }

    private static string FitSummary(AlignmentResiduals r)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(r.FitGeometry))
        {
            parts.Add("fitgeometry " + r.FitGeometry);
        }

        int n = r.X.Count;
        parts.Add(r.TotalMatches > n ? string.Create(Inv, $"{n}/{r.TotalMatches} matches kept") : string.Create(Inv, $"{n} matches"));
        parts.Add($"RMS(X) = {Num(r.EffectiveXRms, 4)}, RMS(Y) = {Num(r.EffectiveYRms, 4)} px");
        if (double.IsFinite(r.RmsRa) && double.IsFinite(r.RmsDec))
        {
            parts.Add($"RMS(RA) = {Num(r.RmsRa * 1000, 1)}, RMS(Dec) = {Num(r.RmsDec * 1000, 1)} mas");
        }

        return string.Join("   ·   ", parts);
    }

    private static string PeakText(OffsetHistogram h, double max) =>
        h.PeakMatches > 0 ? string.Create(Inv, $"{h.PeakMatches} matches") : string.Create(Inv, $"{max:0} pairs in the top bin");

    private static string GeometrySuffix(string? fitGeometry) =>
        string.IsNullOrEmpty(fitGeometry) ? string.Empty : "   ·   fitgeometry " + fitGeometry;

    private static string Num(double v, int decimals) => double.IsFinite(v) ? NiceTicks.Format(v, decimals) : "n/a";
}
