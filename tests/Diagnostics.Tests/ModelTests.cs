using TweakDrizzle.Diagnostics.Plotting;
using TweakDrizzle.Diagnostics.Rendering;

namespace TweakDrizzle.Diagnostics.Tests;

public class NiceTicksTests
{
    [Theory]
    [InlineData(0.13, 0.2)]
    [InlineData(0.2, 0.2)]
    [InlineData(0.21, 0.25)]
    [InlineData(3.1, 5)]
    [InlineData(7, 10)]
    [InlineData(1e-7, 1e-7)]
    [InlineData(1234, 2000)]
    public void Steps_are_1_2_2point5_5_times_a_power_of_ten(double raw, double expected) =>
        Assert.Equal(expected, NiceTicks.NiceStep(raw), 12);

    [Fact]
    public void Ticks_on_the_limits_are_kept_despite_rounding()
    {
        // The prototype dropped −0.3 through a floating-point epsilon.
        TickSet t = NiceTicks.Compute(-0.3, 0.3, 7);
        Assert.Equal(-0.3, t.Values[0], 12);
        Assert.Equal(0.3, t.Values[^1], 12);
        Assert.Contains("\u22120.3", t.Labels);
        Assert.Contains("0.0", t.Labels);
        Assert.DoesNotContain(t.Labels, l => l.StartsWith('-'));
    }

    [Fact]
    public void Ticks_stay_inside_the_range_and_respect_the_maximum()
    {
        var rng = new Random(3);
        for (int k = 0; k < 500; k++)
        {
            double a = (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-6, 7));
            double b = a + (rng.NextDouble() * Math.Pow(10, rng.Next(-6, 7))) + 1e-9;
            int max = rng.Next(2, 11);
            TickSet t = NiceTicks.Compute(a, b, max);
            Assert.True(t.Values.Count >= 1 && t.Values.Count <= max, $"{a} {b} {max}: {string.Join(" ", t.Labels)}");
            Assert.All(t.Values, v => Assert.InRange(v, a - (1e-9 * (b - a)), b + (1e-9 * (b - a))));
            Assert.Equal(t.Values.Count, t.Labels.Count);
            Assert.True(t.Labels.Count == t.Labels.Distinct().Count(), $"{a} {b} {max}: {string.Join(" ", t.Labels)}");
        }
    }

    [Fact]
    public void Labels_use_common_decimals_and_scientific_form_for_large_values()
    {
        Assert.Equal(["0.00", "0.25", "0.50"], NiceTicks.FormatAll([0, 0.25, 0.5], 0.25));
        Assert.Equal(["−2000", "0", "2000"], NiceTicks.FormatAll([-2000, 0, 2000], 2000));
        Assert.Equal(["0", "0.5×10⁶", "1.0×10⁶"], NiceTicks.FormatAll([0, 5e5, 1e6], 5e5));
        Assert.Equal(["1.000000×10⁶", "1.000001×10⁶"], NiceTicks.FormatAll([1e6, 1e6 + 1], 1));
        Assert.Equal("⁻¹²", NiceTicks.Superscript(-12));
    }

    [Fact]
    public void Bad_ranges_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => NiceTicks.Compute(1, 1));
        Assert.Throws<ArgumentException>(() => NiceTicks.Compute(0, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => NiceTicks.NiceStep(0));
    }
}

public class ScaleTests
{
    [Fact]
    public void Linear_scale_maps_and_inverts_with_reversed_pixels()
    {
        var s = new LinearScale(-1, 3, 400, 100); // y axis: data up = pixels down
        Assert.Equal(400, s.Map(-1), 12);
        Assert.Equal(100, s.Map(3), 12);
        Assert.Equal(250, s.Map(1), 12);
        Assert.Equal(2.2, s.Invert(s.Map(2.2)), 12);
        Assert.True(s.Slope < 0);
    }

    [Fact]
    public void Data_ranges_are_padded_and_degenerate_ones_widened()
    {
        AxisRange r = AxisRange.FromData([1, 2, double.NaN, 3], 0.05);
        Assert.Equal(0.9, r.Min, 12);
        Assert.Equal(3.1, r.Max, 12);
        AxisRange single = AxisRange.FromData([5.0]);
        Assert.True(single.Min < 5 && single.Max > 5);
        Assert.Equal(new AxisRange(-1, 1), AxisRange.FromData([double.NaN]));
        Assert.Equal(new AxisRange(-3, 3), new AxisRange(-1, 3).Symmetric());
    }
}

