namespace TweakDrizzle.Diagnostics.Plotting;

/// <summary>One thing drawn in a panel. Items are immutable once added.</summary>
internal abstract record PlotItem
{
    public string? Label { get; init; }

    /// <summary>The data values this item spans along one axis (for automatic limits).</summary>
    public abstract IEnumerable<double> Extent(bool xAxis);
}

internal sealed record ScatterItem : PlotItem
{
    public ScatterItem(double[] x, double[] y, PlotColor color, double radius, double alpha, string? label)
    {
        X = x;
        Y = y;
        Color = color;
        Radius = radius;
        Alpha = alpha;
        Label = label;
    }

    public double[] X { get; }

    public double[] Y { get; }

    public PlotColor Color { get; }

    public double Radius { get; }

    public double Alpha { get; }

    public override IEnumerable<double> Extent(bool xAxis) => xAxis ? X : Y;
}

internal sealed record LineItem : PlotItem
{
    public LineItem(double[] x, double[] y, PlotColor color, double width, LineStyle style, string? label, double markerRadius)
    {
        X = x;
        Y = y;
        Color = color;
        Width = width;
        Style = style;
        Label = label;
        MarkerRadius = markerRadius;
    }

    public double[] X { get; }

    public double[] Y { get; }

    public PlotColor Color { get; }

    public double Width { get; }

    public LineStyle Style { get; }

    public double MarkerRadius { get; }

    public override IEnumerable<double> Extent(bool xAxis) => xAxis ? X : Y;
}

internal sealed record ErrorBarItem : PlotItem
{
    public ErrorBarItem(double[] x, double[] y, double[] yError, double[]? xError, PlotColor color, string? label, double markerRadius)
    {
        X = x;
        Y = y;
        YError = yError;
        XError = xError;
        Color = color;
        Label = label;
        MarkerRadius = markerRadius;
    }

    public double[] X { get; }

    public double[] Y { get; }

    public double[] YError { get; }

    public double[]? XError { get; }

    public PlotColor Color { get; }

    public double MarkerRadius { get; }

    public override IEnumerable<double> Extent(bool xAxis)
    {
        for (int i = 0; i < X.Length; i++)
        {
            double c = xAxis ? X[i] : Y[i];
            double e = xAxis ? (XError is null ? 0 : Math.Abs(XError[i])) : Math.Abs(YError[i]);
            yield return c - (double.IsFinite(e) ? e : 0);
            yield return c + (double.IsFinite(e) ? e : 0);
        }
    }
}

internal sealed record ArrowItem : PlotItem
{
    public ArrowItem(double[] x, double[] y, double[] u, double[] v, double scale, PlotColor color, double width, string? label)
    {
        X = x;
        Y = y;
        U = u;
        V = v;
        Scale = scale;
        Color = color;
        Width = width;
        Label = label;
    }

    public double[] X { get; }

    public double[] Y { get; }

    public double[] U { get; }

    public double[] V { get; }

    public double Scale { get; }

    public PlotColor Color { get; }

    public double Width { get; }

    public override IEnumerable<double> Extent(bool xAxis)
    {
        double[] p = xAxis ? X : Y, d = xAxis ? U : V;
        for (int i = 0; i < p.Length; i++)
        {
            yield return p[i];
            yield return p[i] + (d[i] * Scale);
        }
    }
}

internal sealed record ReferenceLineItem : PlotItem
{
    public ReferenceLineItem(bool horizontal, double value, PlotColor color, double width, LineStyle style, string? label)
    {
        Horizontal = horizontal;
        Value = value;
        Color = color;
        Width = width;
        Style = style;
        Label = label;
    }

    public bool Horizontal { get; }

    public double Value { get; }

    public PlotColor Color { get; }

    public double Width { get; }

    public LineStyle Style { get; }

    public override IEnumerable<double> Extent(bool xAxis) => xAxis == Horizontal ? [] : [Value];
}

internal sealed record MarkerItem : PlotItem
{
    public MarkerItem(double x, double y, MarkerShape shape, double size, PlotColor color, string? label, double lineWidth)
    {
        X = x;
        Y = y;
        Shape = shape;
        Size = size;
        Color = color;
        Label = label;
        LineWidth = lineWidth;
    }

    public double X { get; }

    public double Y { get; }

    public MarkerShape Shape { get; }

    public double Size { get; }

    public PlotColor Color { get; }

    public double LineWidth { get; }

    public override IEnumerable<double> Extent(bool xAxis) => [xAxis ? X : Y];
}

internal sealed record TextItem(double X, double Y, string Text, PlotColor Color, TextAlign Align, double FontSize) : PlotItem
{
    public override IEnumerable<double> Extent(bool xAxis) => [];
}

internal sealed record RasterItem(uint[] Argb, int Columns, int Rows, AxisRange X, AxisRange Y, bool Smooth) : PlotItem
{
    /// <summary>The legend swatch colour for masks.</summary>
    public PlotColor SwatchColor { get; init; }

    public override IEnumerable<double> Extent(bool xAxis) => xAxis ? [X.Min, X.Max] : [Y.Min, Y.Max];
}
