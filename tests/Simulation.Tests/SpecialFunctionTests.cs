using TweakDrizzle.Simulation;

namespace TweakDrizzle.Simulation.Tests;

public class SpecialFunctionTests
{
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(3.0, 0.9999779095030014)]
    [InlineData(-1.5, -0.9661051464753108)]
    public void Erf_MatchesTabulatedValues(double x, double expected)
    {
        Assert.InRange(SpecialFunctions.Erf(x) - expected, -2e-15, 2e-15);
    }

    [Theory]
    [InlineData(2.5, 4.069520174449590e-4)]
    [InlineData(4.0, 1.541725790028002e-8)]
    [InlineData(6.0, 2.151973671249892e-17)]
    public void Erfc_HasRelativeAccuracyInTheTail(double x, double expected)
    {
        Assert.InRange(SpecialFunctions.Erfc(x) / expected, 1 - 1e-12, 1 + 1e-12);
    }

    [Fact]
    public void LogFactorial_IsContinuousAcrossTableEnd()
    {
        double exact = 0;
        for (int i = 2; i <= 400; i++)
        {
            exact += Math.Log(i);
            Assert.InRange(SpecialFunctions.LogFactorial(i) - exact, -1e-12 * exact, 1e-12 * exact);
        }
    }
}
