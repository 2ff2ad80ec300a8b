using System.Globalization;

namespace TweakDrizzle.Matching;

/// <summary>
/// A list of source positions (0-based pixels, pixel centres at integers) with optional fluxes,
/// as read from a catalog CSV or built in memory.
/// </summary>
/// <remarks>Immutable after construction; safe to share between threads.</remarks>
public sealed class SourceCatalog
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double[]? _flux;

    /// <summary>Creates a catalog from positions and optional fluxes (arrays are copied).</summary>
    /// <param name="x">Column positions (0-based pixels).</param>
    /// <param name="y">Row positions (0-based pixels).</param>
    /// <param name="flux">Fluxes (larger is brighter), or null.</param>
    /// <exception cref="MatchingException">Lengths differ or a position is not finite.</exception>
    public SourceCatalog(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> flux = default)
    {
        if (x.Length != y.Length)
        {
            throw new MatchingException($"catalog has {x.Length} x values but {y.Length} y values");
        }

        if (!flux.IsEmpty && flux.Length != x.Length)
        {
            throw new MatchingException($"catalog has {x.Length} positions but {flux.Length} fluxes");
        }

        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
            {
                throw new MatchingException($"catalog row {i} has a position that is not a finite number");
            }
        }

        _x = x.ToArray();
        _y = y.ToArray();
        _flux = flux.IsEmpty ? null : flux.ToArray();
    }

    /// <summary>Number of sources.</summary>
    public int Count => _x.Length;

    /// <summary>Column positions, 0-based pixels.</summary>
    public ReadOnlySpan<double> X => _x;

    /// <summary>Row positions, 0-based pixels.</summary>
    public ReadOnlySpan<double> Y => _y;

    /// <summary>Fluxes (larger is brighter); empty when the catalog has none.</summary>
    public ReadOnlySpan<double> Flux => _flux;

    /// <summary>True when the catalog carries fluxes.</summary>
    public bool HasFlux => _flux is not null;

    internal double[] XArray => _x;

    internal double[] YArray => _y;

    internal double[]? FluxArray => _flux;

    /// <summary>
    /// Reads a comma-separated catalog with one header line naming at least <c>x,y</c> (or
    /// <c>xcentroid,ycentroid</c>) and optionally <c>flux</c>. Row order is kept.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="MatchingException">The file is missing, has no usable header or a bad number.</exception>
    public static SourceCatalog ReadCsv(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MatchingException($"cannot read catalog '{path}': {e.Message}", e);
        }

        if (lines.Length == 0)
        {
            throw new MatchingException($"catalog '{path}' is empty (a header line naming x,y is required)");
        }

        string[] header = lines[0].Split(',');
        int ix = Column(header, "x", "xcentroid");
        int iy = Column(header, "y", "ycentroid");
        int iflux = Column(header, "flux");
        if (ix < 0 || iy < 0)
        {
            throw new MatchingException($"catalog '{path}' has no x,y (or xcentroid,ycentroid) columns in its header");
        }

        var x = new List<double>(lines.Length);
        var y = new List<double>(lines.Length);
        var f = new List<double>(iflux >= 0 ? lines.Length : 0);
        for (int n = 1; n < lines.Length; n++)
        {
            string line = lines[n];
            if (line.Length == 0 || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string[] cells = line.Split(',');
            x.Add(Parse(cells, ix, path, n));
            y.Add(Parse(cells, iy, path, n));
            if (iflux >= 0)
            {
                f.Add(Parse(cells, iflux, path, n));
            }
        }

        return new SourceCatalog(x.ToArray(), y.ToArray(), iflux >= 0 ? f.ToArray() : default);
    }

    private static int Column(string[] header, params string[] names)
    {
        foreach (string name in names)
        {
            for (int i = 0; i < header.Length; i++)
            {
                if (string.Equals(header[i].Trim(), name, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }

        return -1;
    }

    private static double Parse(string[] cells, int index, string path, int line)
    {
        if (index >= cells.Length ||
            !double.TryParse(cells[index].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
        {
            throw new MatchingException($"catalog '{path}' line {line + 1}: column {index + 1} is not a number");
        }

        return v;
    }
}

/// <summary>A problem the caller can fix: bad catalog, bad option. The message is one plain line.</summary>
public sealed class MatchingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MatchingException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">One line in plain words.</param>
    public MatchingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">One line in plain words.</param>
    /// <param name="innerException">The cause.</param>
    public MatchingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
