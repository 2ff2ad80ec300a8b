using TweakDrizzle.Diagnostics.Drizzle;

namespace TweakDrizzle.Diagnostics.Tests;

public class DrizzleQualityTests
{
    /// <summary>A 20 × 10 weight map: covered block x 2..15, y 1..8, one interior hole, one chip-gap row segment.</summary>
    private static float[] Weights(out int w, out int h)
    {
        w = 20;
        h = 10;
        var wt = new float[w * h];
        for (int y = 1; y <= 8; y++)
        {
            for (int x = 2; x <= 15; x++)
            {
                wt[(y * w) + x] = x < 9 ? 2f : 4f;
            }
        }

        wt[(4 * w) + 5] = 0;              // a hole
        wt[(6 * w) + 10] = float.NaN;     // NaN counts as no weight
        return wt;
    }

    [Fact]
    public void Holes_are_zero_weight_pixels_inside_the_footprint_only()
    {
        float[] wt = Weights(out int w, out int h);
        bool[] holes = DrizzleQuality.Holes(wt, w, h);
        Assert.Equal(2, holes.Count(b => b));
        Assert.True(holes[(4 * w) + 5]);
        Assert.True(holes[(6 * w) + 10]);
        Assert.False(holes[0]);                 // outside the data
        bool[] fp = DrizzleQuality.Footprint(wt, w, h);
        Assert.Equal(14 * 8, fp.Count(b => b));
    }

    [Fact]
    public void Statistics_give_hole_fraction_coverage_and_rms_over_median()
    {
        float[] wt = Weights(out int w, out int h);
        WeightStatistics s = DrizzleQuality.Measure(wt, w, h, 1.0);
        Assert.Equal(2, s.HolePixels);
        Assert.Equal(112, s.FootprintPixels);
        Assert.Equal(2.0 / 112, s.HoleFraction, 12);
        Assert.Equal(110.0 / 200, s.Coverage, 12);

        var inside = new List<double>();
        for (int y = 1; y <= 8; y++)
        {
            for (int x = 2; x <= 15; x++)
            {
                float v = wt[(y * w) + x];
                inside.Add(v > 0 ? v : 0);
            }
        }

        double mean = inside.Average();
        double rms = Math.Sqrt(inside.Sum(v => (v - mean) * (v - mean)) / inside.Count);
        Assert.Equal(rms, s.Rms, 12);
        Assert.Equal(2.0, s.Median); // 2 zeros, 55 twos, 55 fours
        Assert.Equal(rms / 2.0, s.RmsOverMedian, 12);
        Assert.True(double.IsNaN(DrizzleQuality.Measure(new float[4], 2, 2).Median));
    }

    [Fact]
    public void Context_count_is_the_population_count_over_planes()
    {
        int[] ctx = [0b1011, 0, -1, 1, 0b11, 0];
        float[] count = DrizzleQuality.ContextCount(ctx, 3, 2);
        Assert.Equal([4f, 2f, 32f], count);
        Assert.Throws<ArgumentException>(() => DrizzleQuality.ContextCount(ctx, 4, 2));
    }

    [Fact]
    public void Phase_gap_and_pixfrac_suggestion()
    {
        DitherExposure[] box = [new("a", 0, 0), new("b", 2.5, 0.5), new("c", 1, 3.5), new("d", 3.5, 4)];
        Assert.Equal(0.5, DrizzlePlots.LargestPhaseGap(box), 12);
        Assert.Equal(1.0, DrizzlePlots.LargestPhaseGap([new("a", 0, 0), new("b", 3, 2)]), 12);
        Assert.Equal(0.75, DrizzlePlots.Phase(-0.25), 12);

        PixfracTrial[] trials = [new(0.2, 0.5), new(0.6, 0.15) { HoleFraction = 0 }, new(0.4, 0.19) { HoleFraction = 0.01 }, new(1.0, 0.05)];
        Assert.Equal(0.6, DrizzlePlots.SuggestPixfrac(trials)!.Pixfrac);
        Assert.Null(DrizzlePlots.SuggestPixfrac([new PixfracTrial(0.5, 0.3)]));
    }

    [Fact]
    public void Product_images_are_validated()
    {
        var p = new DrizzleProductImages { Name = "p", Width = 3, Height = 2, Sci = new float[6], Wht = new float[5] };
        Assert.Throws<ArgumentException>(p.Validate);
        p = p with { Wht = new float[6], Context = new int[7] };
        Assert.Throws<ArgumentException>(p.Validate);
    }
}
