using TweakDrizzle.Pipeline.Combine;

namespace TweakDrizzle.Pipeline.Tests;

public sealed class CosmicRayCoreTests
{
    private const int W = 32, H = 32;
    private static readonly ChipNoise Noise = new(40, 1, 5);

    /// <summary>
    /// A bright star at (15, 16) in the blot; the data are the same star shifted by (dx, 0.1), 2 % brighter and a
    /// little sharper (a registration, flux and resampling error), with reproducible Gaussian noise.
    /// </summary>
    private static (float[] Blot, float[] Data) MisregisteredStar(double dx, int seed)
    {
        var blot = new float[W * H];
        var data = new float[W * H];
        var rng = new Random(seed);
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W; x++)
            {
                double rb = (((x - 15.0) * (x - 15.0)) + ((y - 16.0) * (y - 16.0))) / (2 * 1.5 * 1.5);
                double rd = (((x - 15.0 - dx) * (x - 15.0 - dx)) + ((y - 16.1) * (y - 16.1))) / (2 * 1.45 * 1.45);
                double b = 20000 * Math.Exp(-rb);
                double d = 1.02 * 20000 * 1.5 * 1.5 / (1.45 * 1.45) * Math.Exp(-rd);
                double sigma = Math.Sqrt(Math.Abs(d + Noise.Sky) + (Noise.ReadNoise * Noise.ReadNoise));
                double gauss = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                blot[(y * W) + x] = (float)b;
                data[(y * W) + x] = (float)(d + (sigma * gauss));
            }
        }

        return (blot, data);
    }

    private static int[] Flagged(bool[] mask) => Enumerable.Range(0, mask.Length).Where(k => mask[k]).ToArray();

    private static bool[] Detect(float[] data, float[] blot, bool cores) =>
        CosmicRayDetector.Detect(data, blot, Enumerable.Repeat(true, W * H).ToArray(), W, H, Noise, (3.5, 3.0), (1.2, 0.7), 1,
            new CosmicRayTail { Cores = cores });

    [Fact]
    public void A_cosmic_ray_on_a_star_core_is_hidden_by_the_derivative_term_and_found_by_the_core_test()
    {
        (float[] blot, float[] data) = MisregisteredStar(0.25, 1);
        int hit = (16 * W) + 16; // next to the peak, where the blot is steepest
        data[hit] += 6000;
        Assert.DoesNotContain(hit, Flagged(Detect(data, blot, cores: false)));
        int[] found = Flagged(Detect(data, blot, cores: true));
        Assert.Contains(hit, found);

        // Nothing far from the cosmic ray: the star itself stays unflagged.
        Assert.All(found, k => Assert.True(Math.Abs((k % W) - 16) <= 1 && Math.Abs((k / W) - 16) <= 1));
    }

    [Theory]
    [InlineData(0.25, 1)]
    [InlineData(-0.3, 2)]
    [InlineData(0.4, 3)]
    public void A_misregistered_star_without_a_cosmic_ray_is_not_flagged(double dx, int seed)
    {
        (float[] blot, float[] data) = MisregisteredStar(dx, seed);
        Assert.Empty(Flagged(Detect(data, blot, cores: true)));
    }

    [Fact]
    public void The_core_test_is_off_by_default_and_rejects_negative_settings()
    {
        Assert.False(new CosmicRayTail().Cores);
        (float[] blot, float[] data) = MisregisteredStar(0.25, 1);
        Assert.Throws<CombineException>(() => CosmicRayDetector.Detect(data, blot, Enumerable.Repeat(true, W * H).ToArray(), W, H, Noise,
            (3.5, 3.0), (1.2, 0.7), 1, new CosmicRayTail { Cores = true, CoreScale = -1 }));
    }
}
