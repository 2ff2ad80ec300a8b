using System.Runtime.InteropServices;
using TweakDrizzle.Diagnostics.Plotting;
using static TweakDrizzle.Diagnostics.Rendering.CairoNative;

namespace TweakDrizzle.Diagnostics.Rendering;

/// <summary>An <see cref="ICanvas"/> over one cairo context. Not thread-safe; one per rendering.</summary>
internal sealed unsafe class CairoCanvas : ICanvas, IDisposable
{
    /// <summary>The font family of every label.</summary>
    public const string FontFamily = "DejaVu Sans";

    private readonly nint _cr;
    private readonly List<GCHandle> _pinned = [];
    private readonly List<nint> _rasterSurfaces = [];
    private double _fontSize = -1;
    private bool _fontBold;

    public CairoCanvas(nint surface, double rasterScale, bool isVector)
    {
        RasterScale = rasterScale;
        IsVector = isVector;
        _cr = cairo_create(surface);
        if (cairo_status(_cr) != 0)
        {
            throw new InvalidOperationException("cairo could not create a drawing context (status " + cairo_status(_cr) + ").");
        }

        cairo_set_line_join(_cr, LineJoinRound);
        SetFont(10, false);
    }

    /// <summary>Frees the context and the raster buffers; call only after the target surface is finished,
    /// because vector surfaces read the rasters late.</summary>
    public void Dispose()
    {
        cairo_destroy(_cr);
        foreach (nint s in _rasterSurfaces)
        {
            cairo_surface_destroy(s);
        }

        foreach (GCHandle h in _pinned)
        {
            h.Free();
        }
    }

    public double RasterScale { get; }

    /// <summary>True for SVG and PDF surfaces.</summary>
    public bool IsVector { get; }

    private static uint[] Replicate(uint[] argb, int columns, int rows, int fx, int fy)
    {
        int w = columns * fx;
        var big = new uint[w * rows * fy];
        for (int r = 0; r < rows; r++)
        {
            Span<uint> line = big.AsSpan(r * fy * w, w);
            for (int c = 0; c < columns; c++)
            {
                line.Slice(c * fx, fx).Fill(argb[(r * columns) + c]);
            }

            for (int k = 1; k < fy; k++)
            {
                line.CopyTo(big.AsSpan(((r * fy) + k) * w, w));
            }
        }

        return big;
    }

    /// <summary>Scales user space, so that one unit is <paramref name="s"/> device units (pixels per point).</summary>
    public void Scale(double s) => cairo_scale(_cr, s, s);

    public void Save() => cairo_save(_cr);

    public void Restore() => cairo_restore(_cr);

    public void SetColor(PlotColor color, double alpha = 1.0) =>
        cairo_set_source_rgba(_cr, color.R / 255.0, color.G / 255.0, color.B / 255.0, alpha);

    public void SetLineWidth(double width) => cairo_set_line_width(_cr, width);

    public void SetDash(double[]? pattern)
    {
        if (pattern is null || pattern.Length == 0)
        {
            cairo_set_dash(_cr, null, 0, 0);
            return;
        }

        fixed (double* p = pattern)
        {
            cairo_set_dash(_cr, p, pattern.Length, 0);
        }
    }

    public void SetRoundCaps(bool round) => cairo_set_line_cap(_cr, round ? LineCapRound : LineCapButt);

    public void MoveTo(double x, double y) => cairo_move_to(_cr, x, y);

    public void LineTo(double x, double y) => cairo_line_to(_cr, x, y);

    public void Rectangle(double x, double y, double width, double height) => cairo_rectangle(_cr, x, y, width, height);

    public void Circle(double x, double y, double radius)
    {
        cairo_new_sub_path(_cr);
        cairo_arc(_cr, x, y, radius, 0, 2 * Math.PI);
        cairo_close_path(_cr);
    }

    public void ClosePath() => cairo_close_path(_cr);

    public void Stroke() => cairo_stroke(_cr);

    public void Fill() => cairo_fill(_cr);

    public void FillPreserve() => cairo_fill_preserve(_cr);

    public void ClipRectangle(double x, double y, double width, double height)
    {
        cairo_new_path(_cr);
        cairo_rectangle(_cr, x, y, width, height);
        cairo_clip(_cr);
    }

    public void Translate(double x, double y) => cairo_translate(_cr, x, y);

    public void Rotate(double radians) => cairo_rotate(_cr, radians);

    public void SetFont(double size, bool bold)
    {
        if (size == _fontSize && bold == _fontBold)
        {
            return;
        }

        cairo_select_font_face(_cr, FontFamily, FontSlantNormal, bold ? FontWeightBold : FontWeightNormal);
        cairo_set_font_size(_cr, size);
        _fontSize = size;
        _fontBold = bold;
    }

