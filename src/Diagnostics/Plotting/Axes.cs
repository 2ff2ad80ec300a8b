namespace TweakDrizzle.Diagnostics.Plotting;

/// <summary>Where a legend box goes inside the plot area.</summary>
public enum LegendLocation
{
    /// <summary>No legend.</summary>
    None,

    /// <summary>Top right corner.</summary>
    UpperRight,

    /// <summary>Top left corner.</summary>
    UpperLeft,

    /// <summary>Bottom right corner.</summary>
    LowerRight,

    /// <summary>Bottom left corner.</summary>
    LowerLeft,
}

/// <summary>Marker shapes for single points.</summary>
public enum MarkerShape
{
    /// <summary>A filled circle.</summary>
    Circle,

    /// <summary>A plus sign.</summary>
    Plus,

    /// <summary>A diagonal cross.</summary>
    Cross,

    /// <summary>An open circle.</summary>
    Ring,
}

/// <summary>Line dash styles.</summary>
public enum LineStyle
{
    /// <summary>Continuous.</summary>
    Solid,

    /// <summary>Long dashes.</summary>
    Dashed,

    /// <summary>Dots.</summary>
    Dotted,
}

/// <summary>Horizontal alignment of a text label relative to its anchor point.</summary>
public enum TextAlign
{
    /// <summary>Text starts at the point.</summary>
    Left,

    /// <summary>Text is centred on the point.</summary>
    Center,

    /// <summary>Text ends at the point.</summary>
    Right,
}

/// <summary>The key arrow under a vector plot: an arrow of a given length in vector units, with its label.</summary>
/// <param name="Length">Length in the units of the vectors (for example 0.05 pixels).</param>
/// <param name="Label">The text right of the arrow, for example "0.05 pixels".</param>
public sealed record ArrowKey(double Length, string Label);

/// <summary>A colour bar beside a heat map.</summary>
/// <param name="Colormap">The colour map of the heat map.</param>
/// <param name="Stretch">The stretch of the heat map (gives the tick positions).</param>
/// <param name="Label">Text along the bar, or null.</param>
public sealed record ColorBar(Colormap Colormap, ImageStretch Stretch, string? Label);

/// <summary>
/// One plot panel of a <see cref="Figure"/>: data items, axis limits, labels, legend and colour bar.
/// Data are copied when added, so the caller's arrays may change afterwards.
/// </summary>
/// <remarks>Not thread-safe: build a panel on one thread.</remarks>
public sealed class Axes
{
    private readonly List<PlotItem> _items = [];

    internal Axes(int row, int column)
    {
        Row = row;
        Column = column;
    }

    /// <summary>Grid row of the panel, 0 at the top.</summary>
    public int Row { get; }

    /// <summary>Grid column of the panel, 0 at the left.</summary>
    public int Column { get; }

    /// <summary>Title above the panel.</summary>
    public string? Title { get; set; }

    /// <summary>Label of the horizontal axis.</summary>
    public string? XLabel { get; set; }

    /// <summary>Label of the vertical axis.</summary>
    public string? YLabel { get; set; }

    /// <summary>Fixed horizontal limits; null fits the data with a 5 % margin.</summary>
    public AxisRange? XRange { get; set; }

    /// <summary>Fixed vertical limits; null fits the data with a 5 % margin.</summary>
    public AxisRange? YRange { get; set; }

    /// <summary>One data unit is as long along x as along y (images, vector plots, dither patterns).</summary>
    public bool EqualAspect { get; set; }

    /// <summary>Light grid lines at the ticks.</summary>
    public bool ShowGrid { get; set; } = true;

    /// <summary>Numbers under the x ticks (hide them on inner panels of a shared grid).</summary>
    public bool ShowXTickLabels { get; set; } = true;

    /// <summary>Numbers beside the y ticks.</summary>
    public bool ShowYTickLabels { get; set; } = true;