public class StretchTests
{
    [Theory]
    [InlineData(StretchKind.Linear)]
    [InlineData(StretchKind.Log)]
    [InlineData(StretchKind.Asinh)]
    public void Stretches_map_limits_to_0_and_1_monotonically_and_invert(StretchKind kind)
    {
        var s = new ImageStretch(kind, -2, 8);
        Assert.Equal(0, s.Forward(-2), 12);
        Assert.Equal(1, s.Forward(8), 12);
        Assert.Equal(0, s.Forward(-100), 12);
        Assert.Equal(1, s.Forward(100), 12);
        Assert.True(double.IsNaN(s.Forward(double.NaN)));
        double prev = -1;
        for (double v = -2; v <= 8; v += 0.01)
        {
            double y = s.Forward(v);
            Assert.True(y >= prev);
            prev = y;
            Assert.Equal(v, s.Inverse(y), 9);
        }
    }

    [Fact]
    public void Log_and_asinh_lift_faint_values_with_the_astropy_parameters()
    {
        var log = new ImageStretch(StretchKind.Log, 0, 1);
        var asinh = new ImageStretch(StretchKind.Asinh, 0, 1);
        Assert.Equal(Math.Log(1000 * 0.1 + 1) / Math.Log(1001), log.Forward(0.1), 12);
        Assert.Equal(Math.Asinh(0.1 / 0.1) / Math.Asinh(10), asinh.Forward(0.1), 12);
        Assert.True(asinh.Forward(0.05) > 0.05 * 2);
    }

    [Fact]
    public void Percentile_limits_ignore_nan_and_follow_numpy()
    {
        float[] v = [.. Enumerable.Range(0, 101).Select(i => (float)i), float.NaN, float.PositiveInfinity];
        ImageStretch s = ImageStretch.FromPercentiles(StretchKind.Linear, v, 1, 99);
        Assert.Equal(1, s.Vmin, 9);
        Assert.Equal(99, s.Vmax, 9);
        ImageStretch flat = ImageStretch.FromPercentiles(StretchKind.Linear, new float[] { 3, 3, 3 });
        Assert.True(flat.Vmax > flat.Vmin);
    }
}

public class ColormapTests
{
    [Fact]
    public void Viridis_runs_from_dark_purple_to_yellow_and_gets_brighter()
    {
        Colormap v = Colormap.Viridis;
        Assert.Equal(PlotColor.FromHex("#440154"), v.Map(0));
        Assert.Equal(PlotColor.FromHex("#FDE725"), v.Map(1));
        Assert.Equal(PlotColor.FromHex("#21918C"), v.Map(0.5)); // matplotlib: (0.128, 0.567, 0.551)
        double Luma(PlotColor c) => (0.2126 * c.R) + (0.7152 * c.G) + (0.0722 * c.B);
        for (int i = 1; i <= 100; i++)
        {
            Assert.True(Luma(v.Map(i / 100.0)) >= Luma(v.Map((i - 1) / 100.0)) - 0.5);
        }

        Assert.Equal(PlotPalette.Missing, v.Map(double.NaN));
        Assert.Same(Colormap.Viridis, Colormap.FromName("Viridis"));
        Assert.Throws<ArgumentException>(() => Colormap.FromName("jet"));
    }

    [Fact]
    public void Colours_parse_and_mix()
    {
        Assert.Equal(new PlotColor(0, 0x72, 0xB2), PlotColor.FromHex("#0072B2"));
        Assert.Equal("#0072b2", PlotPalette.Blue.ToHex());
        Assert.Equal(new PlotColor(128, 128, 128), PlotColor.Black.Mix(PlotColor.White, 0.5));
        Assert.Throws<FormatException>(() => PlotColor.FromHex("#12"));
    }
}

public class LayoutTests
{
    private static readonly ApproximateTextMeasurer Text = new();

