using System.Globalization;
using System.Text;
using System.Text.Json;
using TweakDrizzle.Diagnostics.Alignment;
using TweakDrizzle.Fits;
using TweakDrizzle.Matching;
using TweakDrizzle.Wcs;
using TweakDrizzle.WcsFit;
using PlotHistogram = TweakDrizzle.Diagnostics.Alignment.OffsetHistogram;

namespace TweakDrizzle.Pipeline.Alignment;

/// <summary>
/// What a <c>tweakreg</c> run writes: the per-image table, a JSON summary, TweakReg's shiftfile (with its
/// <c>_wcs.fits</c> frame file), the diagnostic plots and, on request, TweakReg-named catalogs. Every file is written
/// through a temporary file and renamed.
/// </summary>
public static class TweakRegOutputs
{
    /// <summary>The per-image table TweakReg users know: XSH YSH ROT SCALE XRMS YRMS NMATCH per input.</summary>
    /// <param name="result">The run.</param>
    /// <returns>Lines with <c>\n</c> ends.</returns>
    public static string FormatTable(TweakRegResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        int w = Math.Max(5, result.Images.Max(i => i.FileName.Length));
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{"IMAGE".PadRight(w)}  {"XSH",10} {"YSH",10} {"ROT",12} {"SCALE",10} {"XRMS",8} {"YRMS",8} {"RMS(mas)",8} {"NMATCH",6}  STATUS\n");
        foreach (TweakRegImage im in result.Images)
        {
            string name = im.FileName.PadRight(w);
            if (im.Status == TweakRegStatus.Aligned)
            {
                FitResult f = im.Fit!;
                double mas = f.FitRms * result.PixelScaleArcsec * 1000;
                sb.Append(CultureInfo.InvariantCulture,
                    $"{name}  {f.XSh,10:0.0000} {f.YSh,10:0.0000} {f.Rot,12:0.000000} {f.Scale,10:0.000000} {f.XRms,8:0.0000} {f.YRms,8:0.0000} {mas,8:0.00} {f.NMatch,6}  aligned\n");
            }
            else if (im.Status == TweakRegStatus.Reference)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{name}  {0.0,10:0.0000} {0.0,10:0.0000} {0.0,12:0.000000} {1.0,10:0.000000} {0.0,8:0.0000} {0.0,8:0.0000} {0.0,8:0.00} {0,6}  reference\n");
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"{name}  {"nan",10} {"nan",10} {"nan",12} {"nan",10} {"nan",8} {"nan",8} {"nan",8} {im.Fit?.NMatch ?? im.Match?.NMatch ?? 0,6}  FAILED: {im.Message}\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>The shiftfile rows: the reference's identity row, a fit row per aligned input, <c>nan</c> for failures.</summary>
    /// <param name="result">The run.</param>
    /// <returns>The rows in input order.</returns>
    public static IReadOnlyList<ShiftFileRow> ShiftRows(TweakRegResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Images.Select(i => i.Status switch
        {
            TweakRegStatus.Reference => ShiftFileRow.Reference(i.FileName),
            TweakRegStatus.Aligned => ShiftFileRow.FromFit(i.FileName, i.Fit!),
            _ => ShiftFileRow.Unmatched(i.FileName),
        }).ToList();
    }

    /// <summary>
    /// Writes TweakReg's shiftfile (<c>shiftfile=True</c>, <c>outshifts</c>) and, beside it, the frame WCS file
    /// (<c>outwcs</c>: <c>&lt;root&gt;_wcs.fits</c>, an empty primary and a <c>WCS</c> extension) its header names.
    /// </summary>
    /// <param name="path">The shiftfile.</param>
    /// <param name="result">The run.</param>
    /// <returns>The frame WCS file written.</returns>
    public static string WriteShiftFile(string path, TweakRegResult result)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(result);
        string full = Path.GetFullPath(path);
        string wcsPath = Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + "_wcs.fits");
        var h = new FitsHeader();
        result.Frame.WriteTo(h);
        h.Set("NPIX1", (long)result.FrameWidth, "width of the reference frame, pixels");
        h.Set("NPIX2", (long)result.FrameHeight, "height of the reference frame, pixels");
        h.Set("PIXVALUE", 0.0, "values of pixels in array");
        h.Set("ORIENTAT", result.Frame.Orientation(result.Frame.Crpix1 - 1, result.Frame.Crpix2 - 1), "position angle of image y axis (deg. e of n)");
        FitsWriter.Write(wcsPath, [FitsWriteHdu.Empty(), FitsWriteHdu.Empty(h).Named("WCS", 1)]);
        ShiftFile.Write(full, ShiftRows(result).ToList(), Path.GetFileName(wcsPath) + "[wcs]");
        return wcsPath;
    }

