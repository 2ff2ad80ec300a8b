using TweakDrizzle.Diagnostics.Rendering;

namespace TweakDrizzle.Diagnostics.Plotting;

/// <summary>Draws a <see cref="Figure"/> on an <see cref="ICanvas"/> following its <see cref="FigureLayout"/>.</summary>
internal static class FigureRenderer
{
    private static readonly PlotColor LegendBorder = PlotColor.FromRgb(0xBBBBBB);

    public static void Draw(Figure figure, ICanvas canvas)
    {
        FigureLayout layout = LayoutEngine.Compute(figure, canvas);
        if (!string.IsNullOrEmpty(figure.Title))
        {
            canvas.SetColor(PlotPalette.Text);
            DrawText(canvas, figure.Title, figure.Width / 2, layout.TitleBaseline, Style.TitleSize, true, TextAlign.Center);
        }

        canvas.SetColor(PlotPalette.MutedText);
        foreach ((string text, double baseline) in layout.Subtitle)
        {
            DrawText(canvas, text, figure.Width / 2, baseline, Style.SubtitleSize, false, TextAlign.Center);
        }

        foreach (PanelLayout panel in layout.Panels)
        {
            DrawPanel(canvas, panel);
        }
    }

    private static void DrawPanel(ICanvas c, PanelLayout p)
    {
        Axes axes = p.Axes;
        Rect r = p.Plot;

        if (axes.ShowGrid)
        {
            c.SetColor(PlotPalette.Grid);
            c.SetLineWidth(0.6);
            foreach (double v in p.XTicks.Values)
            {
                double x = Snap(p.X.Map(v));
                c.MoveTo(x, r.Y);
                c.LineTo(x, r.Bottom);
            }

            foreach (double v in p.YTicks.Values)
            {
                double y = Snap(p.Y.Map(v));
                c.MoveTo(r.X, y);
                c.LineTo(r.Right, y);
            }

            c.Stroke();
        }

        c.Save();
        c.ClipRectangle(r.X, r.Y, r.Width, r.Height);
        foreach (PlotItem item in axes.Items)
        {
            DrawItem(c, p, item);
        }

        c.Restore();

        // Frame and outward ticks.
        c.SetDash(null);
        c.SetColor(PlotPalette.Axis);
        c.SetLineWidth(Style.FrameWidth);
        c.Rectangle(r.X, r.Y, r.Width, r.Height);
        foreach (double v in p.XTicks.Values)
        {
            double x = p.X.Map(v);
            c.MoveTo(x, r.Bottom);
            c.LineTo(x, r.Bottom + Style.TickLength);
        }

        foreach (double v in p.YTicks.Values)
        {
            double y = p.Y.Map(v);
            c.MoveTo(r.X, y);
            c.LineTo(r.X - Style.TickLength, y);
        }

        c.Stroke();

        c.SetColor(PlotPalette.Text);
        TextSize tick = c.Measure("0", Style.TickSize, false);
        double below = r.Bottom + Style.TickLength + 2;
        if (axes.ShowXTickLabels)
        {
            for (int i = 0; i < p.XTicks.Values.Count; i++)
            {
                DrawText(c, p.XTicks.Labels[i], p.X.Map(p.XTicks.Values[i]), below + tick.Ascent, Style.TickSize, false, TextAlign.Center);
            }

            below += tick.Height + 2;
        }

        double leftEdge = r.X - Style.TickLength - 3;
        if (axes.ShowYTickLabels)
        {
            double widest = 0;
            for (int i = 0; i < p.YTicks.Values.Count; i++)
            {
                string label = p.YTicks.Labels[i];
                widest = Math.Max(widest, c.Measure(label, Style.TickSize, false).Width);
                DrawText(c, label, leftEdge, p.Y.Map(p.YTicks.Values[i]) + ((tick.Ascent - tick.Descent) / 2), Style.TickSize, false, TextAlign.Right);
            }

            leftEdge -= widest + 4;
        }

        if (!string.IsNullOrEmpty(axes.XLabel))
        {
            TextSize t = c.Measure(axes.XLabel, Style.LabelSize, false);
            DrawText(c, axes.XLabel, r.X + (r.Width / 2), below + 2 + t.Ascent, Style.LabelSize, false, TextAlign.Center);
            below += t.Height + 4;
        }

        if (!string.IsNullOrEmpty(axes.YLabel))
        {
            TextSize t = c.Measure(axes.YLabel, Style.LabelSize, false);
            c.Save();
            c.Translate(leftEdge - t.Descent, r.Y + (r.Height / 2));
            c.Rotate(-Math.PI / 2);
            DrawText(c, axes.YLabel, 0, 0, Style.LabelSize, false, TextAlign.Center);
            c.Restore();
        }

        if (!string.IsNullOrEmpty(axes.Title))
        {
            TextSize t = c.Measure(axes.Title, Style.PanelTitleSize, true);
            DrawText(c, axes.Title, r.X + (r.Width / 2), r.Y - 6 - t.Descent, Style.PanelTitleSize, true, TextAlign.Center);
        }

        if (axes.ArrowKey is { } key && axes.Items.OfType<ArrowItem>().FirstOrDefault() is { } arrows)
        {
            double y = below + (Style.ArrowKeyHeight / 2);
            double length = key.Length * arrows.Scale * Math.Abs(p.X.Slope);
            double x0 = r.X + 4;
            c.SetColor(arrows.Color);
            DrawArrowPath(c, x0, y, x0 + length, y, Math.Max(arrows.Width, 1.2), out bool _);
            c.SetColor(PlotPalette.Text);
            TextSize t = c.Measure(key.Label, Style.LegendSize, false);
            DrawText(c, key.Label, x0 + length + 7, y + ((t.Ascent - t.Descent) / 2), Style.LegendSize, false, TextAlign.Left);
            below += Style.ArrowKeyHeight;
        }

        if (!string.IsNullOrEmpty(axes.Note))
        {
            TextSize t = c.Measure(axes.Note, Style.NoteSize, false);
            c.SetColor(PlotPalette.MutedText);
            DrawText(c, axes.Note, r.X, below + 2 + t.Ascent, Style.NoteSize, false, TextAlign.Left);
        }

        if (p.ColorBar is { } bar && axes.ColorBar is { } cb && p.ColorBarTicks is { } bt)
        {
            DrawColorBar(c, bar, cb, bt);
        }

        if (axes.Legend != LegendLocation.None)
        {
            DrawLegend(c, p);
        }
    }

