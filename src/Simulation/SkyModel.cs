namespace TweakDrizzle.Simulation;

/// <summary>What kind of object a truth source is.</summary>
public enum SourceKind
{
    /// <summary>A point source, rendered with the PSF.</summary>
    Star,

    /// <summary>An extended Sérsic galaxy.</summary>
    Galaxy,
}

/// <summary>One object of the true sky.</summary>
/// <param name="Id">1-based identifier, stable for a seed.</param>
/// <param name="Ra">Right ascension (degrees).</param>
/// <param name="Dec">Declination (degrees).</param>
/// <param name="Kind">Star or galaxy.</param>
/// <param name="Rate">Count rate in the reference band (electrons per second, all of the flux).</param>
/// <param name="Color">Colour index (magnitudes) that <see cref="FilterSpec.ColorCoefficient"/> turns into per-filter rates.</param>
/// <param name="SersicIndex">Galaxies: Sérsic index n (0 for stars).</param>
/// <param name="EffectiveRadiusArcsec">Galaxies: half-light radius along the major axis (arcsec).</param>
/// <param name="AxisRatio">Galaxies: minor/major axis ratio.</param>
/// <param name="PositionAngleDeg">Galaxies: major-axis position angle, north through east (degrees).</param>
public readonly record struct SkySource(
    int Id,
    double Ra,
    double Dec,
    SourceKind Kind,
    double Rate,
    double Color,
    double SersicIndex = 0,
    double EffectiveRadiusArcsec = 0,
    double AxisRatio = 1,
    double PositionAngleDeg = 0)
{
    /// <summary>The count rate of this source through a filter (electrons per second).</summary>
    /// <param name="filter">The filter.</param>
    /// <returns>The rate.</returns>
    public double RateIn(FilterSpec filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Rate * filter.RateScale * Math.Pow(10.0, -0.4 * filter.ColorCoefficient * Color);
    }
}

/// <summary>A filter: its PSF, sky brightness and throughput relative to the reference band.</summary>
public sealed record FilterSpec
{
    /// <summary>The filter name written to FILTER/FILTER1 (e.g. F606W).</summary>
    public required string Name { get; init; }

    /// <summary>The PSF on the detector.</summary>
    public required PsfModel Psf { get; init; }

    /// <summary>Sky background (electrons per second per pixel).</summary>
    public double SkyRate { get; init; } = 0.1;

    /// <summary>Multiplies every source's reference-band rate.</summary>
    public double RateScale { get; init; } = 1.0;

    /// <summary>Rate in this filter = Rate·RateScale·10^(-0.4·ColorCoefficient·Color); -1 makes red objects brighter.</summary>
    public double ColorCoefficient { get; init; }

    /// <summary>An F606W-like filter: Moffat PSF of the given FWHM, sky 0.12 e-/s/pixel.</summary>
    /// <param name="fwhm">PSF FWHM in pixels.</param>
    /// <returns>The filter.</returns>
    public static FilterSpec F606W(double fwhm = 2.0) => new() { Name = "F606W", Psf = PsfModel.Moffat(fwhm, 2.5), SkyRate = 0.12 };

    /// <summary>An F814W-like filter: Moffat PSF of the given FWHM, sky 0.09 e-/s/pixel, red objects brighter.</summary>
    /// <param name="fwhm">PSF FWHM in pixels.</param>
    /// <returns>The filter.</returns>
    public static FilterSpec F814W(double fwhm = 2.2) => new() { Name = "F814W", Psf = PsfModel.Moffat(fwhm, 2.5), SkyRate = 0.09, RateScale = 0.55, ColorCoefficient = -1.0 };
}

/// <summary>Parameters of the true sky: a globular-cluster-like concentration on a field population, plus galaxies.</summary>
public sealed record SkyModelOptions
{
    /// <summary>Right ascension of the field centre (degrees); the default is near NGC 6791.</summary>
    public double CenterRa { get; init; } = 290.2208;

