using System.Runtime.InteropServices;

namespace TweakDrizzle.Diagnostics.Rendering;

/// <summary>
/// The few cairo functions the plots use, bound by <see cref="LibraryImportAttribute"/> to the soname
/// <c>libcairo.so.2</c> (never the bare name <c>cairo</c>, which needs the -dev package's symlink).
/// Call <see cref="CairoLibrary.EnsureLoaded"/> before the first call: it installs the resolver and gives a
/// typed, one-line error when the library is missing.
/// </summary>
internal static unsafe partial class CairoNative
{
    /// <summary>The library name every import uses; the resolver maps it to the platform's file.</summary>
    public const string Lib = "libcairo.so.2";

    public const int FormatArgb32 = 0;
    public const int FormatRgb24 = 1;
    public const int FilterNearest = 3;
    public const int FilterGood = 1;
    public const int LineCapButt = 0;
    public const int LineCapRound = 1;
    public const int LineCapSquare = 2;
    public const int LineJoinMiter = 0;
    public const int LineJoinRound = 1;
    public const int FontSlantNormal = 0;
    public const int FontWeightNormal = 0;
    public const int FontWeightBold = 1;
    public const int PdfMetadataTitle = 0;
    public const int PdfMetadataCreator = 4;
    public const int PdfMetadataCreateDate = 5;
    public const int PdfMetadataModDate = 6;

    [StructLayout(LayoutKind.Sequential)]
    public struct TextExtents
    {
        public double XBearing;
        public double YBearing;
        public double Width;
        public double Height;
        public double XAdvance;
        public double YAdvance;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct FontExtents
    {
        public double Ascent;
        public double Descent;
        public double Height;
        public double MaxXAdvance;
        public double MaxYAdvance;
    }

    [LibraryImport(Lib)]
    public static partial nint cairo_version_string();

    [LibraryImport(Lib)]
    public static partial nint cairo_image_surface_create(int format, int width, int height);

    [LibraryImport(Lib)]
    public static partial nint cairo_image_surface_create_for_data(byte* data, int format, int width, int height, int stride);

    [LibraryImport(Lib)]
    public static partial int cairo_format_stride_for_width(int format, int width);

    [LibraryImport(Lib)]
    public static partial byte* cairo_image_surface_get_data(nint surface);

    [LibraryImport(Lib)]
    public static partial int cairo_image_surface_get_stride(nint surface);

    [LibraryImport(Lib)]
    public static partial nint cairo_svg_surface_create_for_stream(delegate* unmanaged<nint, byte*, uint, int> write, nint closure, double width, double height);

    [LibraryImport(Lib)]
    public static partial nint cairo_pdf_surface_create_for_stream(delegate* unmanaged<nint, byte*, uint, int> write, nint closure, double width, double height);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void cairo_pdf_surface_set_metadata(nint surface, int metadata, string value);

    [LibraryImport(Lib)]
    public static partial int cairo_surface_status(nint surface);

    [LibraryImport(Lib)]
    public static partial void cairo_surface_finish(nint surface);

    [LibraryImport(Lib)]
    public static partial void cairo_surface_flush(nint surface);

    [LibraryImport(Lib)]
    public static partial void cairo_surface_mark_dirty(nint surface);

    [LibraryImport(Lib)]
    public static partial void cairo_surface_destroy(nint surface);

    [LibraryImport(Lib)]
    public static partial nint cairo_create(nint surface);

    [LibraryImport(Lib)]
    public static partial void cairo_destroy(nint cr);

    [LibraryImport(Lib)]
    public static partial int cairo_status(nint cr);

    [LibraryImport(Lib)]
    public static partial void cairo_save(nint cr);

    [LibraryImport(Lib)]
    public static partial void cairo_restore(nint cr);

    [LibraryImport(Lib)]
    public static partial void cairo_set_source_rgba(nint cr, double r, double g, double b, double a);

    [LibraryImport(Lib)]
    public static partial void cairo_set_source_surface(nint cr, nint surface, double x, double y);

    [LibraryImport(Lib)]
    public static partial nint cairo_get_source(nint cr);

    [LibraryImport(Lib)]
    public static partial void cairo_pattern_set_filter(nint pattern, int filter);

    [LibraryImport(Lib)]
    public static partial void cairo_set_line_width(nint cr, double width);

    [LibraryImport(Lib)]
    public static partial void cairo_set_line_cap(nint cr, int cap);

    [LibraryImport(Lib)]
    public static partial void cairo_set_line_join(nint cr, int join);

    [LibraryImport(Lib)]
    public static partial void cairo_set_dash(nint cr, double* dashes, int count, double offset);

    [LibraryImport(Lib)]
    public static partial void cairo_move_to(nint cr, double x, double y);

    [LibraryImport(Lib)]
    public static partial void cairo_line_to(nint cr, double x, double y);

    [LibraryImport(Lib)]
    public static partial void cairo_rectangle(nint cr, double x, double y, double width, double height);

    [LibraryImport(Lib)]
    public static partial void cairo_arc(nint cr, double xc, double yc, double radius, double angle1, double angle2);

    [LibraryImport(Lib)]
    public static partial void cairo_close_path(nint cr);

    [LibraryImport(Lib)]
    public static partial void cairo_new_path(nint cr);

    [LibraryImport(Lib)]
    public static partial void cairo_new_sub_path(nint cr);

    [LibraryImport(Lib)]
    public static partial void cairo_stroke(nint cr);

    [LibraryImport(Lib)]
    public static partial void cairo_fill(nint cr);

    [LibraryImport(Lib)]
    public static partial void cairo_fill_preserve(nint cr);

    [LibraryImport(Lib)]
    public static partial void cairo_paint(nint cr);

    [LibraryImport(Lib)]
    public static partial void cairo_clip(nint cr);

    [LibraryImport(Lib)]
    public static partial void cairo_translate(nint cr, double tx, double ty);

    [LibraryImport(Lib)]
    public static partial void cairo_rotate(nint cr, double angle);

    [LibraryImport(Lib)]
    public static partial void cairo_scale(nint cr, double sx, double sy);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void cairo_select_font_face(nint cr, string family, int slant, int weight);

    [LibraryImport(Lib)]
    public static partial void cairo_set_font_size(nint cr, double size);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void cairo_show_text(nint cr, string text);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void cairo_text_extents(nint cr, string text, out TextExtents extents);

    [LibraryImport(Lib)]
    public static partial void cairo_font_extents(nint cr, out FontExtents extents);
}