    private static void DrawColorBar(ICanvas c, Rect bar, ColorBar cb, ColorBarTickSet ticks)
    {
        const int Steps = 256;
        var argb = new uint[Steps];
        for (int i = 0; i < Steps; i++)
        {
            PlotColor col = cb.Colormap.Map((Steps - 1 - i) / (Steps - 1.0));
            argb[i] = 0xFF000000u | ((uint)col.R << 16) | ((uint)col.G << 8) | col.B;
        }

        c.DrawRaster(argb, 1, Steps, bar.X, bar.Y, bar.Width, bar.Height, false);
        c.SetColor(PlotPalette.Axis);
        c.SetLineWidth(Style.FrameWidth);
        c.Rectangle(bar.X, bar.Y, bar.Width, bar.Height);
        for (int i = 0; i < ticks.Positions.Count; i++)
        {
            double y = bar.Bottom - (ticks.Positions[i] * bar.Height);
            c.MoveTo(bar.Right, y);
            c.LineTo(bar.Right + Style.TickLength, y);
        }

        c.Stroke();
        c.SetColor(PlotPalette.Text);
        TextSize tick = c.Measure("0", Style.TickSize, false);
        double widest = 0;
        for (int i = 0; i < ticks.Positions.Count; i++)
        {
            double y = bar.Bottom - (ticks.Positions[i] * bar.Height);
            widest = Math.Max(widest, c.Measure(ticks.Labels[i], Style.TickSize, false).Width);
            DrawText(c, ticks.Labels[i], bar.Right + Style.TickLength + 3, y + ((tick.Ascent - tick.Descent) / 2), Style.TickSize, false, TextAlign.Left);
        }

        if (!string.IsNullOrEmpty(cb.Label))
        {
            TextSize t = c.Measure(cb.Label, Style.LabelSize, false);
            c.Save();
            c.Translate(bar.Right + Style.TickLength + 3 + widest + 5 + t.Ascent, bar.Y + (bar.Height / 2));
            c.Rotate(-Math.PI / 2);
            DrawText(c, cb.Label, 0, 0, Style.LabelSize, false, TextAlign.Center);
            c.Restore();
        }
    }

