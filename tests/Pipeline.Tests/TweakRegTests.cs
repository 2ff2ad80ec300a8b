using System.Globalization;
using System.Security.Cryptography;
using TweakDrizzle.Fits;
using TweakDrizzle.Pipeline.Alignment;
using TweakDrizzle.Simulation;
using TweakDrizzle.Wcs;
using TweakDrizzle.WcsFit;

namespace TweakDrizzle.Pipeline.Tests;

public sealed class TweakRegSimulationTests(SimulatedSet set) : IClassFixture<SimulatedSet>
{
    [Fact]
    public void Refcat_alignment_puts_every_chip_within_5_mas_of_the_truth_and_updates_every_header()
    {
        List<string> files = set.Copy();
        TweakRegResult r = TweakRegRun.Run(files, new TweakRegOptions { RefCat = set.RefCat, UpdateHeader = true, NumCores = 2 });
        Assert.True(r.HeadersUpdated);
        Assert.All(r.Images, i => Assert.Equal(TweakRegStatus.Aligned, i.Status));
        for (int e = 0; e < files.Count; e++)
        {
            ExposureTruth truth = set.Data.Truth.Exposures[e];
            Exposure loaded = Exposure.Load(files[e]);
            Exposure pristine = Exposure.Load(set.Data.Files[e]);
            for (int c = 0; c < loaded.Chips.Count; c++)
            {
                Chip chip = loaded.Chips[c];
                double before = SimulatedSet.RmsMas(pristine.Chips[c].Wcs, truth.Chips[c].TrueWcs, chip.Width, chip.Height);
                double after = SimulatedSet.RmsMas(chip.Wcs, truth.Chips[c].TrueWcs, chip.Width, chip.Height);
                Assert.True(after < 5.0, $"{truth.Rootname} chip {c + 1}: {after:0.00} mas from the truth (was {before:0.0} mas)");
                Assert.Equal("TWEAK", chip.Wcs.Name);
                Assert.Equal(pristine.Chips[c].Wcs.Crpix1, chip.Wcs.Crpix1);
                Assert.Equal(pristine.Chips[c].Wcs.Crpix2, chip.Wcs.Crpix2);
                Assert.Equal(pristine.Chips[c].Wcs.Sip, chip.Wcs.Sip);
                char? archived = FitsWcs.FindByName(chip.Header, pristine.Chips[c].Wcs.Name ?? HeaderUpdater.UnnamedWcsName);
                Assert.True(archived is >= 'A' and <= 'Z');
                Assert.True(chip.Header.TryGetDouble("NMATCH", out double nmatch) && nmatch >= 15);
            }
        }

        // A second identical run is refused before anything is written, and --reusename is safe to run twice.
        byte[][] before2 = files.Select(File.ReadAllBytes).ToArray();
        var ex = Assert.Throws<TweakRegException>(() => TweakRegRun.Run(files, new TweakRegOptions { RefCat = set.RefCat, UpdateHeader = true, NumCores = 2 }));
        Assert.Contains("TWEAK", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before2, files.Select(File.ReadAllBytes).ToArray());
        TweakRegResult again = TweakRegRun.Run(files, new TweakRegOptions { RefCat = set.RefCat, UpdateHeader = true, ReuseName = true, NumCores = 2 });
        Assert.True(again.HeadersUpdated);
        foreach (string f in files)
        {
            Exposure e = Exposure.Load(f);
            Assert.All(e.Chips, c => Assert.Null(FitsWcs.FindByName(c.Header, "TWEAK-1")));
        }
    }

