using System.Globalization;
using TweakDrizzle.Fits;
using TweakDrizzle.Matching;
using TweakDrizzle.SourceFinder;
using TweakDrizzle.Wcs;
using TweakDrizzle.WcsFit;
using MatchCatalog = TweakDrizzle.Matching.SourceCatalog;

namespace TweakDrizzle.Pipeline.Alignment;

/// <summary>
/// TweakReg over files: per-chip catalogs (detected or given), every chip's sources through its full distortion to the
/// sky and onto the reference's undistorted tangent plane, one match and fit per exposure against the reference image
/// or an external catalog, one correction applied to all the exposure's chips (CRVAL and CD change; CRPIX and SIP stay),
/// and, with <c>updatehdr</c>, the new WCS written into every SCI header with the old one archived.
/// </summary>
/// <remarks>
/// Bad input (a missing file, no WCS, a read-only file or an existing WCSNAME with <c>updatehdr</c>, an image with fewer
/// than <c>minobj</c> usable sources) stops the run with a <see cref="TweakRegException"/> before any file is changed.
/// Headers are written only when every input aligned (all or nothing), each file atomically. Deterministic whatever
/// the core count: chips are detected independently and everything else runs in input order.
/// </remarks>
public static class TweakRegRun
{
    /// <summary>How the inputs are loaded: headers, WCSs and sizes only.</summary>
    private static readonly ExposureLoadOptions HeaderOnly = new() { ReadErr = false, ReadPixels = false };

    /// <summary>What the detection step reads of one chip: SCI and DQ.</summary>
    private static readonly ExposureLoadOptions Pixels = new() { ReadErr = false };

    private sealed record ChipCatalog(double[] X, double[] Y, double[] Flux);

    private sealed record Input(string Path, Exposure Exposure, IReadOnlyList<ChipCatalog> Chips)
    {
        public string FileName => System.IO.Path.GetFileName(Path);

        public int Sources => Chips.Sum(c => c.X.Length);
    }