    /// <summary>Declination of the field centre (degrees).</summary>
    public double CenterDec { get; init; } = 37.7717;

    /// <summary>Radius of the simulated field (arcsec); should cover every exposure's footprint.</summary>
    public double FieldRadiusArcsec { get; init; } = 60;

    /// <summary>Number of stars.</summary>
    public int StarCount { get; init; } = 2500;

    /// <summary>Fraction of the stars in the cluster (the rest are spread uniformly).</summary>
    public double ClusterFraction { get; init; } = 0.75;

    /// <summary>Plummer scale radius of the cluster (arcsec).</summary>
    public double ClusterCoreRadiusArcsec { get; init; } = 20;

    /// <summary>Offset of the cluster centre from the field centre, east (arcsec): gives a density gradient.</summary>
    public double ClusterOffsetEastArcsec { get; init; } = 12;

    /// <summary>Offset of the cluster centre from the field centre, north (arcsec).</summary>
    public double ClusterOffsetNorthArcsec { get; init; } = 8;

    /// <summary>Faintest star rate in the reference band (e-/s).</summary>
    public double MinRate { get; init; } = 0.5;

    /// <summary>Brightest star rate in the reference band (e-/s).</summary>
    public double MaxRate { get; init; } = 20000;

    /// <summary>Power-law index α of the flux distribution, dN/dF ∝ F^-α.</summary>
    public double PowerLawIndex { get; init; } = 1.6;

    /// <summary>Number of galaxies.</summary>
    public int GalaxyCount { get; init; } = 12;
}

/// <summary>The true sky: a deterministic list of stars and galaxies in RA/Dec.</summary>
public sealed class SkyModel
{
    private SkyModel(SkyModelOptions options, IReadOnlyList<SkySource> sources)
    {
        Options = options;
        Sources = sources;
    }

    /// <summary>The options the sky was generated with.</summary>
    public SkyModelOptions Options { get; }

    /// <summary>Every source, stars first then galaxies, with Id = index + 1.</summary>
    public IReadOnlyList<SkySource> Sources { get; }

