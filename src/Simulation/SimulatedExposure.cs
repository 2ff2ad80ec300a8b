namespace TweakDrizzle.Simulation;

/// <summary>Where one truth source landed on one chip of one exposure.</summary>
/// <param name="Id">The <see cref="SkySource.Id"/>.</param>
/// <param name="Kind">Star or galaxy.</param>
/// <param name="X">0-based x on the chip through the true WCS.</param>
/// <param name="Y">0-based y.</param>
/// <param name="Electrons">Total electrons of the source in this exposure (before stamp truncation).</param>
/// <param name="Saturated">Whether its central pixel reached full well.</param>
public readonly record struct RenderedSource(int Id, SourceKind Kind, double X, double Y, double Electrons, bool Saturated);

/// <summary>One simulated chip: SCI, ERR and DQ arrays, both WCSs and the truth about what went into it.</summary>
public sealed class SimulatedChip
{
    internal SimulatedChip(int extVer, int ccdChip, int width, int height)
    {
        ExtVer = extVer;
        CcdChip = ccdChip;
        Width = width;
        Height = height;
        Sci = new float[width * height];
        Err = new float[width * height];
        Dq = new short[width * height];
        CosmicRayMask = new byte[width * height];
        CosmicRayCharge = new float[width * height];
    }

    /// <summary>EXTVER of the chip's SCI/ERR/DQ extensions (1 = bottom chip).</summary>
    public int ExtVer { get; }

    /// <summary>CCDCHIP value (ACS numbering: SCI,1 is chip 2).</summary>
    public int CcdChip { get; }

    /// <summary>Width (NAXIS1).</summary>
    public int Width { get; }

    /// <summary>Height (NAXIS2).</summary>
    public int Height { get; }

    /// <summary>The science array, index y*Width+x, in the data set's units.</summary>
    public float[] Sci { get; }

    /// <summary>The error array (1σ), same units.</summary>
    public float[] Err { get; }

    /// <summary>The data-quality array (<see cref="SimulatedDq"/> flags).</summary>
    public short[] Dq { get; }

    /// <summary>Truth: 1 where cosmic-ray charge of at least 1 electron was added, else 0.</summary>
    public byte[] CosmicRayMask { get; }

    /// <summary>Truth: the cosmic-ray charge added to each pixel, electrons (before conversion to the data units).</summary>
    public float[] CosmicRayCharge { get; }

    /// <summary>The WCS written into the header (with the visit's pointing error).</summary>
    public required TanSipModel HeaderWcs { get; init; }

    /// <summary>The WCS the data were rendered through.</summary>
    public required TanSipModel TrueWcs { get; init; }

    /// <summary>Truth: every source whose centre lies on the chip (within half a pixel of its edge).</summary>
    public IReadOnlyList<RenderedSource> Sources { get; internal set; } = [];

    /// <summary>Number of cosmic-ray events that hit the chip.</summary>
    public int CosmicRayEvents { get; internal set; }

    /// <summary>Number of pixels in <see cref="CosmicRayMask"/>.</summary>
    public int CosmicRayPixels { get; internal set; }

    /// <summary>Number of pixels flagged as saturated.</summary>
    public int SaturatedPixels { get; internal set; }

    /// <summary>Number of hot pixels (flagged or not).</summary>
    public int HotPixels { get; internal set; }
}

/// <summary>One simulated exposure: its geometry and its chips.</summary>
/// <param name="Geometry">Pointings and WCSs.</param>
/// <param name="Chips">The chips, EXTVER 1 first.</param>
/// <param name="Units">Units of SCI and ERR.</param>
public sealed record SimulatedExposure(ExposureGeometry Geometry, IReadOnlyList<SimulatedChip> Chips, OutputUnits Units);
