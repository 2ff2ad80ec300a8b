using System.Globalization;
using TweakDrizzle.Diagnostics.Rendering;

namespace TweakDrizzle.Diagnostics.Plotting;

/// <summary>Font sizes (points) and spacings shared by every figure.</summary>
internal static class Style
{
    public const double TitleSize = 14;
    public const double SubtitleSize = 10.5;
    public const double PanelTitleSize = 11;
    public const double LabelSize = 10.5;
    public const double TickSize = 9;
    public const double LegendSize = 9;
    public const double NoteSize = 8.5;
    public const double TickLength = 4;
    public const double FrameWidth = 0.8;
    public const double ColorBarWidth = 12;
    public const double ColorBarGap = 10;
    public const double ArrowKeyHeight = 20;
    public const double Outer = 10;
}

/// <summary>A rectangle in points, origin at the top left.</summary>
internal readonly record struct Rect(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;

    public double Bottom => Y + Height;
}

/// <summary>Ticks placed along a colour bar: data values, labels and positions in display space [0, 1].</summary>
internal sealed record ColorBarTickSet(IReadOnlyList<double> Values, IReadOnlyList<string> Labels, IReadOnlyList<double> Positions);

/// <summary>Where everything of one panel goes.</summary>
internal sealed record PanelLayout(Axes Axes, Rect Plot, LinearScale X, LinearScale Y, TickSet XTicks, TickSet YTicks, Rect? ColorBar, ColorBarTickSet? ColorBarTicks);

/// <summary>Where everything of a figure goes.</summary>
internal sealed record FigureLayout(double TitleBaseline, IReadOnlyList<(string Text, double Baseline)> Subtitle, IReadOnlyList<PanelLayout> Panels);

/// <summary>Margins of a panel inside its grid cell.</summary>
internal readonly record struct Margins(double Left, double Right, double Top, double Bottom)
{
    public static Margins Max(Margins a, Margins b) =>
        new(Math.Max(a.Left, b.Left), Math.Max(a.Right, b.Right), Math.Max(a.Top, b.Top), Math.Max(a.Bottom, b.Bottom));
}

/// <summary>
/// Computes a figure's layout from its model and text sizes only (no drawing), so it can be tested without cairo.
/// All panels get the same margins, so the plot areas of a grid line up.
/// </summary>
internal static class LayoutEngine
{
    public static FigureLayout Compute(Figure figure, ITextMeasurer m)
    {
        double top = Style.Outer + 2;
        double titleBaseline = 0;
        if (!string.IsNullOrEmpty(figure.Title))
        {
            TextSize t = m.Measure(figure.Title, Style.TitleSize, true);
            titleBaseline = top + t.Ascent;
            top += t.Height + 3;
        }

        var subtitle = new List<(string Text, double Baseline)>();
        foreach (string line in WrapSubtitle(figure.Subtitle, figure.Width - (2 * Style.Outer), m))
        {
            TextSize t = m.Measure(line, Style.SubtitleSize, false);
            subtitle.Add((line, top + t.Ascent));
            top += t.Height + 2;
        }

        if (titleBaseline > 0 || subtitle.Count > 0)
        {
            top += 4;
        }

        var grid = new Rect(Style.Outer, top, figure.Width - (2 * Style.Outer), figure.Height - top - Style.Outer);

        // Two passes: ticks depend on the plot size, margins on the tick labels. Margins are shared by a column
        // (left, right) or a row (top, bottom), and all plot areas have the same size, so grids line up.
        double plotW = grid.Width / figure.Columns * 0.75, plotH = grid.Height / figure.Rows * 0.7;
        var left = new double[figure.Columns];
        var right = new double[figure.Columns];
        var topM = new double[figure.Rows];
        var bottom = new double[figure.Rows];
        for (int pass = 0; pass < 2; pass++)
        {
            Array.Clear(left);
            Array.Clear(right);
            Array.Clear(topM);
            Array.Clear(bottom);
            foreach (Axes axes in figure.Panels)
            {
                (AxisRange xr, AxisRange yr) = axes.Limits();
                TickSet yt = Ticks(axes.YTicks, yr, plotH, false);
                TickSet xt = Ticks(axes.XTicks, xr, plotW, true);
                Margins pm = PanelMargins(axes, xt, yt, m, plotH);
                left[axes.Column] = Math.Max(left[axes.Column], pm.Left);
                right[axes.Column] = Math.Max(right[axes.Column], pm.Right);
                topM[axes.Row] = Math.Max(topM[axes.Row], pm.Top);
                bottom[axes.Row] = Math.Max(bottom[axes.Row], pm.Bottom);
            }

            plotW = Math.Max(20, (grid.Width - left.Sum() - right.Sum()) / figure.Columns);
            plotH = Math.Max(20, (grid.Height - topM.Sum() - bottom.Sum()) / figure.Rows);
        }

        var panels = new List<PanelLayout>(figure.Panels.Count);
        foreach (Axes axes in figure.Panels)
        {
            double px = grid.X + left[axes.Column], py = grid.Y + topM[axes.Row];
            for (int c = 0; c < axes.Column; c++)
            {
                px += left[c] + plotW + right[c];
            }

            for (int r = 0; r < axes.Row; r++)
            {
                py += topM[r] + plotH + bottom[r];
            }

            var plot = new Rect(px, py, plotW, plotH);
            (AxisRange xr, AxisRange yr) = axes.Limits();
            if (axes.EqualAspect)
            {
                // Fixed limits and images keep their ranges (the rectangle shrinks); free data ranges widen instead.
                bool keepRanges = (axes.XRange is not null && axes.YRange is not null) || axes.Items.Any(i => i is RasterItem);
                (plot, xr, yr) = EqualAspect(plot, xr, yr, keepRanges);
            }

            var xs = new LinearScale(xr.Min, xr.Max, plot.X, plot.Right);
            var ys = new LinearScale(yr.Min, yr.Max, plot.Bottom, plot.Y);
            Rect? bar = null;
            ColorBarTickSet? barTicks = null;
            if (axes.ColorBar is { } cb)
            {
                bar = new Rect(plot.Right + Style.ColorBarGap, plot.Y, Style.ColorBarWidth, plot.Height);
                barTicks = ColorBarTicks(cb.Stretch, plot.Height);
            }

            panels.Add(new PanelLayout(axes, plot, xs, ys, Ticks(axes.XTicks, xr, plot.Width, true), Ticks(axes.YTicks, yr, plot.Height, false), bar, barTicks));
        }

        return new FigureLayout(titleBaseline, subtitle, panels);
    }