    /// <summary>A sky made of the given sources (ids as given).</summary>
    /// <param name="options">The options recorded with the sky (its centre is the pointing target).</param>
    /// <param name="sources">The sources.</param>
    /// <returns>The sky.</returns>
    public static SkyModel FromSources(SkyModelOptions options, IEnumerable<SkySource> sources)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sources);
        SkySource[] list = sources.ToArray();
        if (list.Any(s => !(s.Rate >= 0) || !double.IsFinite(s.Ra) || !double.IsFinite(s.Dec) || (s.Kind == SourceKind.Galaxy && !(s.EffectiveRadiusArcsec > 0 && s.SersicIndex > 0 && s.AxisRatio > 0))))
        {
            throw new ArgumentException("Every source needs a finite position, a non-negative rate and, for galaxies, positive size, Sersic index and axis ratio.", nameof(sources));
        }

        return new SkyModel(options, list);
    }

    /// <summary>Generates the sky for a seed.</summary>
    /// <param name="options">The sky parameters.</param>
    /// <param name="seed">The seed; the same seed and options always give the same sky.</param>
    /// <returns>The sky.</returns>
    public static SkyModel Generate(SkyModelOptions options, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var rng = SimRandom.ForStream(seed, StreamIds.Sky);
        var list = new List<SkySource>(options.StarCount + options.GalaxyCount);
        double radius = options.FieldRadiusArcsec;
        double a = options.ClusterCoreRadiusArcsec;
        int id = 1;
        for (int k = 0; k < options.StarCount; k++)
        {
            double e, n;
            if (rng.NextDouble() < options.ClusterFraction)
            {
                // Plummer surface density: M(<r) = r²/(r²+a²); reject points outside the field.
                do
                {
                    double u = rng.NextDouble() * 0.999;
                    double r = a * Math.Sqrt(u / (1 - u));
                    double phi = rng.Uniform(0, 2 * Math.PI);
                    e = options.ClusterOffsetEastArcsec + (r * Math.Cos(phi));
                    n = options.ClusterOffsetNorthArcsec + (r * Math.Sin(phi));
                }
                while ((e * e) + (n * n) > radius * radius);
            }
            else
            {
                (e, n) = UniformInDisk(rng, radius);
            }

            double rate = PowerLaw(rng, options.MinRate, options.MaxRate, options.PowerLawIndex);
            double color = 0.5 + (0.6 * rng.NextDouble()) + (0.1 * rng.NextGaussian());
            (double ra, double dec) = SkyMath.InverseGnomonic(options.CenterRa, options.CenterDec, e / 3600.0, n / 3600.0);
            list.Add(new SkySource(id++, ra, dec, SourceKind.Star, rate, color));
        }

        for (int k = 0; k < options.GalaxyCount; k++)
        {
            (double e, double n) = UniformInDisk(rng, radius);
            double sersic = rng.NextDouble() < 0.6 ? 1.0 : 4.0;
            double re = Math.Exp(rng.Uniform(Math.Log(0.15), Math.Log(0.8)));
            double q = rng.Uniform(0.35, 1.0);
            double pa = rng.Uniform(0, 180);
            double rate = Math.Exp(rng.Uniform(Math.Log(20 * options.MinRate), Math.Log(Math.Max(40 * options.MinRate, options.MaxRate / 20))));
            double color = rng.Uniform(0.6, 1.4);
            (double ra, double dec) = SkyMath.InverseGnomonic(options.CenterRa, options.CenterDec, e / 3600.0, n / 3600.0);
            list.Add(new SkySource(id++, ra, dec, SourceKind.Galaxy, rate, color, sersic, re, q, pa));
        }

        return new SkyModel(options, list);
    }

    private static (double E, double N) UniformInDisk(SimRandom rng, double radius)
    {
        double r = radius * Math.Sqrt(rng.NextDouble());
        double phi = rng.Uniform(0, 2 * Math.PI);
        return (r * Math.Cos(phi), r * Math.Sin(phi));
    }

    private static double PowerLaw(SimRandom rng, double min, double max, double alpha)
    {
        double u = rng.NextDouble();
        if (Math.Abs(alpha - 1.0) < 1e-9)
        {
            return min * Math.Pow(max / min, u);
        }

        double g = 1.0 - alpha;
        return Math.Pow(Math.Pow(min, g) + (u * (Math.Pow(max, g) - Math.Pow(min, g))), 1.0 / g);
    }

    private static void Validate(SkyModelOptions o)
    {
        if (o.StarCount < 0 || o.GalaxyCount < 0)
        {
            throw new ArgumentException("Star and galaxy counts must not be negative.");
        }

        if (!(o.FieldRadiusArcsec > 0) || !(o.ClusterCoreRadiusArcsec > 0))
        {
            throw new ArgumentException("The field radius and cluster core radius must be positive.");
        }

        if (!(o.MinRate > 0) || !(o.MaxRate > o.MinRate))
        {
            throw new ArgumentException("The star rates need 0 < MinRate < MaxRate.");
        }

        if (o.ClusterFraction is < 0 or > 1)
        {
            throw new ArgumentException("ClusterFraction must be between 0 and 1.");
        }

        if (Math.Abs(o.CenterDec) > 89)
        {
            throw new ArgumentException("The field centre must be more than 1 degree from a pole.");
        }
    }
}

/// <summary>Labels of the random streams, so every purpose draws from its own sequence.</summary>
internal static class StreamIds
{
    public const long Sky = 1;
    public const long Pointing = 2;
    public const long HotPixels = 3;
    public const long BadColumns = 4;
    public const long CosmicRays = 5;
    public const long Noise = 6;
    public const long Jitter = 7;
}