    /// <summary>Fixed x tick values (labels computed); null picks nice ticks.</summary>
    public IReadOnlyList<double>? XTicks { get; set; }

    /// <summary>Fixed y tick values (labels computed); null picks nice ticks.</summary>
    public IReadOnlyList<double>? YTicks { get; set; }

    /// <summary>Where the legend goes; entries are the items added with a label.</summary>
    public LegendLocation Legend { get; set; } = LegendLocation.None;

    /// <summary>The colour bar, set by <see cref="HeatMap"/> when asked for.</summary>
    public ColorBar? ColorBar { get; set; }

    /// <summary>The key arrow drawn under a vector plot, or null.</summary>
    public ArrowKey? ArrowKey { get; set; }

    /// <summary>A note in small type under the plot area (left-aligned), or null.</summary>
    public string? Note { get; set; }

    internal IReadOnlyList<PlotItem> Items => _items;

    /// <summary>Draws points as filled circles.</summary>
    /// <param name="x">Horizontal positions.</param>
    /// <param name="y">Vertical positions (same length).</param>
    /// <param name="color">Fill colour.</param>
    /// <param name="radius">Marker radius in points.</param>
    /// <param name="alpha">Opacity, 0–1; below 1 dense regions look darker.</param>
    /// <param name="label">Legend text, or null.</param>
    public void Scatter(ReadOnlySpan<double> x, ReadOnlySpan<double> y, PlotColor color, double radius = 2.0, double alpha = 1.0, string? label = null)
    {
        CheckSameLength(x.Length, y.Length, "y");
        _items.Add(new ScatterItem(x.ToArray(), y.ToArray(), color, radius, alpha, label));
    }

    /// <summary>Draws a polyline through the points (NaN breaks the line).</summary>
    /// <param name="x">Horizontal positions.</param>
    /// <param name="y">Vertical positions (same length).</param>
    /// <param name="color">Line colour.</param>
    /// <param name="width">Line width in points.</param>
    /// <param name="style">Dash style.</param>
    /// <param name="label">Legend text, or null.</param>
    /// <param name="markerRadius">Radius of a filled circle drawn at each point, 0 for none.</param>
    public void Line(ReadOnlySpan<double> x, ReadOnlySpan<double> y, PlotColor color, double width = 1.6, LineStyle style = LineStyle.Solid, string? label = null, double markerRadius = 0)
    {
        CheckSameLength(x.Length, y.Length, "y");
        _items.Add(new LineItem(x.ToArray(), y.ToArray(), color, width, style, label, markerRadius));
    }

    /// <summary>Draws points with vertical (and optionally horizontal) error bars with caps.</summary>
    /// <param name="x">Horizontal positions.</param>
    /// <param name="y">Vertical positions.</param>
    /// <param name="yError">Half-length of each vertical bar (same length).</param>
    /// <param name="color">Colour of bars and markers.</param>
    /// <param name="xError">Half-length of each horizontal bar, or empty for none.</param>
    /// <param name="label">Legend text, or null.</param>
    /// <param name="markerRadius">Radius of the marker circle in points.</param>
    public void ErrorBars(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> yError, PlotColor color, ReadOnlySpan<double> xError = default, string? label = null, double markerRadius = 2.5)
    {
        CheckSameLength(x.Length, y.Length, "y");
        CheckSameLength(x.Length, yError.Length, "yError");
        if (!xError.IsEmpty)
        {
            CheckSameLength(x.Length, xError.Length, "xError");
        }

        _items.Add(new ErrorBarItem(x.ToArray(), y.ToArray(), yError.ToArray(), xError.IsEmpty ? null : xError.ToArray(), color, label, markerRadius));
    }

