using System.Globalization;
using TweakDrizzle.Fits;

namespace TweakDrizzle.Wcs;

/// <summary>
/// One distortion lookup table of WCS Paper IV as HST files carry them (an image in a <c>WCSDVARR</c> or
/// <c>D2IMARR</c> extension): a grid of offsets, in pixels, sampled every CDELT image pixels, read by bilinear
/// interpolation and held at its edge value beyond the grid.
/// </summary>
public sealed class DistortionLookupTable
{
    private readonly float[] _data;

    /// <summary>A table.</summary>
    /// <param name="data">Offsets, row by row (<paramref name="width"/> per row), pixels.</param>
    /// <param name="width">Table width (NAXIS1).</param>
    /// <param name="height">Table height (NAXIS2).</param>
    /// <param name="crpix">The table's CRPIX1/2 (1-based table position of <paramref name="crval"/>).</param>
    /// <param name="crval">The table's CRVAL1/2: the image position (1-based) at <paramref name="crpix"/>.</param>
    /// <param name="cdelt">The table's CDELT1/2: image pixels per table step.</param>
    /// <exception cref="WcsException">The sizes do not match, a step is zero, or a value is not finite.</exception>
    public DistortionLookupTable(float[] data, int width, int height, (double X, double Y) crpix, (double X, double Y) crval, (double X, double Y) cdelt)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (width < 1 || height < 1 || data.LongLength != (long)width * height)
        {
            throw new WcsException($"a distortion lookup table of {width}x{height} needs {(long)width * height} values, got {data.LongLength}");
        }

        if (!(cdelt.X != 0 && cdelt.Y != 0) || !double.IsFinite(cdelt.X) || !double.IsFinite(cdelt.Y)
            || !double.IsFinite(crpix.X) || !double.IsFinite(crpix.Y) || !double.IsFinite(crval.X) || !double.IsFinite(crval.Y))
        {
            throw new WcsException("a distortion lookup table needs finite CRPIX, CRVAL and non-zero CDELT");
        }

        _data = data;
        Width = width;
        Height = height;
        Crpix = crpix;
        Crval = crval;
        Cdelt = cdelt;
    }

    /// <summary>Table width (NAXIS1).</summary>
    public int Width { get; }

    /// <summary>Table height (NAXIS2).</summary>
    public int Height { get; }

    /// <summary>CRPIX1/2 of the table.</summary>
    public (double X, double Y) Crpix { get; }

    /// <summary>CRVAL1/2 of the table (1-based image position).</summary>
    public (double X, double Y) Crval { get; }

    /// <summary>CDELT1/2 of the table (image pixels per table step).</summary>
    public (double X, double Y) Cdelt { get; }

    /// <summary>The offsets, row by row.</summary>
    public ReadOnlySpan<float> Data => _data;

    /// <summary>The offset at a <b>1-based</b> image position (as astropy's <c>DistortionLookupTable.get_offset</c>).</summary>
    /// <param name="x">1-based image x.</param>
    /// <param name="y">1-based image y.</param>
    /// <returns>The interpolated offset, pixels.</returns>
    public double Offset(double x, double y)
    {
        // 0-based fractional table position, held inside the grid.
        double tx = Math.Clamp(((x - Crval.X) / Cdelt.X) + Crpix.X - 1.0, 0.0, Width - 1);
        double ty = Math.Clamp(((y - Crval.Y) / Cdelt.Y) + Crpix.Y - 1.0, 0.0, Height - 1);
        double fx = Math.Floor(tx), fy = Math.Floor(ty);
        int ix = (int)fx, iy = (int)fy;
        double wx = tx - fx, wy = ty - fy;
        int ix1 = Math.Min(ix + 1, Width - 1), iy1 = Math.Min(iy + 1, Height - 1);
        return (_data[(iy * Width) + ix] * (1 - wx) * (1 - wy))
            + (_data[(iy1 * Width) + ix] * (1 - wx) * wy)
            + (_data[(iy * Width) + ix1] * wx * (1 - wy))
            + (_data[(iy1 * Width) + ix1] * wx * wy);
    }
}