    /// <summary>The subtitle's lines: explicit line breaks, and breaks at " · " separators where a line would be
    /// wider than <paramref name="width"/>.</summary>
    internal static List<string> WrapSubtitle(string? subtitle, double width, ITextMeasurer m)
    {
        var lines = new List<string>();
        if (string.IsNullOrEmpty(subtitle))
        {
            return lines;
        }

        const string Sep = "   ·   ";
        foreach (string paragraph in subtitle.Split('\n'))
        {
            string current = string.Empty;
            foreach (string part in paragraph.Split(Sep))
            {
                string candidate = current.Length == 0 ? part : current + Sep + part;
                if (current.Length > 0 && m.Measure(candidate, Style.SubtitleSize, false).Width > width)
                {
                    lines.Add(current);
                    current = part;
                }
                else
                {
                    current = candidate;
                }
            }

            lines.Add(current);
        }

        return lines;
    }

    /// <summary>How many ticks fit along an axis of <paramref name="length"/> points.</summary>
    public static int MaxTicks(double length, bool horizontal) =>
        Math.Clamp((int)Math.Floor(length / (horizontal ? 62.0 : 38.0)) + 1, 3, 10);

    public static TickSet Ticks(IReadOnlyList<double>? fixedTicks, AxisRange range, double length, bool horizontal)
    {
        if (fixedTicks is { Count: > 0 })
        {
            double[] values = [.. fixedTicks.Where(v => v >= range.Min - (1e-9 * range.Span) && v <= range.Max + (1e-9 * range.Span)).Order()];
            double step = values.Length > 1 ? values.Zip(values.Skip(1), (a, b) => b - a).Min() : Math.Max(Math.Abs(values.FirstOrDefault()), 1);
            return new TickSet(values, NiceTicks.FormatAll(values, step), step);
        }

        return NiceTicks.Compute(range.Min, range.Max, MaxTicks(length, horizontal));
    }

    private static Margins PanelMargins(Axes axes, TickSet xt, TickSet yt, ITextMeasurer m, double plotH)
    {
        double left = 2 + Style.TickLength;
        if (axes.ShowYTickLabels)
        {
            left += yt.Labels.Select(l => m.Measure(l, Style.TickSize, false).Width).DefaultIfEmpty(0).Max() + 4;
        }

        if (!string.IsNullOrEmpty(axes.YLabel))
        {
            left += m.Measure(axes.YLabel, Style.LabelSize, false).Height + 5;
        }

        double right = 6;
        if (axes.ShowXTickLabels && xt.Labels.Count > 0)
        {
            right = Math.Max(right, (m.Measure(xt.Labels[^1], Style.TickSize, false).Width / 2) + 2);
        }

        if (axes.ColorBar is { } cb)
        {
            ColorBarTickSet bt = ColorBarTicks(cb.Stretch, plotH);
            right += Style.ColorBarGap + Style.ColorBarWidth + Style.TickLength + 3 +
                     bt.Labels.Select(l => m.Measure(l, Style.TickSize, false).Width).DefaultIfEmpty(0).Max();
            if (!string.IsNullOrEmpty(cb.Label))
            {
                right += m.Measure(cb.Label, Style.LabelSize, false).Height + 6;
            }
        }

        double topM = 6;
        if (!string.IsNullOrEmpty(axes.Title))
        {
            topM = m.Measure(axes.Title, Style.PanelTitleSize, true).Height + 7;
        }

        double bottom = Style.TickLength + 2;
        if (axes.ShowXTickLabels)
        {
            bottom += m.Measure("0", Style.TickSize, false).Height + 2;
        }

        if (!string.IsNullOrEmpty(axes.XLabel))
        {
            bottom += m.Measure(axes.XLabel, Style.LabelSize, false).Height + 4;
        }

        if (axes.ArrowKey is not null)
        {
            bottom += Style.ArrowKeyHeight;
        }

        if (!string.IsNullOrEmpty(axes.Note))
        {
            bottom += m.Measure(axes.Note, Style.NoteSize, false).Height + 3;
        }

        return new Margins(left, right, topM, bottom + 4);
    }

