namespace TweakDrizzle.Simulation;

/// <summary>
/// Simulates a dithered data set: the true sky, every exposure's geometry, and on request each exposure's pixels.
/// </summary>
/// <remarks>
/// Construction is cheap (sky and geometry only); <see cref="Simulate(int)"/> renders one exposure at a time
/// so a large data set never has to be in memory at once. Results are bit-identical for the same options
/// whatever the core count: rows are rendered in fixed bands of <see cref="BandHeight"/>, each with its own
/// random stream. Thread-safe after construction.
/// </remarks>
public sealed class Simulator
{
    /// <summary>Rows per parallel work item.</summary>
    public const int BandHeight = 64;

    /// <summary>Creates the simulator: validates the options, generates the sky and every exposure's geometry.</summary>
    /// <param name="options">The options.</param>
    public Simulator(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Detector.Validate();
        Options = options;
        Visits = options.Visits ?? DitherPattern.TrainingVisits(options.Detector);
        if (Visits.Count == 0 || Visits.Any(v => v.Exposures.Count == 0))
        {
            throw new ArgumentException("Every visit needs at least one exposure.", nameof(options));
        }

        if (Visits.SelectMany(v => v.Exposures).Any(e => !(e.ExposureTime > 0)))
        {
            throw new ArgumentException("Every exposure time must be positive.", nameof(options));
        }

        if (Visits.Any(v => v.Filter is null || string.IsNullOrWhiteSpace(v.Filter.Name) || !(v.Filter.SkyRate >= 0) || !(v.Filter.RateScale >= 0)
            || !double.IsFinite(v.Filter.SkyRate) || !double.IsFinite(v.Filter.RateScale) || !double.IsFinite(v.Filter.ColorCoefficient)))
        {
            throw new ArgumentException("Every visit needs a named filter with a finite, non-negative sky rate and rate scale.", nameof(options));
        }

        var names = Visits.SelectMany(v => v.Exposures).Select(e => e.Rootname).ToList();
        if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Count || names.Any(n => string.IsNullOrWhiteSpace(n) || n.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0))
        {
            throw new ArgumentException("Rootnames must be unique, non-empty and valid file names.", nameof(options));
        }

        if (options.MaxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentException("MaxDegreeOfParallelism must be -1 (all cores) or positive.", nameof(options));
        }

        if (!(options.MaxPointingErrorArcsec >= 0) || !(options.MaxRollErrorDeg >= 0) || !(options.JitterArcsec >= 0) || !(options.RenderFloor > 0))
        {
            throw new ArgumentException("Pointing errors and jitter must be non-negative and the render floor positive.", nameof(options));
        }

        SkyModelOptions skyOptions = options.Sky ?? DefaultSky(options.Detector, Visits);
        Sky = options.SkySources is null ? SkyModel.Generate(skyOptions, options.Seed) : SkyModel.FromSources(skyOptions, options.SkySources);
        Exposures = BuildGeometry();
    }

    /// <summary>The options.</summary>
    public SimulationOptions Options { get; }

    /// <summary>The visits (the options' or the default training visits).</summary>
    public IReadOnlyList<VisitPlan> Visits { get; }

    /// <summary>The true sky.</summary>
    public SkyModel Sky { get; }

    /// <summary>Every exposure's geometry, in visit order.</summary>
    public IReadOnlyList<ExposureGeometry> Exposures { get; }

    /// <summary>The default sky for a detector and visits: centred on the target, covering every footprint.</summary>
    /// <param name="detector">The detector.</param>
    /// <param name="visits">The visits.</param>
    /// <returns>The sky options.</returns>
    public static SkyModelOptions DefaultSky(DetectorModel detector, IReadOnlyList<VisitPlan> visits)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(visits);
        double maxPostArg = visits.SelectMany(v => v.Exposures).Select(e => Math.Sqrt((e.PostArg1 * e.PostArg1) + (e.PostArg2 * e.PostArg2))).DefaultIfEmpty(0).Max();
        double radius = detector.FootprintRadiusArcsec + maxPostArg + 2.0;
        double area = Math.PI * radius * radius;
        return new SkyModelOptions
        {
            FieldRadiusArcsec = radius,
            StarCount = (int)Math.Round(0.4 * area),
            GalaxyCount = Math.Max(3, (int)Math.Round(area / 400.0)),
            ClusterCoreRadiusArcsec = 0.45 * radius,
            ClusterOffsetEastArcsec = 0.25 * radius,
            ClusterOffsetNorthArcsec = 0.15 * radius,
        };
    }

    /// <summary>Renders one exposure.</summary>
    /// <param name="index">0-based exposure index into <see cref="Exposures"/>.</param>
    /// <returns>The exposure with all its chips.</returns>
    public SimulatedExposure Simulate(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Exposures.Count);
        ExposureGeometry g = Exposures[index];
        var chips = new SimulatedChip[Options.Detector.ChipCount];
        for (int c = 0; c < chips.Length; c++)
        {
            chips[c] = ChipRenderer.Render(this, g, c);
        }

        return new SimulatedExposure(g, chips, Options.Units);
    }

    private List<ExposureGeometry> BuildGeometry()
    {
        var list = new List<ExposureGeometry>();
        SkyModelOptions sky = Sky.Options;
        int index = 0;
        for (int v = 0; v < Visits.Count; v++)
        {
            VisitPlan visit = Visits[v];
            var prng = SimRandom.ForStream(Options.Seed, StreamIds.Pointing, v);
            double r = Options.MaxPointingErrorArcsec * Math.Sqrt(prng.NextDouble());
            double phi = prng.Uniform(0, 2 * Math.PI);
            double errEast = r * Math.Cos(phi), errNorth = r * Math.Sin(phi);
            double roll = prng.Uniform(-Options.MaxRollErrorDeg, Options.MaxRollErrorDeg);
            foreach (DitherPosition d in visit.Exposures)
            {
                Pointing nominal = InstrumentGeometry.PointingFor(sky.CenterRa, sky.CenterDec, visit.OrientationDeg, d.PostArg1, d.PostArg2);
                var jrng = SimRandom.ForStream(Options.Seed, StreamIds.Jitter, index);
                double je = Options.JitterArcsec * jrng.NextGaussian(), jn = Options.JitterArcsec * jrng.NextGaussian();
                (double tra, double tdec) = SkyMath.InverseGnomonic(nominal.Ra, nominal.Dec, (errEast + je) / 3600.0, (errNorth + jn) / 3600.0);
                var truth = new Pointing(tra, tdec, nominal.OrientationDeg + roll);
                var header = new TanSipModel[Options.Detector.ChipCount];
                var trueWcs = new TanSipModel[Options.Detector.ChipCount];
                for (int c = 0; c < header.Length; c++)
                {
                    header[c] = InstrumentGeometry.ChipWcs(Options.Detector, c, nominal);
                    trueWcs[c] = InstrumentGeometry.ChipWcs(Options.Detector, c, truth);
                }

                list.Add(new ExposureGeometry
                {
                    Index = index,
                    VisitIndex = v,
                    Visit = visit,
                    Dither = d,
                    NominalPointing = nominal,
                    TruePointing = truth,
                    HeaderWcs = header,
                    TrueWcs = trueWcs,
                });
                index++;
            }
        }

        return list;
    }
}
