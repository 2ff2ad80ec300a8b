namespace TweakDrizzle.Diagnostics.Reports;

/// <summary>Alignment figures of one image in a QA report.</summary>
public sealed record QaImageRow
{
    /// <summary>The image's name.</summary>
    public required string Name { get; init; }

    /// <summary>The fit geometry, or null (for the reference image, for example).</summary>
    public string? FitGeometry { get; init; }

    /// <summary>Matched sources used in the fit.</summary>
    public int Matches { get; init; }

    /// <summary>RMS of the x residuals (pixels).</summary>
    public double XRms { get; init; } = double.NaN;

    /// <summary>RMS of the y residuals (pixels).</summary>
    public double YRms { get; init; } = double.NaN;

    /// <summary>RMS along right ascension (arcsec).</summary>
    public double RmsRa { get; init; } = double.NaN;

    /// <summary>RMS along declination (arcsec).</summary>
    public double RmsDec { get; init; } = double.NaN;

    /// <summary>Fitted x shift (pixels).</summary>
    public double XShift { get; init; } = double.NaN;

    /// <summary>Fitted y shift (pixels).</summary>
    public double YShift { get; init; } = double.NaN;

    /// <summary>Fitted rotation (degrees).</summary>
    public double Rotation { get; init; } = double.NaN;

    /// <summary>Fitted scale.</summary>
    public double Scale { get; init; } = double.NaN;

    /// <summary>Outcome in a word or two: "aligned", "reference", "failed: ...".</summary>
    public string Status { get; init; } = "aligned";

    /// <summary>A row with the name, fit geometry, match count and RMS figures of some residuals
    /// (set the shifts, rotation and scale with <c>with</c>).</summary>
    /// <param name="residuals">The fit residuals.</param>
    /// <returns>The row.</returns>
    public static QaImageRow FromResiduals(Alignment.AlignmentResiduals residuals)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        return new QaImageRow
        {
            Name = residuals.ImageName,
            FitGeometry = residuals.FitGeometry,
            Matches = residuals.X.Count,
            XRms = residuals.EffectiveXRms,
            YRms = residuals.EffectiveYRms,
            RmsRa = residuals.RmsRa,
            RmsDec = residuals.RmsDec,
        };
    }
}

/// <summary>Quality figures of one drizzle product in a QA report.</summary>
public sealed record QaProductRow
{
    /// <summary>The product's name.</summary>
    public required string Name { get; init; }

    /// <summary>Number of input images drizzled.</summary>
    public int Inputs { get; init; }

    /// <summary>The pixfrac used (NaN when unknown).</summary>
    public double Pixfrac { get; init; } = double.NaN;

    /// <summary>The drizzle kernel, or null.</summary>
    public string? Kernel { get; init; }

    /// <summary>Median weight in the central footprint.</summary>
    public double WeightMedian { get; init; } = double.NaN;

    /// <summary>Standard deviation of the weight in the central footprint.</summary>
    public double WeightRms { get; init; } = double.NaN;

    /// <summary>Zero-weight pixels inside the footprint / footprint pixels.</summary>
    public double HoleFraction { get; init; } = double.NaN;

    /// <summary>Pixels with weight &gt; 0 / all output pixels.</summary>
    public double Coverage { get; init; } = double.NaN;

    /// <summary>WeightRms / WeightMedian (DrizzlePac's guideline: below 0.2).</summary>
    public double WeightRmsOverMedian => WeightMedian > 0 ? WeightRms / WeightMedian : double.NaN;

    /// <summary>A row filled from <see cref="Drizzle.WeightStatistics"/>.</summary>
    /// <param name="name">The product's name.</param>
    /// <param name="stats">The measured statistics.</param>
    /// <returns>The row (set Inputs, Pixfrac and Kernel with <c>with</c>).</returns>
    public static QaProductRow FromStatistics(string name, Drizzle.WeightStatistics stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new QaProductRow
        {
            Name = name,
            WeightMedian = stats.Median,
            WeightRms = stats.Rms,
            HoleFraction = stats.HoleFraction,
            Coverage = stats.Coverage,
        };
    }
}

/// <summary>A plot embedded in a QA report.</summary>
/// <param name="Caption">Text under the plot.</param>
/// <param name="Png">The PNG file's bytes (embedded as base64, so the page stands alone).</param>
/// <param name="Section">Heading the plot goes under: "Alignment" and "Drizzle" plots follow their tables; other names get their own heading.</param>
public sealed record QaPlot(string Caption, byte[] Png, string Section = "Plots")
{
    /// <summary>Renders a figure to PNG for the report.</summary>
    /// <param name="caption">Text under the plot.</param>
    /// <param name="figure">The figure.</param>
    /// <param name="section">Heading the plot goes under.</param>
    /// <returns>The plot.</returns>
    /// <exception cref="Rendering.CairoNotFoundException">The cairo library is not installed.</exception>
    public static QaPlot FromFigure(string caption, Plotting.Figure figure, string section = "Plots")
    {
        ArgumentNullException.ThrowIfNull(figure);
        return new QaPlot(caption, figure.Render(Plotting.PlotFormat.Png), section);
    }
}

/// <summary>Everything one run's QA report shows. Plain data: the pipeline fills it, the writer formats it.</summary>
public sealed record QaReport
{
    /// <summary>Page title.</summary>
    public string Title { get; init; } = "TweakDrizzle QA report";

    /// <summary>Free text lines shown under the title (command line, versions, date if wanted).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Alignment figures, one row per image.</summary>
    public IReadOnlyList<QaImageRow> Images { get; init; } = [];

    /// <summary>Drizzle figures, one row per product.</summary>
    public IReadOnlyList<QaProductRow> Products { get; init; } = [];

    /// <summary>Plots to embed.</summary>
    public IReadOnlyList<QaPlot> Plots { get; init; } = [];
}