    /// <summary>Aligns the files.</summary>
    /// <param name="files">Input exposures (paths, already expanded).</param>
    /// <param name="options">Options, or null for TweakReg's defaults.</param>
    /// <returns>Per-image results, the frame and whether headers were written.</returns>
    /// <exception cref="TweakRegException">Bad input or a refused header update; nothing was changed.</exception>
    /// <exception cref="ExposureException">A file has no usable image or WCS.</exception>
    /// <exception cref="FitsException">A file is not valid FITS.</exception>
    public static TweakRegResult Run(IReadOnlyList<string> files, TweakRegOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        options ??= new TweakRegOptions();
        options.Validate();
        if (files.Count == 0)
        {
            throw new TweakRegException("no input files");
        }

        var paths = files.Select(Path.GetFullPath).ToList();
        if (paths.Distinct(StringComparer.Ordinal).Count() != paths.Count)
        {
            throw new TweakRegException("an input file is given twice");
        }

        foreach (string p in paths)
        {
            if (!File.Exists(p))
            {
                throw new TweakRegException($"input file {p} does not exist");
            }
        }

        if (options.UpdateHeader)
        {
            foreach (string p in paths)
            {
                CheckWritable(p);
            }
        }

        Action<string> log = options.Log ?? (_ => { });
        IReadOnlyDictionary<string, IReadOnlyList<string>>? catfile = options.CatFile is null ? null : ReadCatFile(options.CatFile);
        var inputs = new List<Input>();
        foreach (string p in paths)
        {
            // Header-only: the pixels of each chip are read inside the detection step and dropped after it.
            Exposure e = Exposure.Load(p, HeaderOnly);
            if (options.UpdateHeader)
            {
                CheckName(e, options);
            }

            inputs.Add(new Input(p, e, []));
        }

        // Reference image: in the list, outside it, or none.
        int refIndex = -1;
        Exposure? refImage = null;
        if (options.RefImage is { } ri)
        {
            string full = Path.GetFullPath(ri);
            if (!File.Exists(full))
            {
                throw new TweakRegException($"reference image {ri} does not exist");
            }

            refIndex = paths.IndexOf(full);
            refImage = refIndex >= 0 ? inputs[refIndex].Exposure : Exposure.Load(full, HeaderOnly);
        }

        IReadOnlyList<SkySource>? refcat = options.RefCatalog ?? (options.RefCat is { } rc ? ReferenceCatalogFile.Read(rc, options) : null);
        if (refcat is not null && refcat.Count < options.MinObj)
        {
            throw new TweakRegException($"the reference catalog has {refcat.Count} sources, fewer than minobj = {options.MinObj}");
        }

        if (refcat is null && refImage is null)
        {
            refIndex = 0;
            refImage = inputs[0].Exposure;
        }

        // Catalogs: every chip of every input (and of an outside reference image).
        var allExposures = inputs.Select(i => i.Exposure).ToList();
        bool outsideRef = refImage is not null && refIndex < 0 && refcat is null;
        if (outsideRef)
        {
            allExposures.Add(refImage!);
        }

        var chipJobs = allExposures.SelectMany((e, ei) => e.Chips.Select((c, ci) => (ei, ci))).ToArray();
        var chipCats = new ChipCatalog[chipJobs.Length];
        log(string.Create(CultureInfo.InvariantCulture, $"finding sources on {chipJobs.Length} chips of {allExposures.Count} images ({(catfile is null ? options.Detector.ToString().ToLowerInvariant() + " detector" : "user catalogs")})"));
        // At most one chip's pixels per worker: the thread count is capped (the thread pool may otherwise add threads
        // beyond the cores while chips are long-running). The result does not depend on it (chips are independent).
        var po = new ParallelOptions { MaxDegreeOfParallelism = options.NumCores ?? Environment.ProcessorCount };
        Exception? failure = null;
        Parallel.For(0, chipJobs.Length, po, k =>
        {
            try
            {
                Exposure e = allExposures[chipJobs[k].ei];
                Chip c = e.Chips[chipJobs[k].ci];
                if (catfile is not null && TryCatalogFor(catfile, e, chipJobs[k].ci, out string? catPath))
                {
                    chipCats[k] = UserCatalog.Read(catPath!, c);
                }
                else
                {
                    chipCats[k] = Detect(e, chipJobs[k].ci, options);

                    // The chip's pixels and the finder's work arrays are garbage now: return them before the next chip
                    // (large-object garbage otherwise piles up for several chips before a full collection).
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
                }
            }
            catch (Exception ex) when (ex is TweakRegException or SourceFinderException or IOException)
            {
                Interlocked.CompareExchange(ref failure, ex, null);
            }
        });
        if (failure is not null)
        {
            throw failure is TweakRegException t ? t : new TweakRegException(failure.Message, failure);
        }

        int at = 0;
        var withCats = new List<Input>();
        for (int i = 0; i < allExposures.Count; i++)
        {
            Exposure e = allExposures[i];
            var cats = chipCats.Skip(at).Take(e.Chips.Count).ToList();
            at += e.Chips.Count;
            string path = i < inputs.Count ? inputs[i].Path : Path.GetFullPath(options.RefImage!);
            var input = new Input(path, e, cats);
            withCats.Add(input);
            log(string.Create(CultureInfo.InvariantCulture, $"  {input.FileName}: {input.Sources} sources ({string.Join(" + ", cats.Select(c => c.X.Length))})"));
            if (input.Sources < options.MinObj)
            {
                string why = input.Sources == 0 ? NoSourceReason(e, options) : $"only {input.Sources} usable source{(input.Sources == 1 ? string.Empty : "s")}";
                throw new TweakRegException($"{input.FileName}: {why}, fewer than minobj = {options.MinObj}; it cannot be aligned");
            }
        }

        Input? reference = refcat is not null ? null : outsideRef ? withCats[^1] : withCats[refIndex];

        // The reference tangent plane.
        IEnumerable<Chip> frameChips = refImage is not null ? refImage.Chips : inputs.SelectMany(i => i.Exposure.Chips);
        (FitsWcs frame, int fw, int fh) = MakeFrame(frameChips.ToList(), (refImage ?? inputs[0].Exposure).Chips[0]);
        double scale = frame.PixelScale(frame.Crpix1 - 1, frame.Crpix2 - 1);

        // The reference catalog in the frame.
        var rx = new List<double>();
        var ry = new List<double>();
        var rf = new List<double>();
        string refName;
        if (refcat is not null)
        {
            foreach (SkySource s in refcat)
            {
                (double x, double y) = frame.WorldToPixel(s.Ra, s.Dec);
                if (double.IsFinite(x) && double.IsFinite(y))
                {
                    rx.Add(x);
                    ry.Add(y);
                    rf.Add(s.Flux);
                }
            }

            refName = options.RefCat is { } rcName ? Path.GetFileName(rcName) : "reference catalog";
        }
        else
        {
            MatchCatalog rcat = ToFrame(reference!, frame);
            rx.AddRange(rcat.X);
            ry.AddRange(rcat.Y);
            rf.AddRange(rcat.Flux);
            refName = reference!.FileName;
        }

        log(string.Create(CultureInfo.InvariantCulture, $"reference: {refName} ({rx.Count} sources); frame {fw}x{fh} px of {scale:0.#####}\""));

        // Order of alignment.
        var order = Enumerable.Range(0, inputs.Count).Where(i => refcat is not null || i != refIndex).ToList();
        if (!options.EnforceUserOrder)
        {
            // As TweakReg: the largest footprint overlap with the reference catalog first (footprints are the
            // convex hulls of the sources in the reference frame); ties keep the input order.
            List<(double X, double Y)> refHull = Footprint.ConvexHull(rx.ToArray(), ry.ToArray());
            order = order.OrderByDescending(i =>
            {
                MatchCatalog c = ToFrame(withCats[i], frame);
                return Footprint.OverlapArea(Footprint.ConvexHull(c.X, c.Y), refHull);
            }).ThenBy(i => i).ToList();
        }

        var results = new TweakRegImage?[inputs.Count];
        var matchOptions = new MatchOptions
        {
            Strategy = options.Use2DHist ? MatchStrategy.Auto : MatchStrategy.Tolerance,
            FitGeometry = options.FitGeometry,
            SearchRadius = options.SearchRadiusPixels(scale),
            Tolerance = options.Tolerance,
            Separation = options.Separation,
            XOffset = -options.XOffset,
            YOffset = -options.YOffset,
            MinObj = options.MinObj,
        };
        var fitOptions = new FitOptions
        {
            FitGeometry = options.FitGeometry,
            NClip = options.NClip,
            Sigma = options.Sigma,
            MinObj = options.MinObj,
            Center = (frame.Crpix1 - 1, frame.Crpix2 - 1),
        };

        var queue = new List<int>(order);
        for (int pass = 0; pass < (options.ExpandRefCat ? 2 : 1) && queue.Count > 0; pass++)
        {
            var retry = new List<int>();
            foreach (int i in queue)
            {
                var refCat = new MatchCatalog(rx.ToArray(), ry.ToArray(), rf.ToArray());
                TweakRegImage r = AlignOne(withCats[i], refCat, frame, matchOptions, fitOptions);
                results[i] = r;
                log(string.Create(CultureInfo.InvariantCulture, $"  {r.FileName}: {r.Message}"));
                if (r.Status == TweakRegStatus.Failed)
                {
                    retry.Add(i);
                    continue;
                }

                if (options.ExpandRefCat)
                {
                    Expand(r, rx, ry, rf);
                }
            }

            queue = retry;
        }

        if (reference is not null && refIndex >= 0)
        {
            Input ri0 = withCats[refIndex];
            results[refIndex] = new TweakRegImage(ri0.Path, ri0.FileName, TweakRegStatus.Reference, "reference image", ri0.Chips.Select(c => c.X.Length).ToList(),
                ri0.Exposure.Chips.Select(c => c.ExtVer).ToList(), null, null, ri0.Exposure.Chips.Select(c => c.Wcs).ToList(), ToFrame(ri0, frame), ToFrame(ri0, frame), [], []);
        }

        var images = results.Select((r, i) => WithChips(r!, withCats[i], frame)).ToList();
        bool updated = false;
        if (options.UpdateHeader)
        {
            var failed = images.Where(i => i.Status == TweakRegStatus.Failed).ToList();
            if (failed.Count > 0)
            {
                log($"headers NOT updated: {failed.Count} image{(failed.Count == 1 ? string.Empty : "s")} could not be aligned ({string.Join(", ", failed.Select(f => f.FileName))})");
            }
            else
            {
                UpdateHeaders(images, inputs, frame, options, log);
                updated = true;
            }
        }

        return new TweakRegResult(frame, fw, fh, refName, rx.Count, images, updated, options);
    }

