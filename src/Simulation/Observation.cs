namespace TweakDrizzle.Simulation;

/// <summary>Where the telescope points: the sky position of the detector centre and the detector orientation.</summary>
/// <param name="Ra">Right ascension of the aperture reference point, the detector centre (degrees).</param>
/// <param name="Dec">Declination of the aperture reference point (degrees).</param>
/// <param name="OrientationDeg">Position angle of the detector +y axis, north through east (degrees).</param>
public readonly record struct Pointing(double Ra, double Dec, double OrientationDeg);

/// <summary>One exposure of a visit: its name, exposure time and POS TARG offset.</summary>
/// <param name="Rootname">HST-style rootname (the file is <c>&lt;rootname&gt;_flc.fits</c>).</param>
/// <param name="ExposureTime">Exposure time (seconds).</param>
/// <param name="PostArg1">POS TARG x offset (arcsec, along the detector x axis): the target moves by +PostArg1 on the detector.</param>
/// <param name="PostArg2">POS TARG y offset (arcsec, along the detector y axis).</param>
public readonly record struct DitherPosition(string Rootname, double ExposureTime, double PostArg1, double PostArg2);

/// <summary>A visit: exposures in one filter sharing one guide-star acquisition (so one pointing error).</summary>
public sealed record VisitPlan
{
    /// <summary>Visit name (e.g. j8ny01), used for logs and the truth file.</summary>
    public required string Name { get; init; }

    /// <summary>The filter of every exposure of the visit.</summary>
    public required FilterSpec Filter { get; init; }

    /// <summary>Nominal position angle of the detector +y axis (degrees, north through east).</summary>
    public double OrientationDeg { get; init; }

    /// <summary>The exposures, in order.</summary>
    public required IReadOnlyList<DitherPosition> Exposures { get; init; }
}

/// <summary>Dither patterns in POS TARG offsets (arcsec).</summary>
public static class DitherPattern
{
    /// <summary>
    /// Six POS TARG offsets: the three-point sub-pixel pattern of the DrizzlePac photometry training set
    /// ((0, 0), (0.0665, 0.1886), (0.1827, 0.0813) arcsec), then the same three moved by a step in y that
    /// covers the inter-chip gap.
    /// </summary>
    /// <param name="detector">The detector (its gap and pixel scale set the gap step).</param>
    /// <returns>Six (PostArg1, PostArg2) pairs in arcsec.</returns>
    public static IReadOnlyList<(double PostArg1, double PostArg2)> TrainingSet(DetectorModel detector)
    {
        ArgumentNullException.ThrowIfNull(detector);
        double gapStep = (detector.GapPixels + 12.3) * detector.PixelScaleArcsec;
        double xStep = 7.45 * detector.PixelScaleArcsec;
        (double, double)[] three = [(0.0, 0.0), (0.0665, 0.1886), (0.1827, 0.0813)];
        var list = new List<(double, double)>(6);
        list.AddRange(three);
        foreach ((double a, double b) in three)
        {
            list.Add((a + xStep, b + gapStep));
        }

        return list;
    }

    /// <summary>
    /// Two visits of six exposures (F606W in <c>j8ny01</c>, F814W in <c>j8ny02</c>) on the
    /// <see cref="TrainingSet(DetectorModel)"/> offsets, <paramref name="exposureTime"/> seconds each.
    /// The second visit is rolled by 0.6 degrees.
    /// </summary>
    /// <param name="detector">The detector.</param>
    /// <param name="exposureTime">Seconds per exposure.</param>
    /// <param name="orientationDeg">Position angle of the first visit.</param>
    /// <returns>The two visits.</returns>
    public static IReadOnlyList<VisitPlan> TrainingVisits(DetectorModel detector, double exposureTime = 360, double orientationDeg = 47.3)
    {
        IReadOnlyList<(double PostArg1, double PostArg2)> offsets = TrainingSet(detector);
        string[] roots1 = ["j8ny01suq", "j8ny01svq", "j8ny01szq", "j8ny01t4q", "j8ny01t8q", "j8ny01teq"];
        string[] roots2 = ["j8ny02yuq", "j8ny02yvq", "j8ny02yzq", "j8ny02z9q", "j8ny02zdq", "j8ny02zqq"];
        return
        [
            new VisitPlan
            {
                Name = "j8ny01",
                Filter = FilterSpec.F606W(),
                OrientationDeg = orientationDeg,
                Exposures = offsets.Select((o, i) => new DitherPosition(roots1[i], exposureTime, o.PostArg1, o.PostArg2)).ToArray(),
            },
            new VisitPlan
            {
                Name = "j8ny02",
                Filter = FilterSpec.F814W(),
                OrientationDeg = orientationDeg + 0.6,
                Exposures = offsets.Select((o, i) => new DitherPosition(roots2[i], exposureTime, o.PostArg1, o.PostArg2)).ToArray(),
            },
        ];
    }
}