    [Fact]
    public void Relative_alignment_to_the_first_image_is_within_5_mas_and_leaves_files_alone_without_updatehdr()
    {
        List<string> files = set.Copy();
        byte[][] hashes = files.Select(f => SHA256.HashData(File.ReadAllBytes(f))).ToArray();
        TweakRegResult r = TweakRegRun.Run(files, new TweakRegOptions { NumCores = 2 });
        Assert.False(r.HeadersUpdated);
        Assert.Equal(TweakRegStatus.Reference, r.Images[0].Status);
        Assert.Equal(files.Select(f => SHA256.HashData(File.ReadAllBytes(f))).ToArray(), hashes);

        // Relative error: where the corrected WCS and the truth put each chip pixel in the reference exposure.
        ExposureTruth t0 = set.Data.Truth.Exposures[0];
        FitsWcs refHeader = r.Images[0].Wcs[0];
        TanSipModel refTrue = t0.Chips[0].TrueWcs;
        for (int e = 1; e < files.Count; e++)
        {
            Assert.Equal(TweakRegStatus.Aligned, r.Images[e].Status);
            for (int c = 0; c < 2; c++)
            {
                FitsWcs corrected = r.Images[e].Wcs[c];
                TanSipModel truth = set.Data.Truth.Exposures[e].Chips[c].TrueWcs;
                double sum = 0;
                int n = 0;
                for (int j = 0; j < 5; j++)
                {
                    for (int i = 0; i < 5; i++)
                    {
                        double x = 511 * i / 4.0, y = 255 * j / 4.0;
                        (double ra1, double dec1) = corrected.PixelToWorld(x, y);
                        (double ra2, double dec2) = truth.PixelToWorld(x, y);
                        (double u1, double v1) = refHeader.WorldToPixel(ra1, dec1);
                        (double u2, double v2) = refTrue.WorldToPixel(ra2, dec2);
                        sum += ((u1 - u2) * (u1 - u2)) + ((v1 - v2) * (v1 - v2));
                        n++;
                    }
                }

                double mas = Math.Sqrt(sum / n) * 50;
                Assert.True(mas < 5.0, $"exposure {e} chip {c + 1}: {mas:0.00} mas relative to the reference");
            }
        }

        // The outputs: shiftfile in TweakReg's format, its frame WCS file, JSON, table, catalogs.
        string dir = Path.GetDirectoryName(files[0])!;
        string shifts = Path.Combine(dir, "shifts.txt");
        string wcsFile = TweakRegOutputs.WriteShiftFile(shifts, r);
        string[] lines = File.ReadAllLines(shifts);
        Assert.Equal(["# frame: output", "# refimage: shifts_wcs.fits[wcs]", "# form: delta", "# units: pixels"], lines[..4]);
        Assert.Equal(Path.GetFileName(files[0]) + "    0.000000  0.000000    0.000000     1.000000   0.000000  0.000000", lines[4]);
        Assert.Equal(files.Count + 4, lines.Length);
        Assert.Equal(files.Count, ShiftFile.Read(shifts).Count);
        using (FitsFile wf = FitsFile.Open(wcsFile))
        {
            Assert.NotNull(wf.Find("WCS"));
        }

        string json = TweakRegOutputs.ToJson(r);
        Assert.Contains("\"status\": \"ALIGNED\"", json, StringComparison.Ordinal);
        string table = TweakRegOutputs.FormatTable(r);
        Assert.Contains("XSH", table, StringComparison.Ordinal);
        Assert.Equal(files.Count + 1, table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        IReadOnlyList<string> cats = TweakRegOutputs.WriteCatalogs(Path.Combine(dir, "cats"), r);
        Assert.Contains(cats, c => c.EndsWith(TweakRegRun.RootName(files[1]) + "_catalog_fit.match", StringComparison.Ordinal));
        CheckCatalogFiles(Path.Combine(dir, "cats"), r, r.Images[1]);
    }

    private static void CheckCatalogFiles(string folder, TweakRegResult r, TweakRegImage im)
    {
        // Per-chip .coo: TweakReg's header, 4 columns, 1-based chip pixels, IDs consecutive over the chips.
        int id = 0;
        Assert.Equal(2, im.ChipCatalogs.Count);
        for (int c = 0; c < im.ChipCatalogs.Count; c++)
        {
            int ev = im.ExtVers[c];
            string[] lines = File.ReadAllLines(Path.Combine(folder, $"{im.Root}_sci{ev}_xy_catalog.coo"));
            Assert.Equal($"# Source catalog derived for {im.FileName}[sci,{ev}]", lines[0]);
            Assert.Equal(["# Columns: ", "#    X      Y         Flux       ID", "#   (pixels)   (pixels)"], lines[1..4]);
            Assert.Equal(im.ChipCatalogs[c].Count + 4, lines.Length);
            Assert.True(im.ChipCatalogs[c].Count > 0);
            for (int k = 0; k < im.ChipCatalogs[c].Count; k++)
            {
                string[] v = lines[k + 4].Split("  ", StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(4, v.Length);
                double x = double.Parse(v[0], CultureInfo.InvariantCulture), y = double.Parse(v[1], CultureInfo.InvariantCulture);
                Assert.Equal(im.ChipCatalogs[c].X[k] + 1, x, 1e-5 * Math.Max(1, x));
                Assert.Equal(im.ChipCatalogs[c].Y[k] + 1, y, 1e-5 * Math.Max(1, y));
                Assert.Equal(++id, int.Parse(v[3], CultureInfo.InvariantCulture));
            }
        }

        // _catalog_fit.match: TweakReg's header, 18 columns; 1-4 relative to the frame's CRPIX, 9-12 absolute 1-based.
        string[] m = File.ReadAllLines(Path.Combine(folder, im.Root + "_catalog_fit.match"));
        Assert.Equal($"# Input image: {im.FileName}", m[0]);
        Assert.Equal("# Coordinate mapping parameters: ", m[1]);
        Assert.StartsWith("#    <rotation> and skew: ", m[6], StringComparison.Ordinal);
        Assert.Equal("# Input Coordinate Listing", m[8]);
        Assert.Equal("#     Column 15: Input EXTVER ID ", m[23]);
        Assert.Equal("#     Column 18: Ref source provenience", m[26]);
        string[] rows = m.Where(l => !l.StartsWith('#')).ToArray();
        Assert.Equal(im.Match!.Pairs.Count, rows.Length);
        var extVersSeen = new HashSet<int>();
        for (int k = 0; k < rows.Length; k++)
        {
            string[] v = rows[k].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(18, v.Length);
            double[] d = v[..17].Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(r.Frame.Crpix1, d[8] - d[0], 1e-5);
            Assert.Equal(r.Frame.Crpix2, d[11] - d[3], 1e-5);
            Assert.Equal(im.FitX[k] + 1, d[10], 1e-5);
            Assert.Equal(im.Match.Pairs[k].RefIndex + 1, (int)d[12]);
            Assert.Equal(im.SourceIds[im.Match.Pairs[k].InIndex], (int)d[13]);
            extVersSeen.Add((int)d[14]);
            (double ra, double dec) = r.Frame.PixelToWorld(d[4] - 1, d[5] - 1);
            Assert.Equal(ra, d[15], 1e-9);
            Assert.Equal(dec, d[16], 1e-9);
        }

        Assert.Subset(im.ExtVers.ToHashSet(), extVersSeen);
        string[] xy = File.ReadAllLines(Path.Combine(folder, im.Root + "_xy_catalog.match"));
        Assert.Equal(rows.Length, xy.Count(l => !l.StartsWith('#')));
    }
}

public sealed class TweakRegBadInputTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tdz-tweakreg-bad-" + Guid.NewGuid().ToString("N"));

    public TweakRegBadInputTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        foreach (string f in Directory.GetFiles(_dir))
        {
            File.SetAttributes(f, FileAttributes.Normal);
        }

        Directory.Delete(_dir, true);
    }

