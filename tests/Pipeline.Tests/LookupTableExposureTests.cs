using TweakDrizzle.Fits;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Pipeline.Tests;

public sealed class LookupTableExposureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("td-lut-exp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>An HST-style chip whose NPOL tables move every pixel by (+0.5, −0.25) pixel.</summary>
    private string WriteChip()
    {
        FitsWcs tan = FitsWcs.CreateTan(150, 2, 32.5, 24.5, 0.05, 20);
        var h = new FitsHeader();
        tan.WriteTo(h);
        h.Set("CPDIS1", "Lookup");
        h.Set("CPDIS2", "Lookup");
        h.Add(FitsCard.Create("DP1", "EXTVER: 1", null));
        h.Add(FitsCard.Create("DP1", "AXIS.1: 1", null));
        h.Add(FitsCard.Create("DP2", "EXTVER: 2", null));
        h.Add(FitsCard.Create("DP2", "AXIS.2: 2", null));
        FitsHeader Table()
        {
            var t = new FitsHeader();
            t.Set("CRPIX1", 1.0);
            t.Set("CRPIX2", 1.0);
            t.Set("CRVAL1", 0.0);
            t.Set("CRVAL2", 0.0);
            t.Set("CDELT1", 16.0);
            t.Set("CDELT2", 16.0);
            return t;
        }

        string path = Path.Combine(_dir, "lut_flc.fits");
        FitsWriter.Write(path,
        [
            FitsWriteHdu.Empty(),
            FitsWriteHdu.Image(new float[64 * 48], [64, 48], h).Named("SCI", 1),
            FitsWriteHdu.Image(Enumerable.Repeat(0.5f, 5 * 4).ToArray(), [5, 4], Table()).Named("WCSDVARR", 1),
            FitsWriteHdu.Image(Enumerable.Repeat(-0.25f, 5 * 4).ToArray(), [5, 4], Table()).Named("WCSDVARR", 2),
        ]);
        return path;
    }

    [Fact]
    public void Exposures_carry_the_npol_tables_of_their_file_into_every_mapping()
    {
        string path = WriteChip();
        foreach (Exposure e in new[] { Exposure.Load(path), Exposure.Load(path, new ExposureLoadOptions { ReadPixels = false }) })
        {
            FitsWcs wcs = e.Chips[0].Wcs;
            Assert.NotNull(wcs.Lookup);
            FitsWcs plain = wcs.WithLookup(null);

            // A constant table moves the focal plane by its value: pixel (x, y) lands where (x + 0.5, y − 0.25) did.
            Assert.Equal(plain.PixelToWorld(10.5, 7.75), wcs.PixelToWorld(10, 8));
            (double x, double y) = wcs.WorldToPixel(plain.PixelToWorld(20.5, 29.75).Ra, plain.PixelToWorld(20.5, 29.75).Dec);
            Assert.Equal(20.0, x, 9);
            Assert.Equal(30.0, y, 9);
        }
    }

    [Fact]
    public void A_header_update_keeps_the_tables_and_their_keywords()
    {
        string path = WriteChip();
        FitsWcs before = Exposure.Load(path).Chips[0].Wcs;
        FitsWcs corrected = before.WithCorrection(before.Crval1 + 2e-5, before.Crval2 - 1e-5, before.Cd);
        TweakDrizzle.WcsFit.HeaderUpdater.UpdateFile(path, [(1, corrected)], new TweakDrizzle.WcsFit.FitRecord(10, 1e-6, 1e-6, "test"));
        FitsWcs after = Exposure.Load(path).Chips[0].Wcs;
        Assert.NotNull(after.Lookup);
        Assert.Equal(corrected.PixelToWorld(12.25, 30.5), after.PixelToWorld(12.25, 30.5));
        using FitsFile f = FitsFile.Open(path);
        Assert.Equal(2, f.Hdus.Count(h => h.ExtName?.Trim() == "WCSDVARR"));
        Assert.Equal("Lookup", f.Find("SCI", 1)!.Header.GetString("CPDIS1")!.Trim());
    }
}