/// <summary>Units of the SCI and ERR arrays.</summary>
public enum OutputUnits
{
    /// <summary>Electrons (BUNIT = ELECTRONS), as in ACS/WFC flc files.</summary>
    Electrons,

    /// <summary>Electrons per second (BUNIT = ELECTRONS/S).</summary>
    ElectronsPerSecond,
}

/// <summary>DQ flag values the simulator sets (the ACS/WFC meanings).</summary>
public static class SimulatedDq
{
    /// <summary>Bad detector pixel: the bad columns.</summary>
    public const short BadPixel = 4;

    /// <summary>Hot pixel (known from the dark reference file).</summary>
    public const short HotPixel = 16;

    /// <summary>Full-well saturation, including the bleed trails.</summary>
    public const short Saturated = 256;
}

/// <summary>Everything that defines a simulated data set; the same options always give the same bytes.</summary>
public sealed record SimulationOptions
{
    /// <summary>The seed of every random stream.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The camera.</summary>
    public DetectorModel Detector { get; init; } = DetectorModel.Small;

    /// <summary>The sky; null derives one from the detector footprint (about 0.4 stars per arcsec², 1 galaxy per 400 arcsec²).</summary>
    public SkyModelOptions? Sky { get; init; }

    /// <summary>Explicit truth sources that replace the generated sky (for tests that need exact star positions); null generates the sky.</summary>
    public IReadOnlyList<SkySource>? SkySources { get; init; }

    /// <summary>The visits; null gives <see cref="DitherPattern.TrainingVisits"/> (12 exposures, 2 filters).</summary>
    public IReadOnlyList<VisitPlan>? Visits { get; init; }

    /// <summary>Units of the written SCI/ERR arrays.</summary>
    public OutputUnits Units { get; init; } = OutputUnits.Electrons;

    /// <summary>Largest pointing error of a visit in the header WCS (arcsec); drawn uniformly in a disk.</summary>
    public double MaxPointingErrorArcsec { get; init; } = 0.5;

    /// <summary>Largest roll error of a visit in the header WCS (degrees); drawn uniformly.</summary>
    public double MaxRollErrorDeg { get; init; } = 0.02;

    /// <summary>Per-exposure pointing jitter inside a visit (arcsec rms per axis), also not in the header.</summary>
    public double JitterArcsec { get; init; } = 0.002;

    /// <summary>Add cosmic rays.</summary>
    public bool CosmicRays { get; init; } = true;

    /// <summary>Add hot pixels.</summary>
    public bool HotPixels { get; init; } = true;

    /// <summary>Add bad columns.</summary>
    public bool BadColumns { get; init; } = true;

    /// <summary>Apply full-well saturation with bleeding along columns.</summary>
    public bool Saturation { get; init; } = true;

    /// <summary>Add Poisson and read noise (off gives the noiseless expectation, for tests).</summary>
    public bool Noise { get; init; } = true;

    /// <summary>Surface brightness (electrons per pixel) below which star and galaxy wings are not rendered.</summary>
    public double RenderFloor { get; init; } = 0.02;

    /// <summary>Largest number of threads used while rendering (-1: all cores). Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>The fast demo data set: two 1024x512 chips, 12 exposures in two filters and two visits.</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>The options.</returns>
    public static SimulationOptions Demo(ulong seed = 1) => new() { Seed = seed };

    /// <summary>The ACS/WFC-like acceptance data set: two 4096x2048 chips, 12 exposures (slow: minutes, about 2 GB).</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>The options.</returns>
    public static SimulationOptions AcsWfc(ulong seed = 1) => new() { Seed = seed, Detector = DetectorModel.AcsWfcLike };
}
