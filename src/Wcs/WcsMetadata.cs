namespace TweakDrizzle.Wcs;

/// <summary>
/// Descriptive parts of a WCS that do not change the pixel ↔ world mapping: its name, reference frame and the
/// image size it belongs to. Written back to the header with the WCS.
/// </summary>
public sealed record WcsMetadata
{
    /// <summary>WCSNAMEa, or null when absent.</summary>
    public string? WcsName { get; init; }

    /// <summary>RADESYSa (for example ICRS or FK5), or null when absent.</summary>
    public string? RadeSys { get; init; }

    /// <summary>EQUINOXa in years, or null when absent.</summary>
    public double? Equinox { get; init; }

    /// <summary>LATPOLEa in degrees as given in the header (it has no effect on the zenithal TAN projection), or null.</summary>
    public double? LatPole { get; init; }

    /// <summary>The longitude axis type, the first four characters of CTYPE1a without dashes: RA, GLON, ELON, ...</summary>
    public string LongitudeType { get; init; } = "RA";

    /// <summary>The latitude axis type: DEC, GLAT, ELAT, ...</summary>
    public string LatitudeType { get; init; } = "DEC";

    /// <summary>NAXIS1 of the image the WCS belongs to (0 when unknown).</summary>
    public long Naxis1 { get; init; }

    /// <summary>NAXIS2 of the image the WCS belongs to (0 when unknown).</summary>
    public long Naxis2 { get; init; }
}
