namespace TweakDrizzle.Resample.Tests;

public class BlotTests
{
    private const int Nx = 16, Ny = 14;

    private static float[] Ramp() => [.. Enumerable.Range(0, Nx * Ny).Select(k => (float)((3 * (k / Nx)) + (2 * (k % Nx)) + 1))];

    private static float Sample(BlotInterpolation interp, double x, double y, float[]? src = null) =>
        Blot.Run(src ?? Ramp(), Nx, Ny, new Pixmap(1, 1, [x], [y]), new BlotOptions { Interp = interp, Fillval = -99 })[0];

    [Theory]
    [InlineData(BlotInterpolation.Linear)]
    [InlineData(BlotInterpolation.Poly3)]
    [InlineData(BlotInterpolation.Poly5)]
    public void Polynomial_interpolation_is_exact_on_a_ramp_up_to_the_last_row_and_column(BlotInterpolation interp)
    {
        foreach ((double x, double y) in new[] { (7.4, 12.2), (7.4, 12.9), (7.4, 13.0), (0.3, 0.6), (14.6, 5.5), (15.0, 13.0), (2.5, 11.7) })
        {
            float v = Sample(interp, x, y);
            double expected = interp == BlotInterpolation.Linear && (x > Nx - 1 || y > Ny - 1)
                ? (3 * Math.Min(y, Ny - 1)) + (2 * Math.Min(x, Nx - 1)) + 1
                : (3 * y) + (2 * x) + 1;
            Assert.Equal(expected, v, 3);
        }
    }

    [Fact]
    public void Nearest_never_reads_outside_the_source()
    {
        Assert.Equal((3 * 13) + (2 * 15) + 1, Sample(BlotInterpolation.Nearest, 15.7, 13.6));
        Assert.Equal(-99f, Sample(BlotInterpolation.Nearest, 16.0, 3.0));
        Assert.Equal(-99f, Sample(BlotInterpolation.Nearest, -0.1, 3.0));
    }

    [Theory]
    [InlineData(BlotInterpolation.Lanczos3)]
    [InlineData(BlotInterpolation.Lanczos5)]
    public void Lanczos_is_renormalised_where_the_window_is_cut_by_an_edge(BlotInterpolation interp)
    {
        float[] flat = [.. Enumerable.Repeat(3f, Nx * Ny)];
        float inner = Sample(interp, 7.3, 6.6, flat);
        // Unnormalised, a corner sample would lose most of the window (drizzle 2.2.0 gives ~0.85 instead of 3).
        Assert.Equal(3.0, Sample(interp, 0.2, 0.1, flat), 1);
        Assert.Equal(3.0, Sample(interp, 15.9, 13.8, flat), 1);
        Assert.Equal(3.0, inner, 1);
    }

    [Fact]
    public void Bad_blot_input_throws()
    {
        Assert.Throws<ResampleException>(() => Blot.ParseInterpolation("sinc"));
        Assert.Throws<ResampleException>(() => Blot.Run(new float[10], 4, 4, Pixmap.Identity(2, 2)));
        Assert.Throws<ResampleException>(() => Blot.Run(new float[16], 4, 4, new Pixmap(1, 1, [double.NaN], [1.0])));
    }

    [Fact]
    public void Blot_is_bit_identical_for_one_or_many_threads()
    {
        var rng = new Random(3);
        float[] src = [.. Enumerable.Range(0, 200 * 150).Select(_ => (float)rng.NextDouble())];
        var x = new double[90 * 120];
        var y = new double[x.Length];
        for (int k = 0; k < x.Length; k++)
        {
            x[k] = ((k % 120) * 1.61) + 3.3;
            y[k] = ((k / 120) * 1.59) + 1.1 + (0.001 * (k % 120));
        }

        var map = new Pixmap(120, 90, x, y);
        float[] a = Blot.Run(src, 200, 150, map, new BlotOptions { MaxDegreeOfParallelism = 1 });
        float[] b = Blot.Run(src, 200, 150, map, new BlotOptions { MaxDegreeOfParallelism = 3 });
        Assert.Equal(a, b);
    }
}