    /// <summary>The file name without folder and <c>.fits</c>/<c>.fits.gz</c>: TweakReg's root in plot and catalog names.</summary>
    /// <param name="fileName">A file name or path.</param>
    /// <returns>The root.</returns>
    public static string RootName(string fileName)
    {
        string name = Path.GetFileName(fileName ?? string.Empty);
        foreach (string ext in new[] { ".fits.gz", ".fits", ".fit", ".fts" })
        {
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
            {
                return name[..^ext.Length];
            }
        }

        return name;
    }

    private static TweakRegImage AlignOne(Input input, MatchCatalog reference, FitsWcs frame, MatchOptions mo, FitOptions fo)
    {
        MatchCatalog cat = ToFrame(input, frame);
        var chipSources = input.Chips.Select(c => c.X.Length).ToList();
        var extVers = input.Exposure.Chips.Select(c => c.ExtVer).ToList();
        var oldWcs = input.Exposure.Chips.Select(c => c.Wcs).ToList();
        MatchResult m = CatalogMatcher.Match(cat, reference, mo);
        if (m.Status != MatchStatus.Success)
        {
            return new TweakRegImage(input.Path, input.FileName, TweakRegStatus.Failed, "matching failed: " + m.Message, chipSources, extVers, m, null, oldWcs, cat, reference, [], []);
        }

        int n = m.Pairs.Count;
        var xi = new double[n];
        var yi = new double[n];
        var xr = new double[n];
        var yr = new double[n];
        for (int k = 0; k < n; k++)
        {
            xi[k] = cat.X[m.Pairs[k].InIndex];
            yi[k] = cat.Y[m.Pairs[k].InIndex];
            xr[k] = reference.X[m.Pairs[k].RefIndex];
            yr[k] = reference.Y[m.Pairs[k].RefIndex];
        }

        FitResult f = LinearFitter.Fit(xi, yi, xr, yr, default, fo);
        if (f.Status != FitStatus.Success)
        {
            return new TweakRegImage(input.Path, input.FileName, TweakRegStatus.Failed, "fit failed: " + f.Message, chipSources, extVers, m, f, oldWcs, cat, reference, xi, yi);
        }

        IReadOnlyList<CorrectedWcs> corrected;
        try
        {
            corrected = WcsCorrection.ApplyToExposure(input.Exposure.Chips.Select(c => (c.Wcs, c.Width, c.Height)).ToList(), frame, f.Transform);
        }
        catch (WcsFitException e)
        {
            return new TweakRegImage(input.Path, input.FileName, TweakRegStatus.Failed, "the correction cannot be applied: " + e.Message, chipSources, extVers, m, f, oldWcs, cat, reference, xi, yi);
        }

        double mas = f.FitRms * frame.PixelScale(frame.Crpix1 - 1, frame.Crpix2 - 1) * 1000.0;
        string msg = string.Create(CultureInfo.InvariantCulture,
            $"{m.NMatch} matches ({m.Strategy}), {f.NMatch} in the fit; XSH {f.XSh:0.0000} YSH {f.YSh:0.0000} ROT {f.Rot:0.000000} SCALE {f.Scale:0.000000}; rms {mas:0.00} mas");
        return new TweakRegImage(input.Path, input.FileName, TweakRegStatus.Aligned, msg, chipSources, extVers, m, f, corrected.Select(c => c.Wcs).ToList(), cat, reference, xi, yi);
    }