    /// <summary>Draws vectors (u, v) as arrows starting at (x, y).</summary>
    /// <param name="x">Arrow tails, horizontal.</param>
    /// <param name="y">Arrow tails, vertical.</param>
    /// <param name="u">Vector x components.</param>
    /// <param name="v">Vector y components.</param>
    /// <param name="scale">Axis data units per vector unit (for example 500 image pixels per pixel of residual).</param>
    /// <param name="color">Arrow colour.</param>
    /// <param name="width">Shaft width in points.</param>
    /// <param name="label">Legend text, or null.</param>
    public void Arrows(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> u, ReadOnlySpan<double> v, double scale, PlotColor color, double width = 0.9, string? label = null)
    {
        CheckSameLength(x.Length, y.Length, "y");
        CheckSameLength(x.Length, u.Length, "u");
        CheckSameLength(x.Length, v.Length, "v");
        if (!(scale > 0) || !double.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The arrow scale must be positive and finite.");
        }

        _items.Add(new ArrowItem(x.ToArray(), y.ToArray(), u.ToArray(), v.ToArray(), scale, color, width, label));
    }

    /// <summary>Draws a horizontal line across the panel at <paramref name="y"/>.</summary>
    /// <param name="y">The vertical position.</param>
    /// <param name="color">Line colour.</param>
    /// <param name="width">Line width in points.</param>
    /// <param name="style">Dash style.</param>
    /// <param name="label">Legend text, or null.</param>
    public void HorizontalLine(double y, PlotColor color, double width = 1.2, LineStyle style = LineStyle.Solid, string? label = null) =>
        _items.Add(new ReferenceLineItem(true, y, color, width, style, label));

    /// <summary>Draws a vertical line across the panel at <paramref name="x"/>.</summary>
    /// <param name="x">The horizontal position.</param>
    /// <param name="color">Line colour.</param>
    /// <param name="width">Line width in points.</param>
    /// <param name="style">Dash style.</param>
    /// <param name="label">Legend text, or null.</param>
    public void VerticalLine(double x, PlotColor color, double width = 1.2, LineStyle style = LineStyle.Solid, string? label = null) =>
        _items.Add(new ReferenceLineItem(false, x, color, width, style, label));

    /// <summary>Draws one marker (with a thin white halo so it shows on any background).</summary>
    /// <param name="x">Horizontal position.</param>
    /// <param name="y">Vertical position.</param>
    /// <param name="shape">Marker shape.</param>
    /// <param name="size">Full size in points.</param>
    /// <param name="color">Colour.</param>
    /// <param name="label">Legend text, or null.</param>
    /// <param name="lineWidth">Stroke width for line shapes.</param>
    public void Marker(double x, double y, MarkerShape shape, double size, PlotColor color, string? label = null, double lineWidth = 2.0) =>
        _items.Add(new MarkerItem(x, y, shape, size, color, label, lineWidth));

    /// <summary>Writes text at a data position.</summary>
    /// <param name="x">Horizontal position.</param>
    /// <param name="y">Vertical position (the text is centred on it vertically).</param>
    /// <param name="text">The text.</param>
    /// <param name="color">Text colour.</param>
    /// <param name="align">Horizontal alignment.</param>
    /// <param name="fontSize">Size in points.</param>
    public void Text(double x, double y, string text, PlotColor color, TextAlign align = TextAlign.Left, double fontSize = 9) =>
        _items.Add(new TextItem(x, y, text ?? string.Empty, color, align, fontSize));

