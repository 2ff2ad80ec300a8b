namespace TweakDrizzle.SourceFinder;

/// <summary>Options of <see cref="RefinedStarFinder"/>.</summary>
public sealed record RefinedStarFinderOptions
{
    /// <summary>PSF full width at half maximum, pixels (required).</summary>
    public required double Fwhm { get; init; }

    /// <summary>Detection threshold: the matched-filter S/N a peak must exceed (default 5).</summary>
    public double NSigma { get; init; } = 5.0;

    /// <summary>
    /// Pixel noise σ in data units. Null (default): taken from the background mesh, so it follows non-flat noise.
    /// </summary>
    public double? Sigma { get; init; }

    /// <summary>Estimate and subtract a mesh background first (default true). Off: the image must be sky-subtracted.</summary>
    public bool SubtractBackground { get; init; } = true;

    /// <summary>Background mesh options.</summary>
    public BackgroundMeshOptions Background { get; init; } = new();

    /// <summary>
    /// Saturation level in the input's data units (null: none). Pixels at or above it are left out of the fits and
    /// stars that reach it are kept with the <see cref="SourceQuality.Saturated"/> flag.
    /// </summary>
    public double? DataMax { get; init; }

    /// <summary>Minimum separation of two peaks in pixels (default: max(2, FWHM)).</summary>
    public double? MinSeparation { get; init; }

    /// <summary>Reject hot pixels and cosmic rays by their shape (default true).</summary>
    public bool RejectArtifacts { get; init; } = true;

    /// <summary>
    /// Smallest accepted minor-axis size of a source relative to the PSF (windowed second moments), when the
    /// measurement is significant (default 0.6).
    /// </summary>
    public double MinWidthRatio { get; init; } = 0.6;

    /// <summary>Largest accepted ellipticity (1 − minor/major of the intrinsic moments) when significant (default 0.5).</summary>
    public double MaxEllipticity { get; init; } = 0.5;

    /// <summary>
    /// Outlier rejection in the PSF fit (default 5; 0 = off): after the first fit of an accepted source, pixels whose
    /// residual stands above the median residual of their 8 neighbours by more than this many σ (σ² = pixel noise² +
    /// source Poisson + (0.1·local light)²) are left out and the source is refitted, so a cosmic-ray hit or hot pixel on
    /// a star does not pull its centroid, while smooth PSF-model mismatch is left alone. Sources so treated carry
    /// <see cref="SourceQuality.PixelsRejected"/>. It does not change which sources are detected.
    /// </summary>
    public double ClipSigma { get; init; } = 5.0;

    /// <summary>Detector gain in e⁻ per data unit for the Poisson part of the flux error (null: background noise only).</summary>
    public double? Gain { get; init; }

    /// <summary>Keep only the N sources with the largest flux (null: all).</summary>
    public int? Brightest { get; init; }
}