    private static void Expand(TweakRegImage r, List<double> rx, List<double> ry, List<double> rf)
    {
        var matched = new HashSet<int>(r.Match!.Pairs.Select(p => p.InIndex));
        Affine2D t = r.Fit!.Transform;
        for (int k = 0; k < r.Catalog.Count; k++)
        {
            if (!matched.Contains(k))
            {
                (double x, double y) = t.Apply(r.Catalog.X[k], r.Catalog.Y[k]);
                rx.Add(x);
                ry.Add(y);
                rf.Add(r.Catalog.HasFlux ? r.Catalog.Flux[k] : 0);
            }
        }
    }

    private static void UpdateHeaders(List<TweakRegImage> images, List<Input> inputs, FitsWcs frame, TweakRegOptions options, Action<string> log)
    {
        var hopts = new HeaderUpdateOptions { WcsName = options.WcsName.Trim(), ReuseName = options.ReuseName };
        var plans = new List<(string Path, List<(int Hdu, FitsWcs Wcs)> Chips, FitRecord Record)>();
        for (int i = 0; i < images.Count; i++)
        {
            TweakRegImage im = images[i];
            FitRecord record = im.Status == TweakRegStatus.Reference
                ? new FitRecord(0, 0, 0, $"TweakDrizzle: reference image of the alignment; WCS '{hopts.WcsName}' is the original one")
                : FitRecord.FromFit(im.Fit!, frame, hopts.WcsName);
            var chips = new List<(int, FitsWcs)>();
            using (FitsFile file = FitsFile.Open(im.Path))
            {
                for (int c = 0; c < im.Wcs.Count; c++)
                {
                    Chip chip = inputs[i].Exposure.Chips[c];
                    FitsHdu hdu = file.Find("SCI", chip.ExtVer) ?? file.FirstImage ?? throw new TweakRegException($"{im.FileName} has no SCI,{chip.ExtVer}");
                    FitsWcs w = im.Wcs[c];

                    // Dry run on a copy: every check of the header update happens before any file is written.
                    try
                    {
                        HeaderUpdater.Update(hdu.Header.Clone(), w, record, hopts);
                    }
                    catch (WcsFitException e)
                    {
                        throw new TweakRegException($"{im.FileName}[SCI,{chip.ExtVer}]: {e.Message}; no header was updated", e);
                    }

                    chips.Add((hdu.Index, w));
                }
            }

            plans.Add((im.Path, chips, record));
        }

        for (int i = 0; i < plans.Count; i++)
        {
            (string path, List<(int Hdu, FitsWcs Wcs)> chips, FitRecord record) = plans[i];
            string wcsType = images[i].Status == TweakRegStatus.Reference ? "not aligned: reference" : "user-defined";
            WriteHeaders(path, chips, record, hopts, wcsType);
        }

        log(string.Create(CultureInfo.InvariantCulture, $"headers updated: WCSNAME '{hopts.WcsName}' in {plans.Sum(p => p.Chips.Count)} SCI extensions of {plans.Count} files"));
    }