    private static void DrawItem(ICanvas c, PanelLayout p, PlotItem item)
    {
        switch (item)
        {
            case RasterItem raster:
            {
                double x0 = p.X.Map(raster.X.Min), x1 = p.X.Map(raster.X.Max);
                double y0 = p.Y.Map(raster.Y.Max), y1 = p.Y.Map(raster.Y.Min);
                c.DrawRaster(raster.Argb, raster.Columns, raster.Rows, Math.Min(x0, x1), Math.Min(y0, y1), Math.Abs(x1 - x0), Math.Abs(y1 - y0), raster.Smooth);
                break;
            }

            case ScatterItem s:
                DrawScatter(c, p, s);
                break;

            case LineItem line:
                DrawLine(c, p, line);
                break;

            case ErrorBarItem e:
                DrawErrorBars(c, p, e);
                break;

            case ArrowItem a:
                DrawArrows(c, p, a);
                break;

            case ReferenceLineItem h:
                c.SetColor(h.Color);
                c.SetLineWidth(h.Width);
                SetStyle(c, h.Style);
                if (h.Horizontal)
                {
                    double y = p.Y.Map(h.Value);
                    c.MoveTo(p.Plot.X, y);
                    c.LineTo(p.Plot.Right, y);
                }
                else
                {
                    double x = p.X.Map(h.Value);
                    c.MoveTo(x, p.Plot.Y);
                    c.LineTo(x, p.Plot.Bottom);
                }

                c.Stroke();
                SetStyle(c, LineStyle.Solid);
                break;

            case MarkerItem mk:
                DrawMarker(c, mk.Shape, p.X.Map(mk.X), p.Y.Map(mk.Y), mk.Size, mk.Color, mk.LineWidth);
                break;

            case TextItem t:
            {
                TextSize size = c.Measure(t.Text, t.FontSize, false);
                c.SetColor(t.Color);
                DrawText(c, t.Text, p.X.Map(t.X), p.Y.Map(t.Y) + ((size.Ascent - size.Descent) / 2), t.FontSize, false, t.Align);
                break;
            }
        }
    }

    /// <summary>Scatters with more points than this are drawn as one raster made in managed code: thousands of
    /// translucent markers cost one image draw instead of thousands of cairo fills, and look the same.</summary>
    internal const int RasterScatterThreshold = 600;

    private static void DrawScatter(ICanvas c, PanelLayout p, ScatterItem s)
    {
        if (s.X.Length > RasterScatterThreshold)
        {
            DrawScatterRaster(c, p, s);
            return;
        }

        c.SetColor(s.Color, s.Alpha);
        bool each = s.Alpha < 1;
        int pending = 0;
        for (int i = 0; i < s.X.Length; i++)
        {
            double x = p.X.Map(s.X[i]), y = p.Y.Map(s.Y[i]);
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                continue;
            }

            c.Circle(x, y, s.Radius);
            if (each || ++pending == 1000)
            {
                c.Fill();
                pending = 0;
            }
        }