    /// <summary>Writes the JSON summary of a run.</summary>
    /// <param name="path">The file.</param>
    /// <param name="result">The run.</param>
    public static void WriteJson(string path, TweakRegResult result)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(result);
        AtomicWrite(path, ToJson(result));
    }

    /// <summary>The JSON summary: frame, reference, options that shape the fit, and per image its status and TweakReg figures.</summary>
    /// <param name="result">The run.</param>
    /// <returns>Indented JSON.</returns>
    public static string ToJson(TweakRegResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("reference", result.ReferenceName);
            w.WriteNumber("reference_sources", result.ReferenceSources);
            w.WriteString("fitgeometry", result.Options.FitGeometry.ToName());
            w.WriteString("wcsname", result.Options.WcsName.Trim());
            w.WriteBoolean("headers_updated", result.HeadersUpdated);
            w.WriteStartObject("frame");
            w.WriteNumber("crval1", result.Frame.Crval1);
            w.WriteNumber("crval2", result.Frame.Crval2);
            w.WriteNumber("crpix1", result.Frame.Crpix1);
            w.WriteNumber("crpix2", result.Frame.Crpix2);
            w.WriteNumber("pixel_scale_arcsec", result.PixelScaleArcsec);
            w.WriteNumber("orientat", result.Frame.Orientation(result.Frame.Crpix1 - 1, result.Frame.Crpix2 - 1));
            w.WriteNumber("npix1", result.FrameWidth);
            w.WriteNumber("npix2", result.FrameHeight);
            w.WriteEndObject();
            w.WriteNumber("aligned", result.Images.Count(i => i.Status == TweakRegStatus.Aligned));
            w.WriteNumber("failed", result.Failed.Count);
            w.WriteStartArray("images");
            foreach (TweakRegImage im in result.Images)
            {
                w.WriteStartObject();
                w.WriteString("file", im.FileName);
                w.WriteString("status", im.Status.ToString().ToUpperInvariant());
                w.WriteString("message", im.Message);
                w.WriteNumber("sources", im.Sources);
                w.WriteStartArray("chip_sources");
                foreach (int n in im.ChipSources)
                {
                    w.WriteNumberValue(n);
                }

                w.WriteEndArray();
                if (im.Match is { } m)
                {
                    w.WriteString("strategy", m.Strategy);
                    w.WriteNumber("nmatch_pairs", m.NMatch);
                    Num(w, "tolerance", m.Tolerance);
                    Num(w, "log10_false_alarm", m.Log10FalseAlarm);
                }

                if (im.Status == TweakRegStatus.Aligned && im.Fit is { } f)
                {
                    w.WriteNumber("nmatch", f.NMatch);
                    Num(w, "xsh", f.XSh);
                    Num(w, "ysh", f.YSh);
                    Num(w, "rot", f.Rot);
                    Num(w, "scale", f.Scale);
                    Num(w, "skew", f.Skew);
                    Num(w, "xrms", f.XRms);
                    Num(w, "yrms", f.YRms);
                    Num(w, "rmse", f.Rmse);
                    Num(w, "mae", f.Mae);
                    Num(w, "rms_mas", f.FitRms * result.PixelScaleArcsec * 1000);
                    w.WriteStartArray("matrix");
                    w.WriteStartArray();
                    w.WriteNumberValue(f.Transform.A);
                    w.WriteNumberValue(f.Transform.B);
                    w.WriteEndArray();
                    w.WriteStartArray();
                    w.WriteNumberValue(f.Transform.C);
                    w.WriteNumberValue(f.Transform.D);
                    w.WriteEndArray();
                    w.WriteEndArray();
                    w.WriteStartArray("shift");
                    w.WriteNumberValue(f.Transform.Tx);
                    w.WriteNumberValue(f.Transform.Ty);
                    w.WriteEndArray();
                }

                w.WriteStartArray("chips");
                for (int c = 0; c < im.Wcs.Count; c++)
                {
                    w.WriteStartObject();
                    w.WriteNumber("extver", im.ExtVers[c]);
                    w.WriteNumber("crval1", im.Wcs[c].Crval1);
                    w.WriteNumber("crval2", im.Wcs[c].Crval2);
                    w.WriteStartArray("cd");
                    w.WriteNumberValue(im.Wcs[c].Cd.M11);
                    w.WriteNumberValue(im.Wcs[c].Cd.M12);
                    w.WriteNumberValue(im.Wcs[c].Cd.M21);
                    w.WriteNumberValue(im.Wcs[c].Cd.M22);
                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    /// <summary>
    /// Writes <c>hist2d_&lt;root&gt;.png</c>, <c>vector_&lt;root&gt;.png</c> and <c>residuals_&lt;root&gt;.png</c> for every
    /// aligned (non-reference) input: TweakReg's offset histogram and residual plots (<c>residplot='both'</c>).
    /// </summary>
    /// <param name="folder">The folder (created if needed).</param>
    /// <param name="result">The run.</param>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> WritePlots(string folder, TweakRegResult result)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        (double cx, double cy) = (result.Frame.Crpix1 - 1, result.Frame.Crpix2 - 1);
        double radius = result.Options.SearchRadiusPixels(result.PixelScaleArcsec);
        foreach (TweakRegImage im in result.Images.Where(i => i.Status == TweakRegStatus.Aligned))
        {
            FitResult f = im.Fit!;
            var x = new List<double>();
            var y = new List<double>();
            var dx = new List<double>();
            var dy = new List<double>();
            for (int k = 0; k < f.Used.Count; k++)
            {
                if (f.Used[k])
                {
                    x.Add(im.FitX[k] - cx);
                    y.Add(im.FitY[k] - cy);
                    dx.Add(-f.ResidualX[k]);
                    dy.Add(-f.ResidualY[k]);
                }
            }

            (double rra, double rdec) = WcsCorrection.SkyRms(f, result.Frame);
            var residuals = new AlignmentResiduals
            {
                ImageName = im.Root,
                FitGeometry = f.FitGeometry.ToName(),
                X = x,
                Y = y,
                Dx = dx,
                Dy = dy,
                XRms = f.XRms,
                YRms = f.YRms,
                RmsRa = rra * 3600,
                RmsDec = rdec * 3600,
                TotalMatches = f.Used.Count,
            };
            PlotHistogram hist = Histogram(im, radius, f);
            written.AddRange(AlignmentPlots.SaveAll(folder, residuals, hist));
        }

        return written;
    }

    /// <summary>
    /// Writes TweakReg-named catalogs for every input: per chip <c>&lt;root&gt;_sci&lt;N&gt;_xy_catalog.coo</c> (the sources in the
    /// chip's own pixels, 1-based X Y Flux ID, TweakReg's header), <c>&lt;root&gt;_refxy_catalog.coo</c> (the same sources in
    /// the reference frame) and, for aligned inputs, <c>&lt;root&gt;_xy_catalog.match</c> and <c>&lt;root&gt;_catalog_fit.match</c>
    /// (TweakReg's 18 columns; see docs/tweakreg.md).
    /// </summary>
    /// <param name="folder">The folder (created if needed).</param>
    /// <param name="result">The run.</param>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> WriteCatalogs(string folder, TweakRegResult result)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        foreach (TweakRegImage im in result.Images)
        {
            int id = 0;
            for (int c = 0; c < im.ChipCatalogs.Count; c++)
            {
                int extVer = c < im.ExtVers.Count ? im.ExtVers[c] : c + 1;
                var cb = new StringBuilder();
                cb.Append(CultureInfo.InvariantCulture, $"# Source catalog derived for {im.FileName}[sci,{extVer}]\n# Columns: \n#    X      Y         Flux       ID\n#   (pixels)   (pixels)\n");
                SourceCatalog cc = im.ChipCatalogs[c];
                for (int k = 0; k < cc.Count; k++)
                {
                    id++;
                    double fl = cc.HasFlux ? cc.Flux[k] : 0;
                    cb.Append(CultureInfo.InvariantCulture, $"{PyG(cc.X[k] + 1)}  {PyG(cc.Y[k] + 1)}  {PyG(fl)}  {id}  \n");
                }

                string cp = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{im.Root}_sci{extVer}_xy_catalog.coo"));
                AtomicWrite(cp, cb.ToString());
                written.Add(cp);
            }

            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"# Source catalog derived for {im.FileName} in the reference frame\n# Columns: \n#    X      Y         Flux       ID\n#   (pixels)   (pixels)\n");
            for (int k = 0; k < im.Catalog.Count; k++)
            {
                double fl = im.Catalog.HasFlux ? im.Catalog.Flux[k] : 0;
                sb.Append(CultureInfo.InvariantCulture, $"{PyG(im.Catalog.X[k] + 1)}  {PyG(im.Catalog.Y[k] + 1)}  {PyG(fl)}  {SourceId(im, k)}  \n");
            }

            string p = Path.Combine(folder, im.Root + "_refxy_catalog.coo");
            AtomicWrite(p, sb.ToString());
            written.Add(p);
            if (im.Status != TweakRegStatus.Aligned || im.Match is null)
            {
                continue;
            }

            written.AddRange(WriteMatch(folder, result, im));
        }

        return written;
    }

    private static List<string> WriteMatch(string folder, TweakRegResult result, TweakRegImage im)
    {
        FitResult f = im.Fit!;
        FitsWcs frame = result.Frame;
        double cx = frame.Crpix1 - 1, cy = frame.Crpix2 - 1;
        string prov = result.ReferenceName.Replace(' ', '_');
        var xb = new StringBuilder();
        xb.Append(CultureInfo.InvariantCulture, $"# Input image: {im.FileName}\n# Columns: Ref_X Ref_Y Input_X Input_Y Ref_Source Input_Source (1-based reference-frame pixels)\n");
        var mb = new StringBuilder();
        mb.Append(CultureInfo.InvariantCulture, $"# Input image: {im.FileName}\n# Coordinate mapping parameters: \n");
        mb.Append(CultureInfo.InvariantCulture, $"#    X and Y rms: {PyG(f.XRms, 2)}  {PyG(f.YRms, 2)}\n#    X and Y shift: {f.XSh:0.0000}  {f.YSh:0.0000}\n");
        mb.Append(CultureInfo.InvariantCulture, $"#    X and Y scale: {PyG(f.ScaleX, 10)}  {PyG(f.ScaleY, 10)}\n#    X and Y rotation: {PyG(f.RotX, 10)}  {PyG(f.RotY, 10)}\n");
        mb.Append(CultureInfo.InvariantCulture, $"#    <rotation> and skew: {PyG(f.Rot, 10)}  {PyG(f.Skew, 10)}\n# \n# Input Coordinate Listing\n");
        string[] names =
        [
            "X (reference)", "Y (reference)", "X (input)", "Y (input)", "X (fit)", "Y (fit)", "X (residual)", "Y (residual)",
            "Original X (reference)", "Original Y (reference)", "Original X (input)", "Original Y (input)", "Ref ID", "Input ID",
            "Input EXTVER ID ", "RA (fit)", "Dec (fit)", "Ref source provenience",
        ];
        for (int c = 0; c < names.Length; c++)
        {
            mb.Append(CultureInfo.InvariantCulture, $"#     Column {c + 1}: {names[c]}\n");
        }

        for (int k = 0; k < im.Match!.Pairs.Count; k++)
        {
            MatchPair pair = im.Match.Pairs[k];
            (double fx, double fy) = f.Transform.Apply(im.FitX[k], im.FitY[k]);
            double rxk = im.ReferenceCatalog.X[pair.RefIndex], ryk = im.ReferenceCatalog.Y[pair.RefIndex];
            double ixk = im.FitX[k], iyk = im.FitY[k];
            int inId = SourceId(im, pair.InIndex);
            int extVer = pair.InIndex < im.SourceExtVers.Count ? im.SourceExtVers[pair.InIndex] : 1;
            (double ra, double dec) = frame.PixelToWorld(fx, fy);
            mb.Append(CultureInfo.InvariantCulture,
                $"{rxk - cx,15:0.000000} {ryk - cy,15:0.000000} {ixk - cx,15:0.000000} {iyk - cy,15:0.000000} {fx + 1,15:0.000000} {fy + 1,15:0.000000} {f.ResidualX[k],15:0.000000} {f.ResidualY[k],15:0.000000} ");
            mb.Append(CultureInfo.InvariantCulture,
                $"{rxk + 1,15:0.000000} {ryk + 1,15:0.000000} {ixk + 1,15:0.000000} {iyk + 1,15:0.000000} {pair.RefIndex + 1,8} {inId,8} {extVer,8} {ra,20:0.000000000000} {dec,20:0.000000000000} {prov}\n");
            xb.Append(CultureInfo.InvariantCulture, $"{rxk + 1,15:0.000000} {ryk + 1,15:0.000000} {ixk + 1,15:0.000000} {iyk + 1,15:0.000000} {pair.RefIndex + 1,8} {inId,8}\n");
        }

        string xp = Path.Combine(folder, im.Root + "_xy_catalog.match");
        AtomicWrite(xp, xb.ToString());
        string mp = Path.Combine(folder, im.Root + "_catalog_fit.match");
        AtomicWrite(mp, mb.ToString());
        return [xp, mp];
    }

    private static int SourceId(TweakRegImage im, int k) => k < im.SourceIds.Count ? im.SourceIds[k] : k + 1;

    /// <summary>C's <c>%g</c> (default 6 significant digits): fixed or exponent form, trailing zeros dropped.</summary>
    private static string PyG(double v, int digits = 6)
    {
        if (!double.IsFinite(v))
        {
            return double.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        }

        string s = v.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int e = s.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            return s;
        }

        string exp = s[(e + 2)..].TrimStart('0');
        return s[..e] + "e" + s[e + 1] + exp.PadLeft(2, '0');
    }

    private static PlotHistogram Histogram(TweakRegImage im, double radius, FitResult f)
    {
        // TweakReg's histogram of dx = x_image − x_reference over all pairs within ceil(r) + 0.5, unit bins.
        int r = (int)Math.Ceiling(radius);
        int n = (2 * r) + 1;
        var counts = new double[n * n];
        HistogramPeak? peak = im.Match?.Histogram;
        if (im.Match is not null)
        {
            double[] refX = im.ReferenceCatalog.X.ToArray(), refY = im.ReferenceCatalog.Y.ToArray();
            int[] order = Enumerable.Range(0, refX.Length).OrderBy(k => refX[k]).ToArray();
            double[] sortedX = order.Select(k => refX[k]).ToArray();
            double lim = r + 0.5;
            for (int i = 0; i < im.Catalog.Count; i++)
            {
                double xi = im.Catalog.X[i], yi = im.Catalog.Y[i];
                int lo = LowerBound(sortedX, xi - lim);
                for (int j = lo; j < sortedX.Length && sortedX[j] < xi + lim; j++)
                {
                    double ddx = xi - sortedX[j], ddy = yi - refY[order[j]];
                    if (ddx >= -lim && ddx < lim && ddy >= -lim && ddy < lim)
                    {
                        int bx = (int)Math.Floor(ddx + lim), by = (int)Math.Floor(ddy + lim);
                        counts[(by * n) + bx] += 1;
                    }
                }
            }
        }

        return PlotHistogram.ForSearchRadius(im.Root, counts, radius) with
        {
            PeakX = peak is null ? double.NaN : -peak.Dx,
            PeakY = peak is null ? double.NaN : -peak.Dy,
            PeakMatches = peak?.BoxCount ?? 0,
            FitGeometry = f.FitGeometry.ToName(),
        };
    }

    private static int LowerBound(double[] a, double v)
    {
        int lo = 0, hi = a.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static void Num(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void AtomicWrite(string path, string text)
    {
        string full = Path.GetFullPath(path);
        string tmp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            File.WriteAllText(tmp, text, new UTF8Encoding(false));
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp))
            {
                File.Delete(tmp);
            }
        }
    }
}
