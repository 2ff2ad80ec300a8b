using System.Globalization;
using TweakDrizzle.Diagnostics.Drizzle;
using TweakDrizzle.Diagnostics.Plotting;
using TweakDrizzle.Diagnostics.Rendering;
using TweakDrizzle.Diagnostics.Reports;
using TweakDrizzle.Pipeline.Combine;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Cli.Commands;

/// <summary>
/// <c>astrodrizzle --plots DIR</c>: the drizzle quality plots of one product (SCI/WHT/CTX preview, holes map,
/// dither pattern with pixel phases) and a QA report (HTML with the plots, JSON with the numbers).
/// </summary>
internal static class AstroDrizzlePlots
{
    /// <summary>Writes the plots and the report for <paramref name="result"/> into <paramref name="dir"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(AstroDrizzleResult result, IReadOnlyList<string> inputs, AstroDrizzleOptions options,
        string dir, Action<string> log)
    {
        Directory.CreateDirectory(dir);
        string product = Path.GetFileName(result.ProductPath);
        string root = product.EndsWith(".fits", StringComparison.OrdinalIgnoreCase) ? product[..^5] : product;
        WeightStatistics stats = DrizzleQuality.Measure(result.Wht, result.Grid.Width, result.Grid.Height);
        var written = new List<string>();
        var plots = new List<QaPlot>();
        if (CairoLibrary.IsAvailable)
        {
            var images = new DrizzleProductImages
            {
                Name = product,
                Width = result.Grid.Width,
                Height = result.Grid.Height,
                Sci = result.Sci,
                Wht = result.Wht,
                Context = result.Context[0],
                ContextPlanes = 1,
            };
            Add(DrizzlePlots.ProductPreview(images), $"{root}_preview.png", "SCI, WHT and input count");
            Add(DrizzlePlots.HolesMap(result.Wht, result.Grid.Width, result.Grid.Height, product), $"{root}_holes.png", "Holes (zero-weight pixels inside the footprint)");
            List<DitherExposure> dithers = DitherOffsets(inputs);
            if (dithers.Count > 0)
            {
                Add(DrizzlePlots.DitherPattern(dithers, $"Dither pattern · {product}"), $"{root}_dither.png", "Dither pattern and pixel phases");
            }
        }
        else
        {
            log("plots skipped: the cairo library (libcairo.so.2) is not installed; apt-get install libcairo2");
        }

        QaProductRow row = QaProductRow.FromStatistics(product, stats) with
        {
            Inputs = inputs.Count,
            Pixfrac = options.FinalPixfrac,
            Kernel = options.FinalKernel.ToString().ToLowerInvariant(),
        };
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{result.Grid.Width}x{result.Grid.Height} pixels at {result.Grid.ScaleArcsec:0.#####}\"/pixel, orientation {result.Grid.Orientation:0.###} deg; {result.CosmicRayPixels} cosmic-ray pixels flagged."),
        };
        notes.AddRange(result.Messages);
        QaReportWriter.Write(new QaReport { Title = $"astrodrizzle · {product}", Notes = notes, Products = [row], Plots = plots }, dir, $"{root}_qa");
        written.Add(Path.Combine(dir, $"{root}_qa.html"));
        written.Add(Path.Combine(dir, $"{root}_qa.json"));
        return written;

        void Add(Figure figure, string name, string caption)
        {
            string path = Path.Combine(dir, name);
            figure.Save(path);
            written.Add(path);
            plots.Add(new QaPlot(caption, figure.Render(PlotFormat.Png), "Drizzle"));
        }
    }

    /// <summary>
    /// Each input's offset in its own pixels from the first input: the sky position of the first input's reference pixel,
    /// taken through each input's first chip WCS. Inputs without a readable WCS are left out.
    /// </summary>
    private static List<DitherExposure> DitherOffsets(IReadOnlyList<string> inputs)
    {
        var result = new List<DitherExposure>();
        double ra0 = double.NaN, dec0 = double.NaN, x0 = 0, y0 = 0;
        foreach (string file in inputs)
        {
            FitsWcs? wcs = TryWcs(file);
            if (wcs is null)
            {
                continue;
            }

            if (double.IsNaN(ra0))
            {
                (x0, y0) = wcs.ReferencePixel;
                (ra0, dec0) = wcs.PixelToWorld(x0, y0);
            }

            (double x, double y) = wcs.WorldToPixel(ra0, dec0);
            result.Add(new DitherExposure(Path.GetFileName(file), x0 - x, y0 - y));
        }

        return result;
    }

    private static FitsWcs? TryWcs(string file)
    {
        foreach (string spec in new[] { file + "[SCI,1]", file })
        {
            try
            {
                return FitsWcs.FromFile(spec);
            }
            catch (Exception e) when (e is Fits.FitsException or WcsException)
            {
            }
        }

        return null;
    }
}
