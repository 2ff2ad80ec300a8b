namespace TweakDrizzle.SourceFinder.Tests;

public class KernelTests
{
    [Theory]
    [InlineData(1.8, 5, 13, 1.062270, 0.820035)]
    [InlineData(2.5, 5, 13, 1.139778, 0.710271)]
    [InlineData(3.5, 5, 13, 1.489432, 0.793311)]
    [InlineData(4.0, 5, 21, 1.165767, 0.546478)]
    [InlineData(5.0, 7, 37, 0.800263, 0.282019)]
    public void Kernel_matches_the_photutils_constants(double fwhm, int size, int npix, double relerr, double centre)
    {
        var k = new StarFinderKernel(fwhm);
        Assert.Equal(size, k.Nx);
        Assert.Equal(size, k.Ny);
        Assert.Equal(npix, k.NPixels);
        Assert.Equal(relerr, k.RelErr, 6);
        Assert.Equal(centre, k.Weights[(k.YRadius * k.Nx) + k.XRadius], 6);
        Assert.Equal(0.0, k.Weights.ToArray().Sum(), 12);
    }

    [Fact]
    public void Elliptical_kernel_is_not_square()
    {
        var k = new StarFinderKernel(5.5, 0.7, 30);
        Assert.Equal(7, k.Nx);
        Assert.Equal(5, k.Ny);
        Assert.Equal(27, k.NPixels);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Bad_fwhm_is_a_typed_error(double fwhm)
    {
        var e = Assert.Throws<SourceFinderException>(() => new StarFinderKernel(fwhm));
        Assert.Contains("fwhm", e.Message, StringComparison.Ordinal);
    }
}
