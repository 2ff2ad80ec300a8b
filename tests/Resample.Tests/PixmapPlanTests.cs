namespace TweakDrizzle.Resample.Tests;

/// <summary>Prepared pixmaps: any run of rows equals the same rows of the whole-input pixmap, bit for bit.</summary>
public class PixmapPlanTests
{
    private static void Distorted(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> xo, Span<double> yo)
    {
        for (int k = 0; k < x.Length; k++)
        {
            double u = (x[k] - 300) / 300, v = (y[k] - 200) / 200;
            xo[k] = (1.3 * x[k]) - (0.4 * y[k]) + (5 * u * u * v) + 11;
            yo[k] = (0.4 * x[k]) + (1.3 * y[k]) - (4 * v * v * u) - 3;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rows_filled_piecewise_equal_the_whole_pixmap(bool fast)
    {
        var options = new PixmapOptions { Fast = fast, MaxDegreeOfParallelism = 2 };
        Pixmap whole = PixmapCalculator.Calculate(Distorted, 601, 403, options);
        PixmapPlan plan = PixmapPlan.Create(Distorted, 601, 403, options with { MaxDegreeOfParallelism = 1 });
        Assert.Equal(fast, plan.GridStep > 0);
        var pieces = new Pixmap(601, 403, new double[601 * 403], new double[601 * 403]);
        foreach ((int a, int b) in new[] { (0, 0), (1, 63), (64, 200), (201, 402) })
        {
            plan.Fill(pieces, a, b);
        }

        Assert.Equal(whole.X, pieces.X);
        Assert.Equal(whole.Y, pieces.Y);
    }

    [Fact]
    public void Fill_touches_only_the_rows_asked_for_and_checks_its_arguments()
    {
        PixmapPlan plan = PixmapPlan.Create(Distorted, 50, 40, new PixmapOptions { Fast = true });
        var map = new Pixmap(50, 40, new double[2000], new double[2000]);
        Array.Fill(map.X, -7.0);
        plan.Fill(map, 10, 12);
        Assert.All(map.X.Take(500), v => Assert.Equal(-7.0, v));
        Assert.All(map.X.Skip(650), v => Assert.Equal(-7.0, v));
        Assert.DoesNotContain(-7.0, map.X.Skip(500).Take(150));
        Assert.Throws<ResampleException>(() => plan.Fill(map, 30, 40));
        Assert.Throws<ResampleException>(() => plan.Fill(new Pixmap(10, 10, new double[100], new double[100]), 0, 1));
        Assert.Throws<ResampleException>(() => PixmapPlan.Create(Distorted, 0, 10));
    }
}