    public void ShowText(double x, double y, string text)
    {
        cairo_move_to(_cr, x, y);
        cairo_show_text(_cr, text);
        cairo_new_path(_cr);
    }

    public TextSize Measure(string text, double fontSize, bool bold)
    {
        double oldSize = _fontSize;
        bool oldBold = _fontBold;
        SetFont(fontSize, bold);
        cairo_text_extents(_cr, text, out TextExtents te);
        cairo_font_extents(_cr, out FontExtents fe);
        SetFont(oldSize, oldBold);
        return new TextSize(te.XAdvance, fe.Ascent, fe.Descent);
    }

    public void DrawRaster(uint[] argb, int columns, int rows, double x, double y, double width, double height, bool smooth)
    {
        if (IsVector && !smooth)
        {
            // SVG and PDF viewers smooth small images when they scale them up, whatever filter cairo asked for:
            // give them sharp cells by repeating each one to about the embedding resolution.
            int fx = Math.Clamp((int)Math.Ceiling(width * RasterScale / columns), 1, 64);
            int fy = Math.Clamp((int)Math.Ceiling(height * RasterScale / rows), 1, 64);
            while ((long)fx * fy * columns * rows > 16_000_000 && (fx > 1 || fy > 1))
            {
                fx = Math.Max(1, fx / 2);
                fy = Math.Max(1, fy / 2);
            }

            if (fx > 1 || fy > 1)
            {
                argb = Replicate(argb, columns, rows, fx, fy);
                columns *= fx;
                rows *= fy;
            }
        }

        int stride = cairo_format_stride_for_width(FormatArgb32, columns);
        if (stride != columns * 4)
        {
            throw new InvalidOperationException("Unexpected cairo stride for an ARGB32 raster.");
        }

        // Vector surfaces (SVG, PDF) read the pixels when the surface is finished: keep them pinned until then.
        GCHandle handle = GCHandle.Alloc(argb, GCHandleType.Pinned);
        _pinned.Add(handle);
        nint image = cairo_image_surface_create_for_data((byte*)handle.AddrOfPinnedObject(), FormatArgb32, columns, rows, stride);
        _rasterSurfaces.Add(image);
        cairo_save(_cr);
        cairo_new_path(_cr);
        cairo_rectangle(_cr, x, y, width, height);
        cairo_clip(_cr);
        cairo_translate(_cr, x, y);
        cairo_scale(_cr, width / columns, height / rows);
        cairo_set_source_surface(_cr, image, 0, 0);
        cairo_pattern_set_filter(cairo_get_source(_cr), smooth ? FilterGood : FilterNearest);
        cairo_paint(_cr);
        cairo_restore(_cr);
    }
}

/// <summary>Creates cairo surfaces for the three output formats and collects what they write.</summary>
internal static unsafe class CairoOutput
{
    /// <summary>Fixed PDF creation date, so the same figure gives the same bytes.</summary>
    public const string PdfDate = "2000-01-01T00:00:00Z";

    /// <summary>Resolution (pixels per point, 216 dpi) of dense scatters embedded as rasters in SVG and PDF.</summary>
    public const double VectorRasterScale = 3.0;

    /// <summary>Renders with <paramref name="draw"/> to the given format and returns the file's bytes.</summary>
    public static byte[] Render(PlotFormat format, double width, double height, double pixelsPerPoint, string? title, Action<ICanvas> draw)
    {
        CairoLibrary.EnsureLoaded();
        return format switch
        {
            PlotFormat.Png => RenderPng(width, height, pixelsPerPoint, draw),
            PlotFormat.Svg or PlotFormat.Pdf => RenderVector(format, width, height, title, draw),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown plot format."),
        };
    }

    /// <summary>Renders to an opaque raster and returns its pixels as 0xAARRGGBB, rows top to bottom.</summary>
    public static uint[] RenderPixels(int widthPx, int heightPx, double pixelsPerPoint, Action<ICanvas> draw)
    {
        CairoLibrary.EnsureLoaded();
        nint surface = cairo_image_surface_create(FormatArgb32, widthPx, heightPx);
        try
        {
            DrawOn(surface, pixelsPerPoint, draw);
            cairo_surface_flush(surface);
            int stride = cairo_image_surface_get_stride(surface);
            byte* data = cairo_image_surface_get_data(surface);
            var pixels = new uint[widthPx * heightPx];
            for (int r = 0; r < heightPx; r++)
            {
                new ReadOnlySpan<uint>(data + ((long)r * stride), widthPx).CopyTo(pixels.AsSpan(r * widthPx, widthPx));
            }

            return pixels;
        }
        finally
        {
            cairo_surface_destroy(surface);
        }
    }