/// <summary>
/// The refined detector, the default for alignment: mesh background, a pixel-integrated Gaussian matched filter
/// (the optimal linear detector for a known PSF), local maxima above <c>NSigma</c> in units of the filter noise,
/// a least-squares fit of the pixel-integrated PSF on each cutout (flux, x, y: no pixel-phase bias), and
/// rejection of hot pixels and cosmic-ray tracks by windowed second moments.
/// </summary>
/// <remarks>
/// Catalog order is decreasing flux. Deterministic: fixed bands and per-source work only.
/// Thread safe: an instance holds only immutable options.
/// </remarks>
public sealed class RefinedStarFinder
{
    /// <summary>Creates the detector.</summary>
    /// <param name="options">Options.</param>
    /// <exception cref="SourceFinderException">An option is out of range.</exception>
    public RefinedStarFinder(RefinedStarFinderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Fwhm > 0) || !double.IsFinite(options.Fwhm))
        {
            throw new SourceFinderException($"fwhm must be a positive number, got {options.Fwhm}");
        }

        if (!(options.NSigma > 0) || !double.IsFinite(options.NSigma))
        {
            throw new SourceFinderException($"the detection threshold must be a positive number of sigmas, got {options.NSigma}");
        }

        if (options.Sigma is { } s && !(s > 0))
        {
            throw new SourceFinderException($"sigma must be positive, got {s}");
        }

        if (!(options.ClipSigma >= 0) || double.IsInfinity(options.ClipSigma))
        {
            throw new SourceFinderException($"the outlier clip must be 0 (off) or a positive number of sigmas, got {options.ClipSigma}");
        }

        if (options.Brightest is < 0)
        {
            throw new SourceFinderException($"brightest must be 0 or more, got {options.Brightest}");
        }

        Options = options;
    }

    /// <summary>The options.</summary>
    public RefinedStarFinderOptions Options { get; }

    /// <summary>Finds stars.</summary>
    /// <param name="image">The image (with its sky unless <see cref="RefinedStarFinderOptions.SubtractBackground"/> is off).</param>
    /// <returns>The catalog, brightest first; empty with a message when nothing is found.</returns>
    public SourceCatalog Find(DetectionImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        RefinedStarFinderOptions o = Options;
        int nx = image.Width, ny = image.Height;
        float[] sub;
        Func<int, int, double> rmsAt;
        double skyLevel, sigmaGlobal;
        if (o.SubtractBackground)
        {
            if (!HasEnoughGoodPixels(image))
            {
                return new SourceCatalog(DetectorMode.Refined, [], double.NaN, 0, double.NaN,
                    "the image has too few usable pixels for a background estimate: no sources");
            }

            BackgroundMesh mesh = BackgroundMesh.Estimate(image, o.Background with { BoxSize = Math.Min(o.Background.BoxSize, Math.Max(4, Math.Max(nx, ny))) });
            sub = mesh.Subtract(image);
            skyLevel = mesh.GlobalBackground;
            if (o.Sigma is { } s)
            {
                sigmaGlobal = s;
                rmsAt = (_, _) => s;
            }
            else
            {
                sigmaGlobal = mesh.GlobalRms;
                rmsAt = (x, y) => mesh.RmsAt(x, y);
            }
        }
        else
        {
            skyLevel = 0;
            sub = new float[image.Data.Length];
            bool[]? m = image.BadPixels;
            for (int i = 0; i < sub.Length; i++)
            {
                float v = image.Data[i];
                sub[i] = float.IsFinite(v) && (m is null || !m[i]) ? v : 0f;
            }

            double s = o.Sigma ?? SkyStatistics.SigmaClipped(image).Std;
            sigmaGlobal = s;
            rmsAt = (_, _) => s;
        }

        if (!(sigmaGlobal > 0))
        {
            return new SourceCatalog(DetectorMode.Refined, [], double.NaN, skyLevel, sigmaGlobal,
                "the image has no measurable noise (constant or empty): no sources");
        }

        double psfSigma = o.Fwhm * StarFinderKernel.FwhmToSigma;
        int r = Math.Max(2, (int)Math.Ceiling(2.5 * psfSigma));
        double[] g = MatchedFilter.Taps(psfSigma, r);
        double g2 = g.Sum(v => v * v);
        double norm = g2;                          // Σ P² of the 2-D profile = (Σ g²)²; sqrt = g2
        float[] filt = MatchedFilter.Apply(sub, nx, ny, g);

        bool[]? bad = image.CombinedBadMap();
        double minSep = o.MinSeparation ?? Math.Max(2.0, o.Fwhm);
        List<(int X, int Y)> peaks = FindPeaks(filt, nx, ny, bad, minSep, o.NSigma * norm, rmsAt, sigmaGlobal);
        if (peaks.Count == 0)
        {
            return new SourceCatalog(DetectorMode.Refined, [], o.NSigma * sigmaGlobal, skyLevel, sigmaGlobal,
                "no sources were found above the threshold");
        }

        var results = new DetectedSource?[peaks.Count];
        // Poisson factor (data units per count) for the fit weights: 1/gain when given; otherwise, for an image that
        // still holds a clearly positive sky, the upper bound σ²/sky (read noise ignored); else 0 (uniform weights).
        double poisson = o.Gain is { } gn && gn > 0 ? 1.0 / gn
            : o.SubtractBackground && skyLevel > 3 * sigmaGlobal ? sigmaGlobal * sigmaGlobal / skyLevel : 0.0;
        var fitter = new PsfFitter(psfSigma, Math.Max(3, (int)Math.Ceiling(1.5 * o.Fwhm)), poisson);
        Parallel.For(0, (peaks.Count + 255) / 256, chunk =>
        {
            for (int k = chunk * 256; k < Math.Min(peaks.Count, (chunk + 1) * 256); k++)
            {
                (int px, int py) = peaks[k];
                results[k] = fitter.Measure(image, sub, filt, nx, ny, px, py, rmsAt(px, py), norm, o);
            }
        });

        List<DetectedSource> kept = Deduplicate([.. results.Where(s => s is not null).Select(s => s!)], 0.5 * o.Fwhm);
        kept.Sort((a, b) =>
        {
            int c = b.Flux.CompareTo(a.Flux);
            if (c != 0)
            {
                return c;
            }

            c = a.Y.CompareTo(b.Y);
            return c != 0 ? c : a.X.CompareTo(b.X);
        });
        if (o.Brightest is { } nb && kept.Count > nb)
        {
            kept = kept.GetRange(0, nb);
        }

        for (int i = 0; i < kept.Count; i++)
        {
            kept[i] = kept[i] with { Id = i + 1 };
        }

        string? message = kept.Count == 0 ? "peaks were found, but none passed the artifact and fit checks" : null;
        return new SourceCatalog(DetectorMode.Refined, kept, o.NSigma * sigmaGlobal, skyLevel, sigmaGlobal, message);
    }

    private static bool HasEnoughGoodPixels(DetectionImage image)
    {
        int good = 0;
        for (int i = 0; i < image.Data.Length && good < 16; i++)
        {
            if (image.IsGood(i))
            {
                good++;
            }
        }

        return good >= 16;
    }

    /// <summary>
    /// Local maxima of the matched-filter image over a disk of radius <paramref name="minSep"/> whose S/N exceeds the
    /// threshold; ties go to the first pixel in raster order. Bad pixels are never peaks.
    /// </summary>
    private static List<(int X, int Y)> FindPeaks(float[] filt, int nx, int ny, bool[]? bad, double minSep, double thrScaled,
        Func<int, int, double> rmsAt, double sigmaGlobal)
    {
        int rr = (int)Math.Floor(minSep);
        var fp = new List<(int Dx, int Dy)>();
        for (int dy = -rr; dy <= rr; dy++)
        {
            for (int dx = -rr; dx <= rr; dx++)
            {
                if ((dx != 0 || dy != 0) && (dx * dx) + (dy * dy) <= minSep * minSep)
                {
                    fp.Add((dx, dy));
                }
            }
        }

        (int Dx, int Dy)[] footprint = [.. fp];

        // Pre-screen with a low bound of the local noise (half the global value), then test exactly.
        float pre = (float)(thrScaled * sigmaGlobal * 0.5);
        return RasterScan.Collect(ny, (y, list) =>
        {
            int row = y * nx;
            for (int x = 0; x < nx; x++)
            {
                float v = filt[row + x];
                if (!(v > pre) || (bad is not null && bad[row + x]))
                {
                    continue;
                }

                bool isMax = true;
                foreach ((int dx, int dy) in footprint)
                {
                    int xx = x + dx, yy = y + dy;
                    if (xx < 0 || xx >= nx || yy < 0 || yy >= ny)
                    {
                        continue;
                    }

                    float w = filt[(yy * nx) + xx];
                    bool before = dy < 0 || (dy == 0 && dx < 0);
                    if (w > v || (before && w == v))
                    {
                        isMax = false;
                        break;
                    }
                }

                if (isMax && v > thrScaled * rmsAt(x, y))
                {
                    list.Add((x, y));
                }
            }
        });
    }

    /// <summary>Drops the fainter of two sources whose fitted positions are closer than <paramref name="radius"/>.</summary>
    private static List<DetectedSource> Deduplicate(List<DetectedSource> sources, double radius)
    {
        var order = Enumerable.Range(0, sources.Count).ToArray();
        Array.Sort(order, (a, b) =>
        {
            int c = sources[b].Snr.CompareTo(sources[a].Snr);
            return c != 0 ? c : a.CompareTo(b);
        });
        double cell = Math.Max(1.0, radius);
        var grid = new Dictionary<(long, long), List<int>>();
        var keep = new List<DetectedSource>(sources.Count);
        double r2 = radius * radius;
        foreach (int i in order)
        {
            DetectedSource s = sources[i];
            long cx = (long)Math.Floor(s.X / cell), cy = (long)Math.Floor(s.Y / cell);
            bool dup = false;
            for (long gy = cy - 1; gy <= cy + 1 && !dup; gy++)
            {
                for (long gx = cx - 1; gx <= cx + 1 && !dup; gx++)
                {
                    if (grid.TryGetValue((gx, gy), out List<int>? list))
                    {
                        foreach (int j in list)
                        {
                            double dx = sources[j].X - s.X, dy = sources[j].Y - s.Y;
                            if ((dx * dx) + (dy * dy) < r2)
                            {
                                dup = true;
                                break;
                            }
                        }
                    }
                }
            }

            if (dup)
            {
                continue;
            }

            if (!grid.TryGetValue((cx, cy), out List<int>? cellList))
            {
                cellList = [];
                grid[(cx, cy)] = cellList;
            }

            cellList.Add(i);
            keep.Add(s);
        }

        return keep;
    }
}