    /// <summary>Draws a grid of values as coloured cells, optionally with a colour bar.</summary>
    /// <param name="values">Row-major values; row 0 is the bottom row (lowest y). NaN cells are grey.</param>
    /// <param name="columns">Cells per row.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="x">Horizontal extent: left edge of the first column to right edge of the last.</param>
    /// <param name="y">Vertical extent: bottom edge of row 0 to top edge of the last row.</param>
    /// <param name="colormap">The colour map.</param>
    /// <param name="stretch">The value-to-display mapping.</param>
    /// <param name="colorBarLabel">Label of the colour bar.</param>
    /// <param name="showColorBar">Whether to draw the colour bar.</param>
    /// <param name="smooth">Interpolate between cells (for downsampled images) instead of sharp cells.</param>
    public void HeatMap(ReadOnlySpan<double> values, int columns, int rows, AxisRange x, AxisRange y, Colormap colormap, ImageStretch stretch, string? colorBarLabel = null, bool showColorBar = true, bool smooth = false)
    {
        ArgumentNullException.ThrowIfNull(colormap);
        ArgumentNullException.ThrowIfNull(stretch);
        CheckGrid(values.Length, columns, rows);
        var argb = new uint[columns * rows];
        for (int r = 0; r < rows; r++)
        {
            int dst = (rows - 1 - r) * columns;
            for (int c = 0; c < columns; c++)
            {
                PlotColor col = colormap.Map(stretch.Forward(values[(r * columns) + c]));
                argb[dst + c] = 0xFF000000u | ((uint)col.R << 16) | ((uint)col.G << 8) | col.B;
            }
        }

        _items.Add(new RasterItem(argb, columns, rows, x, y, smooth));
        if (showColorBar)
        {
            ColorBar = new ColorBar(colormap, stretch, colorBarLabel);
        }
    }

    /// <summary>Paints the cells where <paramref name="mask"/> is true in one colour; other cells stay transparent.</summary>
    /// <param name="mask">Row-major flags; row 0 is the bottom row.</param>
    /// <param name="columns">Cells per row.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="x">Horizontal extent (outer cell edges).</param>
    /// <param name="y">Vertical extent (outer cell edges).</param>
    /// <param name="color">Colour of flagged cells.</param>
    /// <param name="alpha">Opacity of flagged cells.</param>
    /// <param name="label">Legend text, or null.</param>
    public void Mask(ReadOnlySpan<bool> mask, int columns, int rows, AxisRange x, AxisRange y, PlotColor color, double alpha = 1.0, string? label = null)
    {
        CheckGrid(mask.Length, columns, rows);
        uint a = (uint)Math.Round(Math.Clamp(alpha, 0, 1) * 255);
        uint premultiplied = (a << 24) | ((uint)(color.R * a / 255) << 16) | ((uint)(color.G * a / 255) << 8) | (uint)(color.B * a / 255);
        var argb = new uint[columns * rows];
        for (int r = 0; r < rows; r++)
        {
            int dst = (rows - 1 - r) * columns;
            for (int c = 0; c < columns; c++)
            {
                if (mask[(r * columns) + c])
                {
                    argb[dst + c] = premultiplied;
                }
            }
        }

        _items.Add(new RasterItem(argb, columns, rows, x, y, false) { Label = label, SwatchColor = color });
    }

    /// <summary>The x and y limits the panel will show: the fixed ones, or the data's with a margin.</summary>
    /// <returns>The limits.</returns>
    public (AxisRange X, AxisRange Y) Limits()
    {
        AxisRange x = XRange ?? AxisRange.Padded(Extreme(true, false), Extreme(true, true), Items.Any(i => i is RasterItem) ? 0 : 0.05);
        AxisRange y = YRange ?? AxisRange.Padded(Extreme(false, false), Extreme(false, true), Items.Any(i => i is RasterItem) ? 0 : 0.05);
        return (x, y);
    }

    private double Extreme(bool xAxis, bool max)
    {
        double best = max ? double.NegativeInfinity : double.PositiveInfinity;
        foreach (PlotItem item in _items)
        {
            foreach (double v in item.Extent(xAxis))
            {
                if (double.IsFinite(v))
                {
                    best = max ? Math.Max(best, v) : Math.Min(best, v);
                }
            }
        }

        return best;
    }

    private static void CheckSameLength(int expected, int actual, string name)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"'{name}' has {actual} values but x has {expected}.", name);
        }
    }

    private static void CheckGrid(int length, int columns, int rows)
    {
        if (columns < 1 || rows < 1 || length != columns * rows)
        {
            throw new ArgumentException($"A grid of {columns} × {rows} cells needs {(long)columns * rows} values, not {length}.");
        }
    }
}
