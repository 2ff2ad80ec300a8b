using System.Globalization;
using System.Text;

namespace TweakDrizzle.SourceFinder;

/// <summary>
/// Writes catalogs in the CONTRACTS.md "Catalog CSV" format: one header line, comma-separated, 0-based positions,
/// round-trip (17 significant digit) numbers, NaN written as <c>nan</c>.
/// </summary>
public static class CatalogCsv
{
    /// <summary>The photutils 1.6 <c>DAOStarFinder</c> columns, written for <see cref="DetectorMode.Dao"/>.</summary>
    public static readonly IReadOnlyList<string> DaoColumns =
        ["id", "xcentroid", "ycentroid", "sharpness", "roundness1", "roundness2", "npix", "sky", "peak", "flux", "mag"];

    /// <summary>The columns written for <see cref="DetectorMode.TweakReg"/>.</summary>
    public static readonly IReadOnlyList<string> TweakRegColumns =
        ["id", "xcentroid", "ycentroid", "flux", "peak", "sharpness", "roundness1", "roundness2", "npix"];

    /// <summary>The columns written for <see cref="DetectorMode.Refined"/>.</summary>
    public static readonly IReadOnlyList<string> RefinedColumns =
        ["id", "xcentroid", "ycentroid", "flux", "flux_err", "snr", "fwhm", "peak", "sky", "sharpness", "roundness1", "roundness2", "npix", "mag", "flags"];

    /// <summary>The columns of a mode.</summary>
    /// <param name="mode">The detector mode.</param>
    /// <returns>Column names in order.</returns>
    public static IReadOnlyList<string> ColumnsFor(DetectorMode mode) => mode switch
    {
        DetectorMode.Dao => DaoColumns,
        DetectorMode.TweakReg => TweakRegColumns,
        _ => RefinedColumns,
    };

    /// <summary>Formats the catalog as CSV text.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <returns>The CSV text, header line first, LF line ends.</returns>
    public static string Format(SourceCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        IReadOnlyList<string> cols = ColumnsFor(catalog.Mode);
        var sb = new StringBuilder(64 + (catalog.Count * 160));
        sb.Append(string.Join(',', cols)).Append('\n');
        foreach (DetectedSource s in catalog.Sources)
        {
            for (int c = 0; c < cols.Count; c++)
            {
                if (c > 0)
                {
                    sb.Append(',');
                }

                sb.Append(Value(s, cols[c]));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Writes the catalog to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="path">Destination file.</param>
    public static void Write(SourceCatalog catalog, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text = Format(catalog);
        string full = Path.GetFullPath(path);
        string tmp = full + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            File.WriteAllText(tmp, text, new UTF8Encoding(false));
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp))
            {
                File.Delete(tmp);
            }
        }
    }

    private static string Value(DetectedSource s, string column) => column switch
    {
        "id" => s.Id.ToString(CultureInfo.InvariantCulture),
        "xcentroid" => Num(s.X),
        "ycentroid" => Num(s.Y),
        "sharpness" => Num(s.Sharpness),
        "roundness1" => Num(s.Roundness1),
        "roundness2" => Num(s.Roundness2),
        "npix" => s.Npix.ToString(CultureInfo.InvariantCulture),
        "sky" => Num(s.Sky),
        "peak" => Num(s.Peak),
        "flux" => Num(s.Flux),
        "flux_err" => Num(s.FluxError),
        "snr" => Num(s.Snr),
        "fwhm" => Num(s.Fwhm),
        "mag" => Num(s.Mag),
        "flags" => ((int)s.Flags).ToString(CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, "unknown catalog column"),
    };

    private static string Num(double v) => double.IsNaN(v) ? "nan" : v.ToString("R", CultureInfo.InvariantCulture);
}
