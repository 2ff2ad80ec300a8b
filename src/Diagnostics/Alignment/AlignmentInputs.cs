namespace TweakDrizzle.Diagnostics.Alignment;

/// <summary>
/// Matched-source residuals of one aligned image, as plain arrays: what TweakReg's vector and residual plots show.
/// </summary>
/// <remarks>Positions and residuals are in pixels. TweakReg gives positions relative to CRPIX; any origin works.</remarks>
public sealed record AlignmentResiduals
{
    /// <summary>The image's name (file name, or file[ext]).</summary>
    public required string ImageName { get; init; }

    /// <summary>The fit geometry (shift, rshift, rscale, general), or null.</summary>
    public string? FitGeometry { get; init; }

    /// <summary>Horizontal positions of the matched sources (pixels).</summary>
    public required IReadOnlyList<double> X { get; init; }

    /// <summary>Vertical positions of the matched sources (pixels).</summary>
    public required IReadOnlyList<double> Y { get; init; }

    /// <summary>Residuals along x, image − fitted model (pixels).</summary>
    public required IReadOnlyList<double> Dx { get; init; }

    /// <summary>Residuals along y, image − fitted model (pixels).</summary>
    public required IReadOnlyList<double> Dy { get; init; }

    /// <summary>RMS of the x residuals as the fit reports it (pixels); NaN computes it from <see cref="Dx"/>.</summary>
    public double XRms { get; init; } = double.NaN;

    /// <summary>RMS of the y residuals as the fit reports it (pixels); NaN computes it from <see cref="Dy"/>.</summary>
    public double YRms { get; init; } = double.NaN;

    /// <summary>RMS along right ascension (arcsec), or NaN when unknown.</summary>
    public double RmsRa { get; init; } = double.NaN;

    /// <summary>RMS along declination (arcsec), or NaN when unknown.</summary>
    public double RmsDec { get; init; } = double.NaN;

    /// <summary>Sources matched before clipping (TweakReg's "N/N"), or 0 when unknown.</summary>
    public int TotalMatches { get; init; }

    /// <summary>Fixed ± limit of the residual axes (TweakReg's <c>ylimit</c>), or NaN to fit the data.</summary>
    public double YLimit { get; init; } = double.NaN;

    /// <summary>Checks that the four arrays have the same length.</summary>
    /// <exception cref="ArgumentException">They do not.</exception>
    public void Validate()
    {
        if (X is null || Y is null || Dx is null || Dy is null)
        {
            throw new ArgumentException($"Residuals of '{ImageName}' need the arrays x, y, dx and dy.");
        }

        if (Y.Count != X.Count || Dx.Count != X.Count || Dy.Count != X.Count)
        {
            throw new ArgumentException(
                $"Residuals of '{ImageName}' have arrays of different lengths (x {X.Count}, y {Y.Count}, dx {Dx.Count}, dy {Dy.Count}).");
        }
    }

    /// <summary>The x RMS to show: <see cref="XRms"/>, or the RMS of <see cref="Dx"/> when that is NaN.</summary>
    public double EffectiveXRms => double.IsNaN(XRms) ? Rms(Dx) : XRms;

    /// <summary>The y RMS to show: <see cref="YRms"/>, or the RMS of <see cref="Dy"/> when that is NaN.</summary>
    public double EffectiveYRms => double.IsNaN(YRms) ? Rms(Dy) : YRms;

    /// <summary>Root mean square of the finite values (NaN when there are none).</summary>
    /// <param name="values">The values.</param>
    /// <returns>sqrt(mean(v²)).</returns>
    public static double Rms(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double sum = 0;
        int n = 0;
        foreach (double v in values)
        {
            if (double.IsFinite(v))
            {
                sum += v * v;
                n++;
            }
        }

        return n == 0 ? double.NaN : Math.Sqrt(sum / n);
    }
}

/// <summary>
/// The 2-D histogram of x/y offsets between all source pairs that TweakReg uses to find the initial shift.
/// </summary>
public sealed record OffsetHistogram
{
    /// <summary>The image's name.</summary>
    public required string ImageName { get; init; }

    /// <summary>Counts, row-major: <c>Counts[row * Columns + column]</c>; row 0 holds the most negative dy.</summary>
    public required IReadOnlyList<double> Counts { get; init; }

    /// <summary>Bins along dx.</summary>
    public required int Columns { get; init; }

    /// <summary>Bins along dy.</summary>
    public required int Rows { get; init; }

    /// <summary>Lower edge of the first dx bin (pixels); TweakReg: −ceil(searchrad) − 0.5.</summary>
    public required double XMin { get; init; }

    /// <summary>Lower edge of the first dy bin (pixels).</summary>
    public required double YMin { get; init; }

    /// <summary>Bin width (pixels); TweakReg uses 1.</summary>
    public double BinSize { get; init; } = 1.0;

    /// <summary>The offset found along x (pixels), or NaN when no peak was found.</summary>
    public double PeakX { get; init; } = double.NaN;

    /// <summary>The offset found along y (pixels), or NaN when no peak was found.</summary>
    public double PeakY { get; init; } = double.NaN;

    /// <summary>Matches in the peak (TweakReg: the sum of the 5 × 5 box around it); 0 when unknown.</summary>
    public int PeakMatches { get; init; }

    /// <summary>The fit geometry, for the subtitle; or null.</summary>
    public string? FitGeometry { get; init; }

    /// <summary>A histogram with TweakReg's bins for a search radius: 2·ceil(r)+1 unit bins per axis centred on 0.</summary>
    /// <param name="imageName">The image's name.</param>
    /// <param name="counts">Row-major counts of (2·ceil(r)+1)² bins.</param>
    /// <param name="searchRadius">The search radius r in pixels.</param>
    /// <returns>The histogram (without a peak; set it with <c>with</c>).</returns>
    public static OffsetHistogram ForSearchRadius(string imageName, IReadOnlyList<double> counts, double searchRadius)
    {
        int r = (int)Math.Ceiling(searchRadius);
        int n = (2 * r) + 1;
        return new OffsetHistogram
        {
            ImageName = imageName,
            Counts = counts,
            Columns = n,
            Rows = n,
            XMin = -r - 0.5,
            YMin = -r - 0.5,
        };
    }

    /// <summary>Checks the shape.</summary>
    /// <exception cref="ArgumentException">The counts do not fill Columns × Rows bins.</exception>
    public void Validate()
    {
        if (Columns < 1 || Rows < 1 || Counts is null || Counts.Count != Columns * Rows)
        {
            throw new ArgumentException(
                $"The offset histogram of '{ImageName}' needs {Columns} × {Rows} counts, not {Counts?.Count ?? 0}.");
        }

        if (!(BinSize > 0))
        {
            throw new ArgumentException($"The offset histogram of '{ImageName}' has a bin size of {BinSize}; it must be positive.");
        }
    }
}