    private static byte[] RenderPng(double width, double height, double pixelsPerPoint, Action<ICanvas> draw)
    {
        // cairo draws, the managed encoder compresses: it is about twice as fast as cairo's libpng path here and
        // gives slightly smaller files.
        int w = PixelSize(width, pixelsPerPoint), h = PixelSize(height, pixelsPerPoint);
        nint surface = cairo_image_surface_create(FormatRgb24, w, h);
        try
        {
            Check(cairo_surface_status(surface), "create the image");
            DrawOn(surface, pixelsPerPoint, draw);
            cairo_surface_flush(surface);
            int stride = cairo_image_surface_get_stride(surface);
            byte* data = cairo_image_surface_get_data(surface);
            var rgb = new byte[w * h * 3];
            for (int r = 0; r < h; r++)
            {
                ReadOnlySpan<uint> row = new(data + ((long)r * stride), w);
                Span<byte> dst = rgb.AsSpan(r * w * 3, w * 3);
                for (int x = 0; x < w; x++)
                {
                    uint v = row[x];
                    dst[3 * x] = (byte)(v >> 16);
                    dst[(3 * x) + 1] = (byte)(v >> 8);
                    dst[(3 * x) + 2] = (byte)v;
                }
            }

            return Images.PngWriter.Encode(rgb, w, h, Images.PngColorType.Rgb8);
        }
        finally
        {
            cairo_surface_destroy(surface);
        }
    }

    private static byte[] RenderVector(PlotFormat format, double width, double height, string? title, Action<ICanvas> draw)
    {
        using var sink = new MemoryStream();
        GCHandle closure = GCHandle.Alloc(sink);
        nint surface = 0;
        CairoCanvas? canvas = null;
        try
        {
            nint ptr = GCHandle.ToIntPtr(closure);
            surface = format == PlotFormat.Svg
                ? cairo_svg_surface_create_for_stream(&Write, ptr, width, height)
                : cairo_pdf_surface_create_for_stream(&Write, ptr, width, height);
            Check(cairo_surface_status(surface), "create the " + format + " surface");
            if (format == PlotFormat.Pdf)
            {
                cairo_pdf_surface_set_metadata(surface, PdfMetadataCreator, "TweakDrizzle");
                cairo_pdf_surface_set_metadata(surface, PdfMetadataCreateDate, PdfDate);
                cairo_pdf_surface_set_metadata(surface, PdfMetadataModDate, PdfDate);
                if (!string.IsNullOrEmpty(title))
                {
                    cairo_pdf_surface_set_metadata(surface, PdfMetadataTitle, title);
                }
            }

            canvas = new CairoCanvas(surface, VectorRasterScale, true);
            PaintBackground(canvas, width, height);
            draw(canvas);
            cairo_surface_finish(surface); // before the canvas unpins its rasters
            canvas.Dispose();
            canvas = null;
            Check(cairo_surface_status(surface), "write the " + format);
            return sink.ToArray();
        }
        finally
        {
            canvas?.Dispose();
            if (surface != 0)
            {
                cairo_surface_destroy(surface);
            }

            closure.Free();
        }
    }

    internal static int PixelSize(double points, double pixelsPerPoint) => Math.Max(1, (int)Math.Round(points * pixelsPerPoint));

    private static void DrawOn(nint surface, double pixelsPerPoint, Action<ICanvas> draw)
    {
        using var canvas = new CairoCanvas(surface, pixelsPerPoint, false);
        canvas.Scale(pixelsPerPoint);
        PaintBackground(canvas, 1e6, 1e6);
        draw(canvas);
    }

    private static void PaintBackground(CairoCanvas canvas, double width, double height)
    {
        canvas.SetColor(PlotColor.White);
        canvas.Rectangle(0, 0, width, height);
        canvas.Fill();
    }

    private static void Check(int status, string what)
    {
        if (status != 0)
        {
            throw new InvalidOperationException($"cairo could not {what} (status {status}).");
        }
    }

    [UnmanagedCallersOnly]
    private static int Write(nint closure, byte* data, uint length)
    {
        try
        {
            var sink = (MemoryStream)GCHandle.FromIntPtr(closure).Target!;
            sink.Write(new ReadOnlySpan<byte>(data, checked((int)length)));
            return 0;
        }
        catch (Exception e) when (e is IOException or OverflowException or NotSupportedException)
        {
            return 11; // CAIRO_STATUS_WRITE_ERROR
        }
    }
}