    private static void CheckWritable(string path)
    {
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            throw new TweakRegException($"{Path.GetFileName(path)} is compressed: its header cannot be updated (uncompress it or leave out --updatehdr)");
        }

        var info = new FileInfo(path);
        bool readOnly = info.IsReadOnly;
        if (!OperatingSystem.IsWindows())
        {
            readOnly |= (File.GetUnixFileMode(path) & UnixFileMode.UserWrite) == 0;
        }

        if (readOnly)
        {
            throw new TweakRegException($"{Path.GetFileName(path)} is read-only: its header cannot be updated (nothing was changed)");
        }

        string dir = Path.GetDirectoryName(path)!;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(dir) & UnixFileMode.UserWrite) == 0)
        {
            throw new TweakRegException($"the folder of {Path.GetFileName(path)} is read-only: its header cannot be updated (nothing was changed)");
        }
    }

    private static void CheckName(Exposure e, TweakRegOptions options)
    {
        if (options.ReuseName)
        {
            return;
        }

        foreach (Chip c in e.Chips)
        {
            if (FitsWcs.FindByName(c.Header, options.WcsName.Trim()) is char key)
            {
                string where = key == ' ' ? "the primary WCS" : $"alternate WCS '{key}'";
                throw new TweakRegException($"{c.Name} already has WCSNAME '{options.WcsName.Trim()}' ({where}): choose another --wcsname or give --reusename");
            }
        }
    }

    private static string NoSourceReason(Exposure e, TweakRegOptions options)
    {
        long good = 0;
        for (int i = 0; i < e.Chips.Count; i++)
        {
            good += e.ReadChip(i, Pixels).GoodPixels(options.DqBits).Count(g => g);
        }

        return good == 0 ? "no usable pixels (all NaN or flagged in DQ)" : "no usable stars found (none above the threshold, or all saturated)";
    }

    private static ChipCatalog Detect(Exposure e, int chipIndex, TweakRegOptions o)
    {
        Chip chip = e.ReadChip(chipIndex, Pixels);
        bool[] good = chip.GoodPixels(o.DqBits);
        if (!good.Contains(true))
        {
            return new ChipCatalog([], [], []);
        }

        bool[] bad = Array.ConvertAll(good, g => !g);
        var image = new DetectionImage(chip.Sci, chip.Width, chip.Height, bad);
        double fwhm = o.ConvWidth / 2.0;
        double? saturate = o.PeakMax ?? (e.Units == DataUnits.Counts ? Saturation(chip.Header, e.PrimaryHeader) : null);
        SourceFinder.SourceCatalog cat = o.Detector switch
        {
            StarDetector.Dao => SourceFinderModes.DaoWithSky(image, new DaoStarFinderOptions { Fwhm = fwhm, Threshold = 1.0 }, o.Threshold),
            StarDetector.TweakReg => new TweakRegStarFinder(new TweakRegFinderOptions
            {
                ConvWidth = o.ConvWidth,
                Threshold = o.Threshold,
                PeakMin = o.PeakMin,
                PeakMax = o.PeakMax,
            }).Find(image),
            _ => new RefinedStarFinder(new RefinedStarFinderOptions { Fwhm = fwhm, NSigma = o.Threshold, DataMax = saturate }).Find(image),
        };
        var x = new List<double>();
        var y = new List<double>();
        var f = new List<double>();
        foreach (DetectedSource s in cat.Sources)
        {
            if ((s.Flags & (SourceQuality.FitFailed | SourceQuality.Saturated)) != 0 || !double.IsFinite(s.X) || !double.IsFinite(s.Y))
            {
                continue;
            }

            if ((o.PeakMin is { } pmin && !(s.Peak > pmin)) || (o.PeakMax is { } pmax && !(s.Peak < pmax)))
            {
                continue;
            }

            x.Add(s.X);
            y.Add(s.Y);
            f.Add(double.IsFinite(s.Flux) ? s.Flux : 0);
        }

        return new ChipCatalog([.. x], [.. y], [.. f]);
    }

    private static double? Saturation(FitsHeader chip, FitsHeader primary) =>
        chip.TryGetDouble("SATURATE", out double s) && s > 0 ? s : primary.TryGetDouble("SATURATE", out double p) && p > 0 ? p : null;

    private static void WriteHeaders(string path, List<(int Hdu, FitsWcs Wcs)> chips, FitRecord record, HeaderUpdateOptions hopts, string wcsType)
    {
        // HeaderUpdater's update of every chip, plus TweakReg's WCSTYPE right after WCSNAME; one atomic write per file.
        using FitsFile file = FitsFile.Open(path);
        var copies = file.Hdus.Select(FitsWriteHdu.Copy).ToList();

        foreach ((int hdu, FitsWcs wcs) in chips)
        {
            FitsHeader h = copies[hdu].Header;
            HeaderUpdater.Update(h, wcs, record, hopts);
            h.Remove("WCSTYPE");
            h.InsertAfter("WCSNAME", "WCSTYPE", wcsType, "coordinate system type");
        }

        FitsWriter.Write(path, copies);
    }

    private static TweakRegImage WithChips(TweakRegImage im, Input input, FitsWcs frame)
    {
        // The same walk as ToFrame: IDs run over every chip's sources in SCI order (1-based), and the
        // sources that do not land in the frame are skipped there, so the catalog keeps their IDs.
        var ids = new List<int>();
        var extVers = new List<int>();
        var chips = new List<MatchCatalog>();
        int id = 0;
        for (int c = 0; c < input.Chips.Count; c++)
        {
            FitsWcs w = input.Exposure.Chips[c].Wcs;
            ChipCatalog cc = input.Chips[c];
            chips.Add(new MatchCatalog(cc.X, cc.Y, cc.Flux));
            for (int k = 0; k < cc.X.Length; k++)
            {
                id++;
                (double ra, double dec) = w.PixelToWorld(cc.X[k], cc.Y[k]);
                (double u, double v) = frame.WorldToPixel(ra, dec);
                if (double.IsFinite(u) && double.IsFinite(v))
                {
                    ids.Add(id);
                    extVers.Add(input.Exposure.Chips[c].ExtVer);
                }
            }
        }

        return im with { ChipCatalogs = chips, SourceIds = ids, SourceExtVers = extVers };
    }

    private static MatchCatalog ToFrame(Input input, FitsWcs frame)
    {
        var x = new List<double>();
        var y = new List<double>();
        var f = new List<double>();
        for (int c = 0; c < input.Chips.Count; c++)
        {
            FitsWcs w = input.Exposure.Chips[c].Wcs;
            ChipCatalog cc = input.Chips[c];
            for (int k = 0; k < cc.X.Length; k++)
            {
                (double ra, double dec) = w.PixelToWorld(cc.X[k], cc.Y[k]);
                (double u, double v) = frame.WorldToPixel(ra, dec);
                if (double.IsFinite(u) && double.IsFinite(v))
                {
                    x.Add(u);
                    y.Add(v);
                    f.Add(cc.Flux[k]);
                }
            }
        }

        return new MatchCatalog([.. x], [.. y], [.. f]);
    }

    private static (FitsWcs Frame, int Width, int Height) MakeFrame(List<Chip> chips, Chip orient)
    {
        // Tangent point: the mean direction of the chip centres.
        double sx = 0, sy = 0, sz = 0;
        foreach (Chip c in chips)
        {
            (double ra, double dec) = c.Wcs.PixelToWorld((c.Width - 1) / 2.0, (c.Height - 1) / 2.0);
            double a = ra * Math.PI / 180, d = dec * Math.PI / 180;
            sx += Math.Cos(d) * Math.Cos(a);
            sy += Math.Cos(d) * Math.Sin(a);
            sz += Math.Sin(d);
        }

        double ra0 = Math.Atan2(sy, sx) * 180 / Math.PI;
        ra0 = ra0 < 0 ? ra0 + 360 : ra0;
        double dec0 = Math.Atan2(sz, Math.Sqrt((sx * sx) + (sy * sy))) * 180 / Math.PI;
        (double ox, double oy) = ((orient.Width - 1) / 2.0, (orient.Height - 1) / 2.0);
        double scale = orient.Wcs.PixelScale(ox, oy);
        FitsWcs t = FitsWcs.CreateTan(ra0, dec0, 1, 1, scale, orient.Wcs.Orientation(ox, oy));
        double minx = double.MaxValue, miny = double.MaxValue, maxx = double.MinValue, maxy = double.MinValue;
        foreach (Chip c in chips)
        {
            foreach ((double px, double py) in new[] { (-0.5, -0.5), (c.Width - 0.5, -0.5), (-0.5, c.Height - 0.5), (c.Width - 0.5, c.Height - 0.5) })
            {
                (double ra, double dec) = c.Wcs.PixelToWorld(px, py);
                (double u, double v) = t.WorldToPixel(ra, dec);
                minx = Math.Min(minx, u);
                miny = Math.Min(miny, v);
                maxx = Math.Max(maxx, u);
                maxy = Math.Max(maxy, v);
            }
        }

        double fx = Math.Floor(minx), fy = Math.Floor(miny);
        FitsWcs frame = t.WithReferencePixel(1 - fx, 1 - fy).WithName("TWEAKREG-FRAME");
        return (frame, (int)Math.Ceiling(maxx - fx) + 1, (int)Math.Ceiling(maxy - fy) + 1);
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadCatFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new TweakRegException($"catfile {path} does not exist");
        }

        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in File.ReadLines(path))
        {
            string t = line.Trim();
            if (t.Length == 0 || t.StartsWith('#'))
            {
                continue;
            }

            string[] f = t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 2)
            {
                throw new TweakRegException($"catfile {path}: the line '{t}' names an image but no catalog");
            }

            map[Path.GetFileName(f[0])] = f.Skip(1).Select(c => Path.IsPathRooted(c) ? c : Path.Combine(dir, c)).ToList();
        }

        return map;
    }

    private static bool TryCatalogFor(IReadOnlyDictionary<string, IReadOnlyList<string>> catfile, Exposure e, int chip, out string? path)
    {
        path = null;
        if (e.Path is null || !catfile.TryGetValue(Path.GetFileName(e.Path), out IReadOnlyList<string>? cats))
        {
            return false;
        }

        if (chip >= cats.Count)
        {
            throw new TweakRegException($"catfile: {Path.GetFileName(e.Path)} has {e.Chips.Count} chips but {cats.Count} catalog{(cats.Count == 1 ? string.Empty : "s")}");
        }

        path = cats[chip];
        return true;
    }

    /// <summary>User catalogs (<c>catfile</c>): CSV with a header (<c>x,y[,flux]</c>, 0-based) or TweakReg's whitespace
    /// <c>.coo</c> text (X Y [Flux] in the first columns, 1-based FITS pixels).</summary>
    private static class UserCatalog
    {
        public static ChipCatalog Read(string path, Chip chip)
        {
            if (!File.Exists(path))
            {
                throw new TweakRegException($"catalog {path} (for {chip.Name}) does not exist");
            }

            var x = new List<double>();
            var y = new List<double>();
            var f = new List<double>();
            if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                MatchCatalog c;
                try
                {
                    c = MatchCatalog.ReadCsv(path);
                }
                catch (MatchingException e)
                {
                    throw new TweakRegException($"catalog {path}: {e.Message}", e);
                }

                x.AddRange(c.X);
                y.AddRange(c.Y);
                f.AddRange(c.HasFlux ? c.Flux.ToArray() : new double[c.Count]);
            }
            else
            {
                int n = 0;
                foreach (string line in File.ReadLines(path))
                {
                    n++;
                    string t = line.Trim();
                    if (t.Length == 0 || t.StartsWith('#'))
                    {
                        continue;
                    }

                    string[] p = t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    if (p.Length < 2 || !double.TryParse(p[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double px) ||
                        !double.TryParse(p[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double py))
                    {
                        throw new TweakRegException($"catalog {path} line {n}: expected X Y [FLUX] numbers");
                    }

                    double pf = p.Length > 2 && double.TryParse(p[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : 0;
                    x.Add(px - 1);
                    y.Add(py - 1);
                    f.Add(pf);
                }
            }

            var keep = Enumerable.Range(0, x.Count).Where(k => double.IsFinite(x[k]) && double.IsFinite(y[k])).ToList();
            return new ChipCatalog([.. keep.Select(k => x[k])], [.. keep.Select(k => y[k])], [.. keep.Select(k => f[k])]);
        }
    }
}
