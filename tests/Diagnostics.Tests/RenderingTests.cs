using System.Text;
using System.Xml.Linq;
using TweakDrizzle.Diagnostics.Alignment;
using TweakDrizzle.Diagnostics.Drizzle;
using TweakDrizzle.Diagnostics.Plotting;
using TweakDrizzle.Diagnostics.Rendering;

namespace TweakDrizzle.Diagnostics.Tests;

public class RenderingTests
{
    private static int CountNear(DecodedPng d, PlotColor c, int tol = 40)
    {
        int n = 0;
        for (int y = 0; y < d.Height; y++)
        {
            for (int x = 0; x < d.Width; x++)
            {
                (byte r, byte g, byte b) = d.Rgb(x, y);
                if (Math.Abs(r - c.R) + Math.Abs(g - c.G) + Math.Abs(b - c.B) <= tol)
                {
                    n++;
                }
            }
        }

        return n;
    }

    [Fact]
    public void Missing_library_gives_the_install_hint()
    {
        Assert.Equal(0, CairoLibrary.TryLoad(["libdefinitely-not-cairo.so.9"]));
        var e = new CairoNotFoundException();
        Assert.Contains("apt-get install libcairo2", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [CairoFact]
    public void Png_has_the_expected_size_and_data_where_drawn()
    {
        var fig = new Figure(400, 300) { Title = "Scatter", PixelsPerPoint = 1.5 };
        double[] x = [.. Enumerable.Range(0, 200).Select(i => i % 20 / 20.0)];
        double[] y = [.. Enumerable.Range(0, 200).Select(i => i / 20 / 10.0)];
        fig.Panel.Scatter(x, y, PlotPalette.Vermillion, 3);
        DecodedPng d = DecodedPng.Decode(fig.Render(PlotFormat.Png));
        Assert.Equal((600, 450), (d.Width, d.Height));
        Assert.True(CountNear(d, PlotPalette.Vermillion) > 2000, "the scatter points are drawn");
        Assert.Equal((255, 255, 255), ((int, int, int))d.Rgb(2, 2)); // white background
        Assert.True(CountNear(d, PlotPalette.Text, 60) > 100, "the title and labels are drawn");
    }

    [CairoFact]
    public void Heat_map_fills_the_plot_area_with_the_colour_map()
    {
        var fig = new Figure(300, 300);
        fig.Panel.HeatMap(Enumerable.Repeat(1.0, 16).ToArray(), 4, 4, new AxisRange(0, 1), new AxisRange(0, 1), Colormap.Viridis, new ImageStretch(StretchKind.Linear, 0, 1), "v");
        uint[] px = fig.RenderPixels();
        (int w, int h) = fig.PixelSize;
        FigureLayout layout = LayoutEngine.Compute(fig, new ApproximateTextMeasurer());
        Rect r = layout.Panels[0].Plot;
        uint centre = px[((int)((r.Y + (r.Height / 2)) * fig.PixelsPerPoint) * w) + (int)((r.X + (r.Width / 4)) * fig.PixelsPerPoint)];
        Assert.Equal(0xFDE725u, centre & 0xFFFFFF); // viridis top colour
        Assert.Equal(w * h, px.Length);
    }

    [CairoFact]
    public void Svg_is_xml_and_pdf_is_reproducible()
    {
        Figure fig = AlignmentPlots.Residuals(Samples.Residuals(300));
        byte[] svg = fig.Render(PlotFormat.Svg);
        XDocument doc = XDocument.Parse(Encoding.UTF8.GetString(svg));
        Assert.Equal("svg", doc.Root!.Name.LocalName);

        byte[] pdf1 = fig.Render(PlotFormat.Pdf);
        byte[] pdf2 = AlignmentPlots.Residuals(Samples.Residuals(300)).Render(PlotFormat.Pdf);
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(pdf1, 0, 8), StringComparison.Ordinal);
        Assert.Equal(pdf1, pdf2);
        Assert.Contains("TweakDrizzle", Encoding.Latin1.GetString(pdf1), StringComparison.Ordinal);
    }

    [CairoFact]
    public void Tweakreg_plots_render_with_data_and_tweakreg_file_names()
    {
        AlignmentResiduals r = Samples.Residuals(2000);
        OffsetHistogram h = OffsetHistogram.ForSearchRadius(r.ImageName, [.. Enumerable.Range(0, 21 * 21).Select(i => i == 230 ? 500.0 : i % 3)], 10) with { PeakX = -0.8, PeakY = 0.9, PeakMatches = 500 };
        string dir = Path.Combine(Path.GetTempPath(), "tdplots_" + Guid.NewGuid().ToString("N"));
        try
        {
            IReadOnlyList<string> files = AlignmentPlots.SaveAll(dir, r, h);
            Assert.Equal(["hist2d_img_flc.png", "vector_img_flc.png", "residuals_img_flc.png"], files.Select(Path.GetFileName));
            DecodedPng hist = DecodedPng.Decode(File.ReadAllBytes(files[0]));
            Assert.True(CountNear(hist, PlotPalette.Vermillion, 30) > 50, "peak marker");
            Assert.True(CountNear(hist, PlotColor.FromHex("#FDE725"), 30) > 20, "peak bin in yellow");
            DecodedPng vec = DecodedPng.Decode(File.ReadAllBytes(files[1]));
            Assert.True(CountNear(vec, PlotPalette.Blue, 60) > 3000, "arrows");
            DecodedPng res = DecodedPng.Decode(File.ReadAllBytes(files[2]));
            Assert.True(CountNear(res, PlotPalette.Orange, 60) > 200, "binned median");
            Assert.Equal(3, Directory.GetFiles(dir).Length);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [CairoFact]
    public void Drizzle_plots_render()
    {
        var rng = new Random(2);
        const int W = 120, H = 80;
        float[] wht = [.. Enumerable.Range(0, W * H).Select(i => i % W is > 10 and < 110 && i / W is > 5 and < 75 && rng.NextDouble() > 0.01 ? 100f : 0f)];
        float[] sci = [.. wht.Select(v => v > 0 ? (float)(1 + rng.NextDouble()) : 0f)];
        int[] ctx = [.. wht.Select(v => v > 0 ? 0b111 : 0)];
        var product = new DrizzleProductImages { Name = "p_drz", Width = W, Height = H, Sci = sci, Wht = wht, Context = ctx };
        DecodedPng holes = DecodedPng.Decode(DrizzlePlots.HolesMap(wht, W, H, "p_drz").Render(PlotFormat.Png));
        Assert.True(CountNear(holes, PlotPalette.Vermillion, 40) > 100, "holes are drawn");
        DecodedPng prev = DecodedPng.Decode(DrizzlePlots.ProductPreview(product).Render(PlotFormat.Png));
        Assert.True(CountNear(prev, PlotColor.FromHex("#FDE725"), 30) > 1000, "WHT/CTX maps");
        DecodedPng dither = DecodedPng.Decode(DrizzlePlots.DitherPattern([new("a", 0, 0), new("b", 0.5, 0.5), new("c", 1.25, 0.75)]).Render(PlotFormat.Png));
        Assert.True(CountNear(dither, PlotPalette.Vermillion, 30) > 100, "phases");
        DecodedPng pf = DecodedPng.Decode(DrizzlePlots.WeightVsPixfrac([new(0.3, 0.4), new(0.6, 0.15), new(1, 0.08)]).Render(PlotFormat.Png));
        Assert.True(CountNear(pf, PlotPalette.Blue, 40) > 200, "the curve");
    }

    [CairoFact]
    public void Degenerate_inputs_still_render()
    {
        var empty = new AlignmentResiduals { ImageName = "e.fits", X = [], Y = [], Dx = [], Dy = [] };
        Assert.True(DecodedPng.Decode(AlignmentPlots.ResidualVectors(empty).Render(PlotFormat.Png)).Width > 0);
        Assert.True(DecodedPng.Decode(AlignmentPlots.Residuals(empty).Render(PlotFormat.Png)).Width > 0);
        var one = new AlignmentResiduals { ImageName = "o.fits", X = [5], Y = [5], Dx = [double.NaN], Dy = [0] };
        Assert.True(DecodedPng.Decode(AlignmentPlots.ResidualVectors(one).Render(PlotFormat.Png)).Width > 0);
        OffsetHistogram none = OffsetHistogram.ForSearchRadius("n.fits", new double[9], 1);
        Assert.True(DecodedPng.Decode(AlignmentPlots.OffsetHistogram(none).Render(PlotFormat.Png)).Width > 0);
        Assert.True(DecodedPng.Decode(DrizzlePlots.HolesMap(new float[6], 3, 2, "blank").Render(PlotFormat.Png)).Width > 0);
    }

    [CairoFact]
    public void Dense_scatters_are_embedded_as_rasters_in_vector_output()
    {
        Figure fig = AlignmentPlots.Residuals(Samples.Residuals(2000));
        string svg = Encoding.UTF8.GetString(fig.Render(PlotFormat.Svg));
        Assert.Contains("<image", svg, StringComparison.Ordinal);
        string pdf = Encoding.Latin1.GetString(fig.Render(PlotFormat.Pdf));
        Assert.Contains("/Subtype /Image", pdf, StringComparison.Ordinal);
        DecodedPng png = DecodedPng.Decode(fig.Render(PlotFormat.Png));
        Assert.True(CountNear(png, PlotPalette.Blue, 90) > 2000, "the raster scatter shows in the PNG");
    }

    [CairoFact]
    public void Report_helpers_fill_rows_and_plots()
    {
        AlignmentResiduals r = Samples.Residuals(100);
        Reports.QaImageRow row = Reports.QaImageRow.FromResiduals(r);
        Assert.Equal(100, row.Matches);
        Assert.Equal(r.EffectiveYRms, row.YRms);
        Reports.QaPlot plot = Reports.QaPlot.FromFigure("v", AlignmentPlots.ResidualVectors(r), "Alignment");
        Assert.Equal(0x89, plot.Png[0]);
        PixfracTrial t = PixfracTrial.FromStatistics(0.7, new WeightStatistics(10, 1, 0.1, 0.02, 0.9, 100, 2));
        Assert.Equal((0.7, 0.1, 0.02), (t.Pixfrac, t.WeightRmsOverMedian, t.HoleFraction));
    }
}
