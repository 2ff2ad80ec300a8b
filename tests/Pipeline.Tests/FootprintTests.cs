using TweakDrizzle.Pipeline.Alignment;

namespace TweakDrizzle.Pipeline.Tests;

public class FootprintTests
{
    [Fact]
    public void Hull_drops_interior_points_and_runs_counter_clockwise()
    {
        List<(double X, double Y)> hull = Footprint.ConvexHull([0, 2, 2, 0, 1, 0.5], [0, 0, 2, 2, 1, 1.5]);
        Assert.Equal(4, hull.Count);
        Assert.Equal(4.0, Footprint.Area(hull), 12);
        double signed = 0;
        for (int i = 0; i < hull.Count; i++)
        {
            signed += (hull[i].X * hull[(i + 1) % hull.Count].Y) - (hull[(i + 1) % hull.Count].X * hull[i].Y);
        }

        Assert.True(signed > 0, "counter-clockwise");
    }

    [Theory]
    [InlineData(0.5, 0.0, 3.0)]
    [InlineData(1.0, 1.0, 1.0)]
    [InlineData(3.0, 0.0, 0.0)]
    [InlineData(0.0, 0.0, 4.0)]
    public void Overlap_of_two_squares(double dx, double dy, double expectedArea)
    {
        List<(double X, double Y)> a = Footprint.ConvexHull([0, 2, 2, 0], [0, 0, 2, 2]);
        List<(double X, double Y)> b = Footprint.ConvexHull([dx, dx + 2, dx + 2, dx], [dy, dy, dy + 2, dy + 2]);
        Assert.Equal(expectedArea, Footprint.OverlapArea(b, a), 12);
        Assert.Equal(expectedArea, Footprint.OverlapArea(a, b), 12);
    }

    [Fact]
    public void Rotated_square_inside_a_larger_one_overlaps_by_its_own_area()
    {
        double c = Math.Cos(0.3), s = Math.Sin(0.3);
        double[] x = new double[4], y = new double[4];
        (double, double)[] corners = [(-1, -1), (1, -1), (1, 1), (-1, 1)];
        for (int i = 0; i < 4; i++)
        {
            x[i] = (c * corners[i].Item1) - (s * corners[i].Item2);
            y[i] = (s * corners[i].Item1) + (c * corners[i].Item2);
        }

        List<(double X, double Y)> small = Footprint.ConvexHull(x, y);
        List<(double X, double Y)> big = Footprint.ConvexHull([-5, 5, 5, -5], [-5, -5, 5, 5]);
        Assert.Equal(4.0, Footprint.OverlapArea(small, big), 10);
    }
}
