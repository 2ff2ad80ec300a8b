namespace TweakDrizzle.SourceFinder;

/// <summary>Collects pixels row by row in parallel over fixed bands of <see cref="Convolution.BandRows"/> rows, in raster order whatever the thread count.</summary>
internal static class RasterScan
{
    /// <summary>Calls <paramref name="scanRow"/> for every row (it appends that row's pixels to the list it is given) and returns all of them in raster order.</summary>
    public static List<(int X, int Y)> Collect(int ny, Action<int, List<(int X, int Y)>> scanRow)
    {
        int nBands = (ny + Convolution.BandRows - 1) / Convolution.BandRows;
        var perBand = new List<(int X, int Y)>[nBands];
        Parallel.For(0, nBands, band =>
        {
            var list = new List<(int X, int Y)>();
            int y0 = band * Convolution.BandRows, y1 = Math.Min(ny, y0 + Convolution.BandRows);
            for (int y = y0; y < y1; y++)
            {
                scanRow(y, list);
            }

            perBand[band] = list;
        });
        var all = new List<(int X, int Y)>();
        foreach (List<(int X, int Y)> l in perBand)
        {
            all.AddRange(l);
        }

        return all;
    }
}
