using TweakDrizzle.Simulation;

namespace TweakDrizzle.Simulation.Tests;

public class PsfTests
{
    [Theory]
    [InlineData(1.5, 20.3, 19.7)]
    [InlineData(2.0, 20.0, 20.0)]
    [InlineData(2.5, 20.49, 19.51)]
    public void Gaussian_ConservesFluxExactly(double fwhm, double x, double y)
    {
        double[] stamp = PsfModel.Gaussian(fwhm).RenderStamp(x, y, 41, 41);
        Assert.Equal(1.0, stamp.Sum(), 12);
    }

    [Theory]
    [InlineData(1.5, 2.5)]
    [InlineData(2.0, 2.5)]
    [InlineData(2.5, 3.5)]
    public void Moffat_StampSumLiesBetweenInscribedAndCircumscribedEnergy(double fwhm, double beta)
    {
        PsfModel psf = PsfModel.Moffat(fwhm, beta);
        const int Half = 30;
        double[] stamp = psf.RenderStamp(Half + 0.27, Half - 0.41, (2 * Half) + 1, (2 * Half) + 1);
        double sum = stamp.Sum();
        double inner = psf.EncircledEnergy(Half + 0.5 - 0.41);
        double outer = psf.EncircledEnergy(Math.Sqrt(2) * (Half + 0.5 + 0.41));
        Assert.InRange(sum, inner - 1e-4, outer + 1e-4);
    }

    [Fact]
    public void Moffat_CoreMatchesFineNumericalIntegral()
    {
        PsfModel psf = PsfModel.Moffat(1.8, 2.5);
        double[] stamp = psf.RenderStamp(3.2, 2.9, 7, 7);
        // 101x101 midpoint integral of the centre pixel (3, 3)
        double sum = 0;
        const int N = 101;
        for (int b = 0; b < N; b++)
        {
            for (int a = 0; a < N; a++)
            {
                double dx = 3 - 0.5 + ((a + 0.5) / N) - 3.2, dy = 3 - 0.5 + ((b + 0.5) / N) - 2.9;
                sum += psf.Profile(Math.Sqrt((dx * dx) + (dy * dy)));
            }
        }

        Assert.Equal(sum / (N * N), stamp[(3 * 7) + 3], 3);
        Assert.InRange(stamp[(3 * 7) + 3] / (sum / (N * N)), 0.995, 1.005);
    }

    [Fact]
    public void RenderedCentroidIsTheStarPosition()
    {
        double[] stamp = PsfModel.Gaussian(1.7).RenderStamp(10.3, 9.65, 21, 21);
        double sx = 0, sy = 0, s = 0;
        for (int j = 0; j < 21; j++)
        {
            for (int i = 0; i < 21; i++)
            {
                sx += i * stamp[(j * 21) + i];
                sy += j * stamp[(j * 21) + i];
                s += stamp[(j * 21) + i];
            }
        }

        Assert.Equal(10.3, sx / s, 4); // pixel-phase bias of an undersampled PSF is ~1e-5
        Assert.Equal(9.65, sy / s, 4);
    }

    [Fact]
    public void StampRadiusGrowsWithFluxAndIsCapped()
    {
        PsfModel psf = PsfModel.Moffat(2.0);
        int faint = psf.StampRadius(100, 0.02);
        int bright = psf.StampRadius(1e6, 0.02);
        Assert.True(bright > faint);
        Assert.True(psf.Profile(faint) * 100 <= 0.02 * 1.0001);
        Assert.Equal(psf.MaxStampRadius, psf.StampRadius(1e15, 0.02));
    }

    [Fact]
    public void BadParametersThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PsfModel.Gaussian(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PsfModel.Moffat(2, 1.0));
    }
}