    private string Good(string name, double dx, double dy, double roll = 0)
    {
        string p = Path.Combine(_dir, name);
        SyntheticExposure.Write(p, SyntheticExposure.Stars(60), (dx, dy, roll), seed: name.Length);
        return p;
    }

    [Fact]
    public void Synthetic_exposures_align_to_their_true_pointing()
    {
        string a = Good("a.fits", 0, 0);
        string b = Good("bb.fits", 0.3, -0.2, 0.01);
        TweakRegResult r = TweakRegRun.Run([a, b], new TweakRegOptions { ConvWidth = 4.0, NumCores = 1 });
        Assert.Equal(TweakRegStatus.Aligned, r.Images[1].Status);
        for (int c = 0; c < 2; c++)
        {
            FitsWcs truth = SyntheticExposure.ChipWcs(c, 0.3, -0.2, 0.01);
            double worst = 0;
            foreach ((double x, double y) in new[] { (0.0, 0.0), (299.0, 0.0), (0.0, 199.0), (299.0, 199.0), (150.0, 100.0) })
            {
                (double ra1, double dec1) = r.Images[1].Wcs[c].PixelToWorld(x, y);
                (double ra2, double dec2) = truth.PixelToWorld(x, y);
                worst = Math.Max(worst, SimulatedSet.SepArcsec(ra1, dec1, ra2, dec2) * 1000);
            }

            Assert.True(worst < 5, $"chip {c + 1}: {worst:0.00} mas");
        }
    }