    [Fact]
    public void Panels_of_a_grid_line_up_and_stay_inside_the_figure()
    {
        var fig = new Figure(720, 600, 2, 2) { Title = "T", Subtitle = "S" };
        foreach (Axes a in fig.Panels)
        {
            a.Scatter([0, 1000], [-0.3, 0.3], PlotPalette.Blue);
            a.XLabel = a.Row == 1 ? "X (pixels)" : null;
            a.YLabel = a.Column == 0 ? "DX (pixels)" : null;
            a.ShowXTickLabels = a.Row == 1;
            a.ShowYTickLabels = a.Column == 0;
        }

        FigureLayout layout = LayoutEngine.Compute(fig, Text);
        Rect[] r = [.. layout.Panels.Select(p => p.Plot)];
        Assert.All(r, p => Assert.True(p.X > 0 && p.Y > layout.TitleBaseline && p.Right < 720 && p.Bottom < 600));
        Assert.Equal(r[0].X, r[2].X, 9);       // columns line up
        Assert.Equal(r[0].Y, r[1].Y, 9);       // rows line up
        Assert.Equal(r[0].Width, r[3].Width, 9);
        Assert.Equal(r[0].Height, r[3].Height, 9);
        Assert.True(r[1].X > r[0].Right && r[2].Y > r[0].Bottom); // no overlap
        Assert.InRange(layout.Panels[0].X.Map(0), r[0].X, r[0].Right);
        Assert.InRange(layout.Panels[0].Y.Map(0.3), r[0].Y, r[0].Bottom);
    }

    [Fact]
    public void Equal_aspect_gives_one_data_unit_the_same_length_on_both_axes()
    {
        var fig = new Figure(640, 480);
        fig.Panel.Scatter([0, 4096], [0, 2048], PlotPalette.Blue);
        fig.Panel.EqualAspect = true;
        PanelLayout p = LayoutEngine.Compute(fig, Text).Panels[0];
        Assert.Equal(Math.Abs(p.X.Slope), Math.Abs(p.Y.Slope), 9);

        fig.Panel.XRange = new AxisRange(0, 10);
        fig.Panel.YRange = new AxisRange(0, 5);
        p = LayoutEngine.Compute(fig, Text).Panels[0];
        Assert.Equal(Math.Abs(p.X.Slope), Math.Abs(p.Y.Slope), 9);
        Assert.Equal(2 * p.Plot.Height, p.Plot.Width, 6);
    }

    [Fact]
    public void Colour_bar_reserves_room_and_has_ticks_within_the_bar()
    {
        var fig = new Figure(600, 500);
        fig.Panel.HeatMap(new double[4], 2, 2, new AxisRange(0, 2), new AxisRange(0, 2), Colormap.Viridis, new ImageStretch(StretchKind.Log, 0, 5000), "Counts");
        PanelLayout p = LayoutEngine.Compute(fig, Text).Panels[0];
        Assert.NotNull(p.ColorBar);
        Assert.True(p.ColorBar.Value.X > p.Plot.Right && p.ColorBar.Value.Right < 600);
        ColorBarTickSet t = p.ColorBarTicks!;
        Assert.True(t.Values.Count >= 3);
        Assert.All(t.Positions, v => Assert.InRange(v, 0, 1));
        Assert.Contains("1000", t.Labels);
        Assert.Contains("0", t.Labels);
        for (int i = 1; i < t.Positions.Count; i++)
        {
            Assert.True(t.Positions[i] - t.Positions[i - 1] > 0.05);
        }
    }

    [Fact]
    public void Long_subtitles_wrap_at_separators()
    {
        List<string> lines = LayoutEngine.WrapSubtitle("aaaaaaaaaa   ·   bbbbbbbbbb   ·   cccccccccc", 150, Text);
        Assert.True(lines.Count >= 2);
        Assert.Equal("aaaaaaaaaa", lines[0]);
        Assert.Single(LayoutEngine.WrapSubtitle("short", 500, Text));
    }

    [Fact]
    public void Figure_checks_its_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Figure(10, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Figure(500, 500, 0, 1));
        var fig = new Figure(500, 400, 1, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => fig[1, 0]);
        Assert.Throws<ArgumentException>(() => fig.Panel.Scatter([1, 2], [1], PlotPalette.Blue));
        Assert.Throws<ArgumentException>(() => fig.Panel.HeatMap(new double[5], 2, 2, new AxisRange(0, 1), new AxisRange(0, 1), Colormap.Gray, new ImageStretch(StretchKind.Linear, 0, 1)));
        Assert.Equal(PlotFormat.Pdf, Figure.FormatFromPath("a/b.PDF"));
        Assert.Throws<ArgumentException>(() => Figure.FormatFromPath("plot.jpg"));
        Assert.Equal((750, 600), new Figure(500, 400) { PixelsPerPoint = 1.5 }.PixelSize);
    }
}