        c.Fill();
    }

    private static void DrawScatterRaster(ICanvas c, PanelLayout p, ScatterItem s)
    {
        double k = c.RasterScale;
        Rect r = p.Plot;
        int x0 = (int)Math.Floor(r.X * k), y0 = (int)Math.Floor(r.Y * k);
        int w = Math.Max(1, (int)Math.Ceiling(r.Right * k) - x0), h = Math.Max(1, (int)Math.Ceiling(r.Bottom * k) - y0);
        var coverage = new float[w * h]; // accumulated opacity, composited "over" point after point
        double radius = s.Radius * k;
        int reach = (int)Math.Ceiling(radius + 1);
        float alpha = (float)Math.Clamp(s.Alpha, 0, 1);
        for (int i = 0; i < s.X.Length; i++)
        {
            double px = (p.X.Map(s.X[i]) * k) - x0, py = (p.Y.Map(s.Y[i]) * k) - y0;
            if (!double.IsFinite(px) || !double.IsFinite(py) || px < -reach || py < -reach || px > w + reach || py > h + reach)
            {
                continue;
            }

            int cx = (int)Math.Floor(px), cy = (int)Math.Floor(py);
            for (int yy = Math.Max(0, cy - reach); yy <= Math.Min(h - 1, cy + reach); yy++)
            {
                double dy = yy + 0.5 - py;
                int row = yy * w;
                for (int xx = Math.Max(0, cx - reach); xx <= Math.Min(w - 1, cx + reach); xx++)
                {
                    double dx = xx + 0.5 - px;
                    double cov = radius + 0.5 - Math.Sqrt((dx * dx) + (dy * dy));
                    if (cov > 0)
                    {
                        float a = alpha * (float)Math.Min(1, cov);
                        coverage[row + xx] += a * (1 - coverage[row + xx]);
                    }
                }
            }
        }

        var argb = new uint[w * h];
        for (int i = 0; i < argb.Length; i++)
        {
            float a = coverage[i];
            if (a > 0)
            {
                argb[i] = ((uint)Math.Round(a * 255) << 24) | ((uint)Math.Round(s.Color.R * a) << 16) | ((uint)Math.Round(s.Color.G * a) << 8) | (uint)Math.Round(s.Color.B * a);
            }
        }

        c.DrawRaster(argb, w, h, x0 / k, y0 / k, w / k, h / k, false);
    }

    private static void DrawLine(ICanvas c, PanelLayout p, LineItem line)
    {
        c.SetColor(line.Color);
        c.SetLineWidth(line.Width);
        SetStyle(c, line.Style);
        bool pen = false;
        for (int i = 0; i < line.X.Length; i++)
        {
            double x = p.X.Map(line.X[i]), y = p.Y.Map(line.Y[i]);
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                pen = false;
                continue;
            }

            if (pen)
            {
                c.LineTo(x, y);
            }
            else
            {
                c.MoveTo(x, y);
                pen = true;
            }
        }

        c.Stroke();
        SetStyle(c, LineStyle.Solid);
        if (line.MarkerRadius > 0)
        {
            for (int i = 0; i < line.X.Length; i++)
            {
                double x = p.X.Map(line.X[i]), y = p.Y.Map(line.Y[i]);
                if (double.IsFinite(x) && double.IsFinite(y))
                {
                    c.Circle(x, y, line.MarkerRadius);
                }
            }

            c.Fill();
        }
    }

    private static void DrawErrorBars(ICanvas c, PanelLayout p, ErrorBarItem e)
    {
        const double Cap = 3;
        c.SetColor(e.Color);
        c.SetLineWidth(1.0);
        for (int i = 0; i < e.X.Length; i++)
        {
            double x = p.X.Map(e.X[i]), y = p.Y.Map(e.Y[i]);
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                continue;
            }

            if (double.IsFinite(e.YError[i]) && e.YError[i] > 0)
            {
                double y0 = p.Y.Map(e.Y[i] - e.YError[i]), y1 = p.Y.Map(e.Y[i] + e.YError[i]);
                c.MoveTo(x, y0);
                c.LineTo(x, y1);
                c.MoveTo(x - Cap, y0);
                c.LineTo(x + Cap, y0);
                c.MoveTo(x - Cap, y1);
                c.LineTo(x + Cap, y1);
            }

            if (e.XError is { } xe && double.IsFinite(xe[i]) && xe[i] > 0)
            {
                double x0 = p.X.Map(e.X[i] - xe[i]), x1 = p.X.Map(e.X[i] + xe[i]);
                c.MoveTo(x0, y);
                c.LineTo(x1, y);
                c.MoveTo(x0, y - Cap);
                c.LineTo(x0, y + Cap);
                c.MoveTo(x1, y - Cap);
                c.LineTo(x1, y + Cap);
            }
        }

        c.Stroke();
        for (int i = 0; i < e.X.Length; i++)
        {
            double x = p.X.Map(e.X[i]), y = p.Y.Map(e.Y[i]);
            if (double.IsFinite(x) && double.IsFinite(y))
            {
                c.Circle(x, y, e.MarkerRadius);
            }
        }

        c.Fill();
    }

    private static void DrawArrows(ICanvas c, PanelLayout p, ArrowItem a)
    {
        c.SetColor(a.Color);
        double kx = a.Scale * p.X.Slope, ky = a.Scale * p.Y.Slope;

        // Each arrow is one filled 7-point outline (shaft and head), all in one path: a single cairo fill for any
        // number of arrows, which is much cheaper than stroking thousands of shafts.
        for (int i = 0; i < a.X.Length; i++)
        {
            double x0 = p.X.Map(a.X[i]), y0 = p.Y.Map(a.Y[i]);
            AddArrowOutline(c, x0, y0, x0 + (a.U[i] * kx), y0 + (a.V[i] * ky), a.Width);
        }

        c.Fill();
    }

    /// <summary>Adds an arrow from (x0, y0) to (x1, y1) as a closed outline; nothing for arrows under 0.3 pt.</summary>
    private static void AddArrowOutline(ICanvas c, double x0, double y0, double x1, double y1, double width)
    {
        double dx = x1 - x0, dy = y1 - y0, length = Math.Sqrt((dx * dx) + (dy * dy));
        if (!double.IsFinite(x0) || !double.IsFinite(y0) || !double.IsFinite(length) || length < 0.3)
        {
            return;
        }

        double ux = dx / length, uy = dy / length;   // along the arrow
        double nx = -uy, ny = ux;                    // across it
        double head = HeadLength(length, width), half = Math.Max(head * 0.45, width * 0.5);
        double hw = width / 2, bx = x1 - (ux * head), by = y1 - (uy * head);
        c.MoveTo(x0 + (nx * hw), y0 + (ny * hw));
        c.LineTo(bx + (nx * hw), by + (ny * hw));
        c.LineTo(bx + (nx * half), by + (ny * half));
        c.LineTo(x1, y1);
        c.LineTo(bx - (nx * half), by - (ny * half));
        c.LineTo(bx - (nx * hw), by - (ny * hw));
        c.LineTo(x0 - (nx * hw), y0 - (ny * hw));
        c.ClosePath();
    }

    private static double HeadLength(double length, double width) => Math.Min(length * 0.4, (4 * width) + 2.5);

    private static void DrawArrowPath(ICanvas c, double x0, double y0, double x1, double y1, double width, out bool drawn)
    {
        drawn = Math.Sqrt(((x1 - x0) * (x1 - x0)) + ((y1 - y0) * (y1 - y0))) >= 0.3;
        AddArrowOutline(c, x0, y0, x1, y1, width);
        c.Fill();
    }

    private static void DrawMarker(ICanvas c, MarkerShape shape, double x, double y, double size, PlotColor color, double lineWidth)
    {
        double h = size / 2;
        c.SetRoundCaps(true);
        for (int pass = 0; pass < 2; pass++)
        {
            bool halo = pass == 0;
            c.SetColor(halo ? PlotColor.White : color, halo ? 0.85 : 1.0);
            c.SetLineWidth(halo ? lineWidth + 2.2 : lineWidth);
            switch (shape)
            {
                case MarkerShape.Plus:
                    c.MoveTo(x - h, y);
                    c.LineTo(x + h, y);
                    c.MoveTo(x, y - h);
                    c.LineTo(x, y + h);
                    c.Stroke();
                    break;
                case MarkerShape.Cross:
                    double d = h * 0.7071;
                    c.MoveTo(x - d, y - d);
                    c.LineTo(x + d, y + d);
                    c.MoveTo(x - d, y + d);
                    c.LineTo(x + d, y - d);
                    c.Stroke();
                    break;
                case MarkerShape.Ring:
                    c.Circle(x, y, h);
                    c.Stroke();
                    break;
                default:
                    c.Circle(x, y, h + (halo ? 1.1 : 0));
                    c.Fill();
                    break;
            }
        }

        c.SetRoundCaps(false);
    }

    private static void DrawLegend(ICanvas c, PanelLayout p)
    {
        List<PlotItem> entries = [.. p.Axes.Items.Where(i => !string.IsNullOrEmpty(i.Label))];
        if (entries.Count == 0)
        {
            return;
        }

        const double Pad = 6, Swatch = 20, Gap = 6, Inset = 8;
        TextSize unit = c.Measure("Ag", Style.LegendSize, false);
        double rowH = Math.Max(unit.Height, 10) + 3;
        double textW = entries.Max(e => c.Measure(e.Label!, Style.LegendSize, false).Width);
        double w = Pad + Swatch + Gap + textW + Pad, h = (2 * Pad) + (rowH * entries.Count) - 3;
        Rect r = p.Plot;
        double x = p.Axes.Legend is LegendLocation.UpperLeft or LegendLocation.LowerLeft ? r.X + Inset : r.Right - Inset - w;
        double y = p.Axes.Legend is LegendLocation.UpperLeft or LegendLocation.UpperRight ? r.Y + Inset : r.Bottom - Inset - h;

        c.SetColor(PlotColor.White, 0.92);
        c.Rectangle(x, y, w, h);
        c.FillPreserve();
        c.SetColor(LegendBorder);
        c.SetLineWidth(0.6);
        c.Stroke();

        for (int i = 0; i < entries.Count; i++)
        {
            double cy = y + Pad + (i * rowH) + ((rowH - 3) / 2);
            double sx = x + Pad, mid = sx + (Swatch / 2);
            switch (entries[i])
            {
                case ScatterItem s:
                    c.SetColor(s.Color, Math.Max(s.Alpha, 0.7));
                    c.Circle(mid, cy, Math.Max(s.Radius, 2.5));
                    c.Fill();
                    break;
                case LineItem l:
                    c.SetColor(l.Color);
                    c.SetLineWidth(l.Width);
                    SetStyle(c, l.Style);
                    c.MoveTo(sx, cy);
                    c.LineTo(sx + Swatch, cy);
                    c.Stroke();
                    SetStyle(c, LineStyle.Solid);
                    if (l.MarkerRadius > 0)
                    {
                        c.Circle(mid, cy, l.MarkerRadius);
                        c.Fill();
                    }

                    break;
                case ReferenceLineItem rl:
                    c.SetColor(rl.Color);
                    c.SetLineWidth(rl.Width);
                    SetStyle(c, rl.Style);
                    c.MoveTo(sx, cy);
                    c.LineTo(sx + Swatch, cy);
                    c.Stroke();
                    SetStyle(c, LineStyle.Solid);
                    break;
                case ErrorBarItem e:
                    c.SetColor(e.Color);
                    c.SetLineWidth(1);
                    c.MoveTo(mid, cy - 5);
                    c.LineTo(mid, cy + 5);
                    c.Stroke();
                    c.Circle(mid, cy, e.MarkerRadius);
                    c.Fill();
                    break;
                case ArrowItem a:
                    c.SetColor(a.Color);
                    DrawArrowPath(c, sx, cy, sx + Swatch, cy, Math.Max(a.Width, 1), out bool _);
                    break;
                case MarkerItem m:
                    DrawMarker(c, m.Shape, mid, cy, Math.Min(m.Size, 11), m.Color, Math.Min(m.LineWidth, 2));
                    break;
                case RasterItem ri:
                    c.SetColor(ri.SwatchColor);
                    c.Rectangle(mid - 5, cy - 5, 10, 10);
                    c.Fill();
                    break;
            }

            c.SetColor(PlotPalette.Text);
            DrawText(c, entries[i].Label!, sx + Swatch + Gap, cy + ((unit.Ascent - unit.Descent) / 2), Style.LegendSize, false, TextAlign.Left);
        }
    }

    private static void SetStyle(ICanvas c, LineStyle style)
    {
        switch (style)
        {
            case LineStyle.Dashed:
                c.SetRoundCaps(false);
                c.SetDash([5, 3]);
                break;
            case LineStyle.Dotted:
                c.SetRoundCaps(true);
                c.SetDash([0.1, 2.6]);
                break;
            default:
                c.SetRoundCaps(false);
                c.SetDash(null);
                break;
        }
    }

    /// <summary>Writes text with its baseline at <paramref name="baseline"/>, aligned on <paramref name="x"/>.</summary>
    private static void DrawText(ICanvas c, string text, double x, double baseline, double size, bool bold, TextAlign align)
    {
        double w = align == TextAlign.Left ? 0 : c.Measure(text, size, bold).Width;
        double left = align switch { TextAlign.Center => x - (w / 2), TextAlign.Right => x - w, _ => x };
        c.SetFont(size, bold);
        c.ShowText(left, baseline, text);
    }

    /// <summary>Puts a thin line on the middle of a pixel row at 1.5 px/pt; cheap crispness for grids.</summary>
    private static double Snap(double v) => Math.Round(v * 2) / 2;
}