    [Fact]
    public void Header_update_writes_wcstype_right_after_wcsname()
    {
        string a = Good("a.fits", 0, 0);
        string b = Good("bb.fits", 0.3, -0.2, 0.01);
        TweakRegResult r = TweakRegRun.Run([a, b], new TweakRegOptions { ConvWidth = 4.0, UpdateHeader = true, NumCores = 1 });
        Assert.True(r.HeadersUpdated);
        foreach ((string file, string type) in new[] { (a, "not aligned: reference"), (b, "user-defined") })
        {
            Exposure e = Exposure.Load(file);
            Assert.Equal(2, e.Chips.Count);
            foreach (Chip chip in e.Chips)
            {
                Assert.Equal(type, chip.Header.GetString("WCSTYPE"));
                var keys = chip.Header.Select(c => c.Key).ToList();
                Assert.Equal(keys.IndexOf("WCSNAME") + 1, keys.IndexOf("WCSTYPE"));
                Assert.Equal("TWEAK", chip.Header.GetString("WCSNAME"));
            }
        }
    }

    [Fact]
    public void User_catalogs_from_a_catfile_replace_detection()
    {
        string a = Good("a.fits", 0, 0);
        string b = Good("bb.fits", 0.3, -0.2, 0.01);
        var stars = SyntheticExposure.Stars(60);
        var lines = new List<string>();
        foreach ((string file, double dx, double dy, double roll) in new[] { ("a.fits", 0.0, 0.0, 0.0), ("bb.fits", 0.3, -0.2, 0.01) })
        {
            var cats = new List<string>();
            for (int c = 0; c < 2; c++)
            {
                FitsWcs truth = SyntheticExposure.ChipWcs(c, dx, dy, roll);
                bool csv = file == "a.fits";
                var rows = new List<string> { csv ? "x,y,flux" : "# X Y FLUX (1-based)" };
                foreach ((double ra, double dec, double flux) in stars)
                {
                    (double x, double y) = truth.WorldToPixel(ra, dec);
                    if (x >= 0 && y >= 0 && x < SyntheticExposure.Width && y < SyntheticExposure.Height)
                    {
                        rows.Add(csv ? FormattableString.Invariant($"{x:R},{y:R},{flux:R}") : FormattableString.Invariant($"{x + 1:R} {y + 1:R} {flux:R}"));
                    }
                }

                string name = $"{file}.sci{c + 1}.{(csv ? "csv" : "coo")}";
                File.WriteAllLines(Path.Combine(_dir, name), rows);
                cats.Add(name);
            }

            lines.Add(file + " " + string.Join(' ', cats));
        }

        string catfile = Path.Combine(_dir, "catfile.txt");
        File.WriteAllLines(catfile, lines);
        TweakRegResult r = TweakRegRun.Run([a, b], new TweakRegOptions { CatFile = catfile, NumCores = 1 });
        Assert.Equal(TweakRegStatus.Aligned, r.Images[1].Status);
        Assert.True(r.Images[1].Fit!.FitRms < 1e-6, $"exact catalogs fit to {r.Images[1].Fit!.FitRms} px");
        (double ra1, double dec1) = r.Images[1].Wcs[1].PixelToWorld(10, 190);
        (double ra2, double dec2) = SyntheticExposure.ChipWcs(1, 0.3, -0.2, 0.01).PixelToWorld(10, 190);
        Assert.True(SimulatedSet.SepArcsec(ra1, dec1, ra2, dec2) < 1e-4);
    }

