using TweakDrizzle.Pipeline.Combine;

namespace TweakDrizzle.Pipeline.Tests;

public sealed class CosmicRayTailTests
{
    private const int W = 40, H = 30;
    private static readonly ChipNoise Noise = new(40, 1, 5); // σ = sqrt(40 + 25) ≈ 8.06 on the sky

    private static (float[] Blot, float[] Data) StarAndTrack(double trackCore, double trackSide, double trackEnd)
    {
        var blot = new float[W * H];
        var data = new float[W * H];
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W; x++)
            {
                // A star at (8, 8); the data are shifted by 0.2 pixel (a registration error the derivative term absorbs).
                double rb = ((x - 8) * (x - 8)) + ((y - 8) * (y - 8));
                double rd = ((x - 8.2) * (x - 8.2)) + ((y - 8) * (y - 8));
                blot[(y * W) + x] = (float)(5000 * Math.Exp(-rb / 2));
                data[(y * W) + x] = (float)(5000 * Math.Exp(-rd / 2));
            }
        }

        // A horizontal track x = 20..24 at y = 20: bright cores, faint diffused charge above and below, fainter ends.
        for (int x = 20; x <= 24; x++)
        {
            data[(20 * W) + x] += (float)trackCore;
            data[(19 * W) + x] += (float)trackSide;
            data[(21 * W) + x] += (float)trackSide;
        }

        data[(20 * W) + 19] += (float)trackEnd;
        data[(20 * W) + 25] += (float)trackEnd;
        return (blot, data);
    }

    private static int[] Flagged(bool[] mask) => Enumerable.Range(0, mask.Length).Where(k => mask[k]).ToArray();

    private static int[] Track(bool ends)
    {
        var list = new List<int>();
        for (int x = 20; x <= 24; x++)
        {
            list.Add((19 * W) + x);
            list.Add((20 * W) + x);
            list.Add((21 * W) + x);
        }

        if (ends)
        {
            list.Add((20 * W) + 19);
            list.Add((20 * W) + 25);
        }

        return [.. list.Order()];
    }

    [Fact]
    public void AstroDrizzle_rule_alone_finds_the_cores_but_not_the_faint_sides()
    {
        (float[] blot, float[] data) = StarAndTrack(800, 15, 5);
        var usable = Enumerable.Repeat(true, W * H).ToArray();
        bool[] cr = CosmicRayDetector.Detect(data, blot, usable, W, H, Noise, (3.5, 3.0), (1.2, 0.7), 1, null);
        Assert.Equal(Enumerable.Range(20, 5).Select(x => (20 * W) + x).ToArray(), Flagged(cr));
    }

    [Fact]
    public void Tail_search_finds_the_sides_above_its_threshold_and_the_edge_finds_the_faint_ends_but_nothing_on_the_star()
    {
        (float[] blot, float[] data) = StarAndTrack(800, 15, 5);
        var usable = Enumerable.Repeat(true, W * H).ToArray();

        // Sides at 15 e⁻ ≈ 1.9σ: above the tail threshold 1.5σ; ends at 5 e⁻ (below the noise) only through the edge growth.
        bool[] noEdge = CosmicRayDetector.Detect(data, blot, usable, W, H, Noise, (3.5, 3.0), (1.2, 0.7), 1, new CosmicRayTail { Edge = false });
        Assert.Equal(Track(ends: false), Flagged(noEdge));
        bool[] full = CosmicRayDetector.Detect(data, blot, usable, W, H, Noise, (3.5, 3.0), (1.2, 0.7), 1, new CosmicRayTail());
        Assert.Equal(Track(ends: true), Flagged(full));

        // The same through the options of a run (the tail search is on by default).
        Assert.Equal(full, CosmicRayDetector.Detect(data, blot, usable, W, H, Noise, new AstroDrizzleOptions()));
        Assert.Equal(Flagged(CosmicRayDetector.Detect(data, blot, usable, W, H, Noise, (3.5, 3.0), (1.2, 0.7))),
            Flagged(CosmicRayDetector.Detect(data, blot, usable, W, H, Noise, new AstroDrizzleOptions { DrizCrTail = null })));
    }

    [Fact]
    public void Edge_growth_needs_a_bright_seed_and_stays_inside_the_usable_pixels()
    {
        // A faint track (cores 60 e⁻ ≈ 7σ < EdgeSnr 10): no plus-shaped growth around it.
        (float[] blot, float[] data) = StarAndTrack(60, 0, 0);
        var usable = Enumerable.Repeat(true, W * H).ToArray();
        bool[] faint = CosmicRayDetector.Detect(data, blot, usable, W, H, Noise, (3.5, 3.0), (1.2, 0.7), 1, new CosmicRayTail());
        Assert.Equal(5, faint.Count(b => b));

        (blot, data) = StarAndTrack(800, 15, 5);
        usable[(21 * W) + 22] = false;
        usable[(20 * W) + 25] = false;
        bool[] cr = CosmicRayDetector.Detect(data, blot, usable, W, H, Noise, (3.5, 3.0), (1.2, 0.7), 1, new CosmicRayTail());
        Assert.False(cr[(21 * W) + 22]);
        Assert.False(cr[(20 * W) + 25]);
        Assert.Equal(Track(ends: true).Length - 2, cr.Count(b => b));
    }

    [Fact]
    public void Tail_search_grows_ring_by_ring_up_to_the_iteration_limit()
    {
        // A long faint trail (2σ) leading away from one bright pixel: each ring adds one more pixel.
        var blot = new float[W * H];
        var data = new float[W * H];
        data[(10 * W) + 10] = 1000;
        for (int x = 11; x < 30; x++)
        {
            data[(10 * W) + x] = 16;
        }

        var usable = Enumerable.Repeat(true, W * H).ToArray();
        var tail = new CosmicRayTail { Edge = false, Iterations = 3 };
        bool[] cr = CosmicRayDetector.Detect(data, blot, usable, W, H, Noise, (3.5, 3.0), (1.2, 0.7), 1, tail);
        Assert.Equal(Enumerable.Range(10, 4).Select(x => (10 * W) + x).ToArray(), Flagged(cr));
        bool[] longer = CosmicRayDetector.Detect(data, blot, usable, W, H, Noise, (3.5, 3.0), (1.2, 0.7), 1, tail with { Iterations = 30 });
        Assert.Equal(20, longer.Count(b => b));
    }

    [Fact]
    public void Tail_search_reaches_across_a_bad_column()
    {
        // A short vertical track whose core runs down bad column x = 15 (never tested). Its diffused charge lies on
        // both sides: 20 e⁻ (2.5σ), below both passes of AstroDrizzle's rule and above the tail threshold. One bright
        // pixel left of the column is found by AstroDrizzle's rule.
        var blot = new float[W * H];
        var data = new float[W * H];
        var usable = Enumerable.Repeat(true, W * H).ToArray();
        for (int y = 0; y < H; y++)
        {
            usable[(y * W) + 15] = false;
            data[(y * W) + 15] = 500; // a hot column
        }

        for (int y = 10; y <= 12; y++)
        {
            data[(y * W) + 14] = 20;
            data[(y * W) + 16] = 20;
        }

        data[(11 * W) + 14] = 400;
        bool[] cr = CosmicRayDetector.Detect(data, blot, usable, W, H, Noise, (3.5, 3.0), (1.2, 0.7), 1, new CosmicRayTail { Edge = false });
        int[] expected = [(10 * W) + 14, (10 * W) + 16, (11 * W) + 14, (11 * W) + 16, (12 * W) + 14, (12 * W) + 16];
        Assert.Equal(expected, Flagged(cr));
    }

    [Fact]
    public void Bad_tail_options_are_refused()
    {
        var a = new float[W * H];
        var usable = new bool[W * H];
        Assert.Throws<CombineException>(() => CosmicRayDetector.Detect(a, a, usable, W, H, Noise, (3.5, 3.0), (1.2, 0.7), 1, new CosmicRayTail { Iterations = -1 }));
        Assert.Throws<CombineException>(() => CosmicRayDetector.Detect(a, a, usable, W, H, Noise, (3.5, 3.0), (1.2, 0.7), 1, new CosmicRayTail { Snr = double.NaN }));
    }
}