/// <summary>
/// HST's lookup-table distortions of one chip: the detector-to-image correction (D2IM, applied first to the pixel
/// position) and the non-polynomial residual (NPOL, Paper IV's CPDIS, added with SIP to the focal-plane position),
/// one optional table per axis. The order and the 1-based table coordinates are those of astropy's
/// <c>all_pix2world</c> pipeline.
/// </summary>
/// <param name="Det2ImX">D2IM offset along x, or null.</param>
/// <param name="Det2ImY">D2IM offset along y, or null.</param>
/// <param name="CpdisX">NPOL (CPDIS1) offset along x, or null.</param>
/// <param name="CpdisY">NPOL (CPDIS2) offset along y, or null.</param>
public sealed record LookupDistortion(DistortionLookupTable? Det2ImX, DistortionLookupTable? Det2ImY, DistortionLookupTable? CpdisX, DistortionLookupTable? CpdisY)
{
    /// <summary>
    /// Reads the lookup tables a chip's header refers to: <c>CPDISj = 'Lookup'</c> with the record-valued
    /// <c>DPj = 'EXTVER: n'</c> and <c>'AXIS.j: k'</c> cards (tables in <c>WCSDVARR</c> extensions), and
    /// <c>D2IMDISj = 'Lookup'</c> with <c>D2IMj</c> cards (tables in <c>D2IMARR</c> extensions).
    /// </summary>
    /// <param name="header">The chip's header.</param>
    /// <param name="file">The file holding the table extensions.</param>
    /// <returns>The tables, or null when the header names none.</returns>
    /// <exception cref="WcsException">A named table is missing, not a 1- or 2-D image, or has a bad header.</exception>
    public static LookupDistortion? Read(FitsHeader header, FitsFile file)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(file);
        DistortionLookupTable? d1 = ReadOne(header, file, "D2IMDIS", "D2IM", "D2IMARR", 1);
        DistortionLookupTable? d2 = ReadOne(header, file, "D2IMDIS", "D2IM", "D2IMARR", 2);
        DistortionLookupTable? c1 = ReadOne(header, file, "CPDIS", "DP", "WCSDVARR", 1);
        DistortionLookupTable? c2 = ReadOne(header, file, "CPDIS", "DP", "WCSDVARR", 2);
        return d1 is null && d2 is null && c1 is null && c2 is null ? null : new LookupDistortion(d1, d2, c1, c2);
    }

    private static DistortionLookupTable? ReadOne(FitsHeader header, FitsFile file, string kind, string record, string extName, int axis)
    {
        if (header.Contains(kind + axis) is false || !string.Equals(header.GetString(kind + axis)?.Trim(), "Lookup", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // Record-valued cards: DPj = 'EXTVER: 1', DPj = 'AXIS.1: 1', ...
        var fields = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (FitsCard c in header)
        {
            if (c.Key == record + axis.ToString(CultureInfo.InvariantCulture) && c.Value is string s && s.Split(':', 2) is [var name, var value]
                && double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            {
                fields[name.Trim()] = v;
            }
        }

        int extver = fields.TryGetValue("EXTVER", out double ev) ? (int)ev : 1;
        FitsHdu hdu = file.Find(extName, extver)
            ?? throw new WcsException($"{kind}{axis} = 'Lookup' names {extName} extension {extver}, which the file does not have");
        long[] naxis = hdu.Header.GetInt64("NAXIS") switch
        {
            1 => [hdu.Header.GetInt64("NAXIS1"), 1],
            2 => [hdu.Header.GetInt64("NAXIS1"), hdu.Header.GetInt64("NAXIS2")],
            _ => throw new WcsException($"{extName} extension {extver} is not a 1- or 2-D table"),
        };
        float[] data = hdu.ReadImage<float>().Data;
        int w = checked((int)naxis[0]), h = checked((int)naxis[1]);
        (double, double) Pair(string key, double fallback) =>
            (hdu.Header.Contains(key + "1") ? hdu.Header.GetDouble(key + "1") : fallback, hdu.Header.Contains(key + "2") ? hdu.Header.GetDouble(key + "2") : fallback);

        // A table whose first axis is not this image axis is stored transposed (astropy transposes it on reading).
        if (fields.TryGetValue($"AXIS.{axis}", out double a) && (int)a != axis)
        {
            var t = new float[data.Length];
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    t[(x * h) + y] = data[(y * w) + x];
                }
            }

            (data, w, h) = (t, h, w);
        }

        return new DistortionLookupTable(data, w, h, Pair("CRPIX", 0.0), Pair("CRVAL", 0.0), Pair("CDELT", 1.0));
    }

    /// <summary>The pixel position after D2IM and the focal-plane offset NPOL adds there, both 1-based pixels.</summary>
    /// <param name="x">1-based pixel x.</param>
    /// <param name="y">1-based pixel y.</param>
    /// <param name="dx">Receives x after the D2IM correction.</param>
    /// <param name="dy">Receives y after the D2IM correction.</param>
    internal void Detector(double x, double y, out double dx, out double dy)
    {
        dx = x + (Det2ImX?.Offset(x, y) ?? 0.0);
        dy = y + (Det2ImY?.Offset(x, y) ?? 0.0);
    }

    /// <summary>The NPOL offsets at a D2IM-corrected 1-based position.</summary>
    internal (double X, double Y) Npol(double x, double y) => (CpdisX?.Offset(x, y) ?? 0.0, CpdisY?.Offset(x, y) ?? 0.0);
}