    /// <summary>Shrinks the plot rectangle (or widens one range when both are free) so that one data unit has
    /// the same length along x and y; the rectangle stays centred in the space it had.</summary>
    internal static (Rect Plot, AxisRange X, AxisRange Y) EqualAspect(Rect plot, AxisRange x, AxisRange y, bool rangesFixed)
    {
        double sx = plot.Width / x.Span, sy = plot.Height / y.Span;
        if (!rangesFixed)
        {
            // Widen the range that has room to spare, keeping the rectangle.
            if (sx > sy)
            {
                double span = plot.Width / sy, mid = (x.Min + x.Max) / 2;
                return (plot, new AxisRange(mid - (span / 2), mid + (span / 2)), y);
            }
            else
            {
                double span = plot.Height / sx, mid = (y.Min + y.Max) / 2;
                return (plot, x, new AxisRange(mid - (span / 2), mid + (span / 2)));
            }
        }

        double s = Math.Min(sx, sy);
        double w = x.Span * s, h = y.Span * s;
        return (new Rect(plot.X + ((plot.Width - w) / 2), plot.Y + ((plot.Height - h) / 2), w, h), x, y);
    }

    /// <summary>Colour-bar ticks: nice linear ticks for a linear stretch; for log and asinh, round values
    /// (0, 1, 2, 5 × 10ⁿ) picked so that their positions along the bar do not crowd.</summary>
    internal static ColorBarTickSet ColorBarTicks(ImageStretch stretch, double length)
    {
        double lo = Math.Min(stretch.Vmin, stretch.Vmax), hi = Math.Max(stretch.Vmin, stretch.Vmax);
        if (!(hi > lo))
        {
            return new ColorBarTickSet([lo], [NiceTicks.Format(lo, 2)], [0.5]);
        }

        int maxTicks = MaxTicks(length, false);
        TickSet linear = NiceTicks.Compute(lo, hi, Math.Min(maxTicks, 8));
        if (stretch.Kind == StretchKind.Linear)
        {
            return new ColorBarTickSet(linear.Values, linear.Labels, [.. linear.Values.Select(stretch.Forward)]);
        }

        // Candidates with priorities: 0 first, then 1×10ⁿ, 5×10ⁿ, 2×10ⁿ, then the linear ticks.
        var candidates = new List<(double Value, int Priority)>();
        if (lo <= 0 && hi >= 0)
        {
            candidates.Add((0, 0));
        }

        double big = Math.Max(Math.Abs(lo), Math.Abs(hi));
        int top = (int)Math.Ceiling(Math.Log10(big)) + 1;
        for (int k = top; k >= top - 8; k--)
        {
            foreach ((double mant, int prio) in new[] { (1.0, 1), (5.0, 2), (2.0, 3) })
            {
                double v = mant * Math.Pow(10, k);
                foreach (double sv in new[] { v, -v })
                {
                    if (sv >= lo && sv <= hi)
                    {
                        candidates.Add((sv, prio));
                    }
                }
            }
        }

        candidates.AddRange(linear.Values.Select(v => (v, 4)));
        double minGap = 1.0 / Math.Max(3, maxTicks - 1) * 0.9;
        var chosen = new List<(double Value, double Position)>();
        foreach ((double v, int _) in candidates.OrderBy(c => c.Priority).ThenByDescending(c => Math.Abs(c.Value)))
        {
            double p = stretch.Forward(v);
            if (chosen.All(c => Math.Abs(c.Position - p) >= minGap && c.Value != v) && chosen.Count < maxTicks)
            {
                chosen.Add((v, p));
            }
        }

        chosen.Sort((a, b) => a.Value.CompareTo(b.Value));
        return new ColorBarTickSet([.. chosen.Select(c => c.Value)], [.. chosen.Select(c => RoundLabel(c.Value))], [.. chosen.Select(c => c.Position)]);
    }

    /// <summary>Label for a round value such as 0.002, 50 or 2×10⁶.</summary>
    internal static string RoundLabel(double v)
    {
        if (v == 0)
        {
            return "0";
        }

        double a = Math.Abs(v);
        if (a >= 1e5 || a < 1e-3)
        {
            return NiceTicks.FormatAll([v], Math.Pow(10, Math.Floor(Math.Log10(a))))[0];
        }

        string s = a.ToString("0.######", CultureInfo.InvariantCulture);
        return v < 0 ? "\u2212" + s : s;
    }
}
