using System.Globalization;

namespace TweakDrizzle.Pipeline.Alignment;

/// <summary>
/// Reads an external reference catalog (TweakReg <c>refcat</c>): a CSV file with a header naming <c>ra</c> and
/// <c>dec</c> (degrees; also <c>RA_ICRS</c>/<c>DE_ICRS</c>, <c>alpha</c>/<c>delta</c>) and optionally a flux column
/// (<c>flux</c>, or <c>mag</c>/<c>phot_g_mean_mag</c>), with TweakReg's cuts <c>rminflux</c>, <c>rmaxflux</c>,
/// <c>refnbright</c>.
/// </summary>
public static class ReferenceCatalogFile
{
    private static readonly string[] RaNames = ["ra", "ra_icrs", "raj2000", "alpha", "alpha_j2000"];
    private static readonly string[] DecNames = ["dec", "de_icrs", "dej2000", "delta", "delta_j2000", "decl"];

    /// <summary>Reads the catalog and applies the flux cuts of <paramref name="options"/>.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="options">Options (flux column, units and cuts).</param>
    /// <returns>The sources, brightest first when a flux column exists (file order otherwise).</returns>
    /// <exception cref="TweakRegException">Missing file, missing columns or a bad number.</exception>
    public static IReadOnlyList<SkySource> Read(string path, TweakRegOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(path))
        {
            throw new TweakRegException($"reference catalog {path} does not exist");
        }

        string[] lines = File.ReadAllLines(path);
        int first = Array.FindIndex(lines, l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'));
        if (first < 0)
        {
            throw new TweakRegException($"reference catalog {path} is empty");
        }

        string[] header = lines[first].Split(',').Select(h => h.Trim().Trim('"').ToLowerInvariant()).ToArray();
        int ira = Array.FindIndex(header, h => RaNames.Contains(h));
        int idec = Array.FindIndex(header, h => DecNames.Contains(h));
        if (ira < 0 || idec < 0)
        {
            throw new TweakRegException($"reference catalog {path} needs 'ra' and 'dec' columns (degrees); its header is '{lines[first].Trim()}'");
        }

        int iflux;
        FluxUnits units;
        if (options.RefFluxColumn is { } fc)
        {
            iflux = Array.IndexOf(header, fc.Trim().ToLowerInvariant());
            if (iflux < 0)
            {
                throw new TweakRegException($"reference catalog {path} has no column '{fc}'");
            }

            units = options.RefFluxUnits ?? (header[iflux].Contains("mag", StringComparison.Ordinal) ? FluxUnits.Mag : FluxUnits.Flux);
        }
        else
        {
            iflux = Array.IndexOf(header, "flux");
            units = FluxUnits.Flux;
            if (iflux < 0)
            {
                iflux = Array.FindIndex(header, h => h is "mag" or "phot_g_mean_mag" or "gmag");
                units = FluxUnits.Mag;
            }

            units = options.RefFluxUnits ?? units;
        }

        if (iflux < 0 && (options.RefMinFlux is not null || options.RefMaxFlux is not null || options.RefNBright is not null))
        {
            throw new TweakRegException($"reference catalog {path} has no flux or mag column for rminflux/rmaxflux/refnbright");
        }

        var rows = new List<(SkySource S, double Value)>();
        for (int n = first + 1; n < lines.Length; n++)
        {
            string t = lines[n].Trim();
            if (t.Length == 0 || t.StartsWith('#'))
            {
                continue;
            }

            string[] f = t.Split(',');
            double ra = Number(f, ira, path, n), dec = Number(f, idec, path, n);
            double v = iflux >= 0 ? Number(f, iflux, path, n) : double.NaN;
            if (!double.IsFinite(ra) || !double.IsFinite(dec) || dec < -90 || dec > 90)
            {
                throw new TweakRegException($"reference catalog {path} line {n + 1}: ra/dec out of range");
            }

            if ((options.RefMinFlux is { } lo && !(v >= lo)) || (options.RefMaxFlux is { } hi && !(v <= hi)))
            {
                continue;
            }

            double flux = iflux < 0 || !double.IsFinite(v) ? 0 : units == FluxUnits.Mag ? Math.Pow(10, -0.4 * v) : v;
            rows.Add((new SkySource(ra, dec, flux), v));
        }

        IEnumerable<SkySource> list = rows.Select(r => r.S);
        if (iflux >= 0)
        {
            list = rows.Select((r, i) => (r.S, i)).OrderByDescending(r => r.S.Flux).ThenBy(r => r.i).Select(r => r.S);
        }

        if (options.RefNBright is { } nb)
        {
            list = list.Take(nb);
        }

        return list.ToList();
    }

    private static double Number(string[] fields, int index, string path, int line)
    {
        if (index >= fields.Length)
        {
            throw new TweakRegException($"reference catalog {path} line {line + 1}: too few columns");
        }

        string s = fields[index].Trim().Trim('"');
        if (s.Length == 0 || string.Equals(s, "nan", StringComparison.OrdinalIgnoreCase))
        {
            return double.NaN;
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new TweakRegException($"reference catalog {path} line {line + 1}: '{s}' is not a number");
    }
}
