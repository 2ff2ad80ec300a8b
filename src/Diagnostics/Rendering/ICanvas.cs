using TweakDrizzle.Diagnostics.Plotting;

namespace TweakDrizzle.Diagnostics.Rendering;

/// <summary>Size of a piece of text in points: advance width and the font's ascent and descent.</summary>
internal readonly record struct TextSize(double Width, double Ascent, double Descent)
{
    public double Height => Ascent + Descent;
}

/// <summary>Measures text; the layout needs only this, so it can be computed (and tested) without cairo.</summary>
internal interface ITextMeasurer
{
    TextSize Measure(string text, double fontSize, bool bold);
}

/// <summary>
/// Metrics close to DejaVu Sans (average advance 0.6 em, ascent 0.93 em, descent 0.24 em) for computing
/// layouts without a drawing library.
/// </summary>
internal sealed class ApproximateTextMeasurer : ITextMeasurer
{
    public TextSize Measure(string text, double fontSize, bool bold) =>
        new(text.Length * fontSize * (bold ? 0.66 : 0.6), 0.93 * fontSize, 0.24 * fontSize);
}

/// <summary>The drawing primitives the figure renderer uses, in points with the origin at the top left.</summary>
internal interface ICanvas : ITextMeasurer
{
    /// <summary>Device pixels per point for rasters drawn in managed code (the PNG resolution, or a fixed fine
    /// resolution for vector output).</summary>
    double RasterScale { get; }

    void Save();
    void Restore();
    void SetColor(PlotColor color, double alpha = 1.0);
    void SetLineWidth(double width);
    void SetDash(double[]? pattern);
    void SetRoundCaps(bool round);
    void MoveTo(double x, double y);
    void LineTo(double x, double y);
    void Rectangle(double x, double y, double width, double height);
    void Circle(double x, double y, double radius);
    void ClosePath();
    void Stroke();
    void Fill();
    void FillPreserve();
    void ClipRectangle(double x, double y, double width, double height);
    void Translate(double x, double y);
    void Rotate(double radians);
    void SetFont(double size, bool bold);
    void ShowText(double x, double y, string text);

    /// <summary>Draws an ARGB32 (premultiplied) raster of <paramref name="columns"/> × <paramref name="rows"/>
    /// cells, first row at the top, stretched over the given rectangle.</summary>
    void DrawRaster(uint[] argb, int columns, int rows, double x, double y, double width, double height, bool smooth);
}
