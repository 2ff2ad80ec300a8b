using TweakDrizzle.Fits;

namespace TweakDrizzle.Bench;

/// <summary>Reads a 2-D image as float32 for the source-finder benchmarks.</summary>
internal static class SourceFinderImageReader
{
    public static (float[] Data, int Nx, int Ny) ReadPrimary(string path)
    {
        FitsImage<float> img = FitsFile.ReadImage<float>(path);
        return (img.Data, img.Shape[0], img.Shape[1]);
    }
}
