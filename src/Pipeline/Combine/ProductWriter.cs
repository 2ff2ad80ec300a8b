using System.Globalization;
using TweakDrizzle.Fits;
using TweakDrizzle.Resample;

namespace TweakDrizzle.Pipeline.Combine;

/// <summary>Writes AstroDrizzle-style products: an empty primary HDU with the drizzle keywords, then SCI, WHT and CTX.</summary>
internal static class ProductWriter
{
    /// <summary>Creates the product with its headers; the caller writes SCI (HDU 1), WHT (2) and CTX (3, plane after plane) by tiles, then commits.</summary>
    public static FitsStreamWriter Create(string path, OutputGrid grid, int contextPlanes, double texp,
        IReadOnlyList<(string Name, double Exptime, double WeightScale)> inputs, AstroDrizzleOptions options)
    {
        var primary = new FitsHeader();
        primary.Set("ORIGIN", "TweakDrizzle", "drizzle product");
        primary.Set("FILENAME", Path.GetFileName(path), "name of file");
        primary.Set("NDRIZIM", inputs.Count, "number of drizzled images");
        primary.Set("EXPTIME", texp, "total exposure time (seconds)");
        primary.Set("TEXPTIME", texp, "total exposure time (seconds)");
        string kernel = DrizzleKernels.Name(options.FinalKernel);
        string units = options.FinalUnits == OutputUnits.Cps ? "cps" : "counts";
        for (int i = 0; i < inputs.Count && i < 999; i++)
        {
            string p = "D" + (i + 1).ToString("000", CultureInfo.InvariantCulture);
            (string name, double t, double wscale) = inputs[i];
            primary.Set(p + "VER", "TweakDrizzle 0.1", "drizzle version");
            primary.Set(p + "GEOM", "WCS", "drizzle geometry source");
            primary.Set(p + "DATA", Truncate(name), "input science image");
            primary.Set(p + "DEXP", t, "input image exposure time (s)");
            primary.Set(p + "EXPT", t, "input image exposure time (s)");
            primary.Set(p + "OUDA", Path.GetFileName(path) + "[SCI]", "output science image");
            primary.Set(p + "OUWE", Path.GetFileName(path) + "[WHT]", "output weight image");
            primary.Set(p + "OUCO", Path.GetFileName(path) + "[CTX]", "output context image");
            primary.Set(p + "MASK", "DQ final_bits " + options.FinalBits.Text, "input mask");
            primary.Set(p + "WTSC", wscale, "weighting factor for input image");
            primary.Set(p + "KERN", kernel, "drizzle kernel");
            primary.Set(p + "PIXF", options.FinalPixfrac, "drizzle pixfrac");
            primary.Set(p + "COEF", "SIP", "distortion model");
            primary.Set(p + "OUUN", units, "units of output image");
            primary.Set(p + "FVAL", options.FinalFillval.ToString(), "fill value for zero-weight pixels");
            primary.Set(p + "WKEY", " ", "input image WCS key");
            primary.Set(p + "SCAL", grid.ScaleArcsec, "drizzle output pixel scale (arcsec)");
            primary.Set(p + "ISCL", 1.0, "drizzle input scaling");
        }

        string bunit = options.FinalUnits == OutputUnits.Cps ? "ELECTRONS/S" : "ELECTRONS";
        FitsHeader sciHeader = ExtensionHeader(grid, bunit, texp);
        FitsHeader whtHeader = ExtensionHeader(grid, "UNITLESS", texp);
        FitsHeader ctxHeader = ExtensionHeader(grid, "UNITLESS", texp);
        long w = grid.Width, h = grid.Height;
        var hdus = new List<FitsWriteHdu>
        {
            FitsWriteHdu.Empty(primary),
            FitsWriteHdu.Declared<float>([w, h], sciHeader).Named("SCI"),
            FitsWriteHdu.Declared<float>([w, h], whtHeader).Named("WHT"),
            FitsWriteHdu.Declared<int>(contextPlanes <= 1 ? [w, h] : [w, h, contextPlanes], ctxHeader).Named("CTX"),
        };
        if (options.FinalErr)
        {
            // After CTX, so SCI, WHT and CTX keep AstroDrizzle's extension numbers 1 to 3.
            hdus.Add(FitsWriteHdu.Declared<float>([w, h], ExtensionHeader(grid, bunit, texp)).Named("ERR"));
        }

        return FitsStreamWriter.Create(path, hdus);
    }

    /// <summary>Reads a product back: SCI, WHT and the context planes.</summary>
    /// <remarks>
    /// The file is opened once per extension: it is memory-mapped, and every page read stays resident while it is
    /// open, so reading the three extensions through one opening would hold the whole file (1.15 GB for a 9766x9834
    /// product) on top of the arrays.
    /// </remarks>
    public static (float[] Sci, float[] Wht, IReadOnlyList<int[]> Ctx) Read(string path)
    {
        float[] sci = ReadFloat(path, "SCI");
        float[] wht = ReadFloat(path, "WHT");
        var planes = new List<int[]>();
        long plane = sci.LongLength;
        for (long p = 0; ; p++)
        {
            // Plane by plane straight from the file (reading the whole cube first would hold it twice).
            using FitsFile file = FitsFile.Open(path);
            if (file.Find("CTX") is not { } ctx || p * plane >= ctx.ElementCount)
            {
                break;
            }

            var values = new int[plane];
            ctx.ReadPixels<int>(p * plane, values);
            planes.Add(values);
        }

        return (sci, wht, planes);
    }

    private static float[] ReadFloat(string path, string extName)
    {
        using FitsFile file = FitsFile.Open(path);
        return (file.Find(extName) ?? throw new CombineException($"{path} has no {extName} extension")).ReadImage<float>().Data;
    }

    private static FitsHeader ExtensionHeader(OutputGrid grid, string bunit, double texp)
    {
        var h = new FitsHeader();
        h.Set("BUNIT", bunit, "brightness units");
        h.Set("EXPTIME", texp, "total exposure time (seconds)");
        grid.Wcs.WithName("DRZWCS").WriteTo(h);
        h.Set("ORIENTAT", grid.Orientation, "position angle of image y axis (deg. e of n)");
        return h;
    }

    private static string Truncate(string s) => s.Length > 60 ? s[^60..] : s;
}