    [Fact]
    public void Expand_refcat_and_overlap_order_align_every_image()
    {
        string a = Good("a.fits", 0, 0);
        string b = Good("bb.fits", 0.3, -0.2, 0.01);
        string c = Good("ccc.fits", -0.25, 0.15, -0.01);
        TweakRegResult r = TweakRegRun.Run([a, b, c], new TweakRegOptions { ConvWidth = 4.0, ExpandRefCat = true, EnforceUserOrder = false, NumCores = 1 });
        Assert.All(r.Images.Skip(1), i => Assert.Equal(TweakRegStatus.Aligned, i.Status));
        Assert.True(r.ReferenceSources > r.Images[0].Sources, "the reference catalog grew");
    }

    [Fact]
    public void Reference_catalog_files_apply_magnitude_cuts_and_refnbright()
    {
        string p = Path.Combine(_dir, "gaia.csv");
        File.WriteAllLines(p, ["RA_ICRS,DE_ICRS,phot_g_mean_mag", "10.0,1.0,18.5", "10.1,1.1,21.0", "10.2,1.2,17.0", "10.3,1.3,19.5"]);
        IReadOnlyList<Alignment.SkySource> all = ReferenceCatalogFile.Read(p, new TweakRegOptions());
        Assert.Equal([10.2, 10.0, 10.3, 10.1], all.Select(s => s.Ra));
        IReadOnlyList<Alignment.SkySource> cut = ReferenceCatalogFile.Read(p, new TweakRegOptions { RefMaxFlux = 20, RefNBright = 2 });
        Assert.Equal([10.2, 10.0], cut.Select(s => s.Ra));
        File.WriteAllLines(p, ["x,y", "1,2"]);
        var e = Assert.Throws<TweakRegException>(() => ReferenceCatalogFile.Read(p, new TweakRegOptions()));
        Assert.Contains("'ra' and 'dec'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_without_stars_is_a_clear_error()
    {
        string a = Good("a.fits", 0, 0);
        string b = Path.Combine(_dir, "empty.fits");
        SyntheticExposure.Write(b, [], (0, 0, 0));
        var e = Assert.Throws<TweakRegException>(() => TweakRegRun.Run([a, b], new TweakRegOptions { ConvWidth = 4.0, NumCores = 1 }));
        Assert.Contains("empty.fits", e.Message, StringComparison.Ordinal);
        Assert.Contains("no usable stars", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void An_image_with_one_star_is_a_clear_error()
    {
        string a = Good("a.fits", 0, 0);
        string b = Path.Combine(_dir, "one.fits");
        SyntheticExposure.Write(b, SyntheticExposure.Stars(1), (0, 0, 0));
        var e = Assert.Throws<TweakRegException>(() => TweakRegRun.Run([a, b], new TweakRegOptions { ConvWidth = 4.0, NumCores = 1 }));
        Assert.Contains("one.fits: only 1 usable source", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_whose_stars_are_all_saturated_is_a_clear_error()
    {
        string a = Good("a.fits", 0, 0);
        string b = Path.Combine(_dir, "sat.fits");
        SyntheticExposure.Write(b, SyntheticExposure.Stars(60).Select(s => (s.Ra, s.Dec, s.Flux * 50)).ToList(), (0, 0, 0), saturate: 3000);
        var e = Assert.Throws<TweakRegException>(() => TweakRegRun.Run([a, b], new TweakRegOptions { ConvWidth = 4.0, NumCores = 1 }));
        Assert.Contains("sat.fits: no usable stars", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_wcs_is_a_clear_error()
    {
        string a = Good("a.fits", 0, 0);
        string b = Path.Combine(_dir, "nowcs.fits");
        SyntheticExposure.Write(b, SyntheticExposure.Stars(60), (0, 0, 0), withWcs: false);
        var e = Assert.Throws<ExposureException>(() => TweakRegRun.Run([a, b], new TweakRegOptions { ConvWidth = 4.0, NumCores = 1 }));
        Assert.Contains("nowcs.fits", e.Message, StringComparison.Ordinal);
        Assert.Contains("WCS", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaNs_are_masked_and_an_all_NaN_image_is_a_clear_error()
    {
        string a = Good("a.fits", 0, 0);
        string b = Path.Combine(_dir, "holes.fits");
        SyntheticExposure.Write(b, SyntheticExposure.Stars(60), (0.2, 0.1, 0), nan: (c, x, y) => c == 0 && x < 100);
        TweakRegResult r = TweakRegRun.Run([a, b], new TweakRegOptions { ConvWidth = 4.0, NumCores = 1 });
        Assert.Equal(TweakRegStatus.Aligned, r.Images[1].Status);
        string n = Path.Combine(_dir, "nan.fits");
        SyntheticExposure.Write(n, SyntheticExposure.Stars(60), (0, 0, 0), nan: (_, _, _) => true);
        var e = Assert.Throws<TweakRegException>(() => TweakRegRun.Run([a, n], new TweakRegOptions { ConvWidth = 4.0, NumCores = 1 }));
        Assert.Contains("nan.fits: no usable pixels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_only_file_with_updatehdr_is_refused_and_nothing_is_changed()
    {
        string a = Good("a.fits", 0, 0);
        string b = Good("bb.fits", 0.3, -0.2);
        byte[] ha = File.ReadAllBytes(a), hb = File.ReadAllBytes(b);
        File.SetAttributes(b, FileAttributes.ReadOnly);
        var e = Assert.Throws<TweakRegException>(() => TweakRegRun.Run([a, b], new TweakRegOptions { ConvWidth = 4.0, UpdateHeader = true, NumCores = 1 }));
        Assert.Contains("bb.fits is read-only", e.Message, StringComparison.Ordinal);
        Assert.Equal(ha, File.ReadAllBytes(a));
        Assert.Equal(hb, File.ReadAllBytes(b));
    }

    [Fact]
    public void A_failed_fit_never_updates_any_header()
    {
        string a = Good("a.fits", 0, 0);
        string b = Path.Combine(_dir, "other.fits");
        SyntheticExposure.Write(b, SyntheticExposure.Stars(60, seed: 99), (0, 0, 0));
        byte[] ha = File.ReadAllBytes(a), hb = File.ReadAllBytes(b);
        TweakRegResult r = TweakRegRun.Run([a, b], new TweakRegOptions { ConvWidth = 4.0, UpdateHeader = true, NumCores = 1 });
        Assert.Equal(TweakRegStatus.Failed, r.Images[1].Status);
        Assert.False(r.HeadersUpdated);
        Assert.Equal(ha, File.ReadAllBytes(a));
        Assert.Equal(hb, File.ReadAllBytes(b));
        Assert.Contains("nan", TweakRegOutputs.FormatTable(r), StringComparison.Ordinal);
    }
}
