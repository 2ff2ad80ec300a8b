using System.Globalization;

namespace TweakDrizzle.Wcs.Tests;

/// <summary>The conformance headers and their astropy tables, copied from conformance/wcs.</summary>
internal static class Fixtures
{
    public static readonly string[] Names =
    [
        "tan_cd", "tan_pc_cdelt", "tan_crota2", "sip2_wfc_apbp", "sip4_wfc_apbp", "sip4_wfc_noinv",
        "sip5_jwst", "tpv3", "sip3_ra_wrap", "tan_dec89p9", "tan_output",
    ];

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", file);

    public static string HeaderText(string name) => File.ReadAllText(PathOf(name + ".hdr"));

    /// <summary>Rows of a CSV fixture as a dictionary per column name.</summary>
    public static List<Dictionary<string, double>> ReadCsv(string file)
    {
        string[] lines = File.ReadAllLines(PathOf(file));
        string[] names = lines[0].Split(',');
        var rows = new List<Dictionary<string, double>>();
        foreach (string line in lines.Skip(1).Where(l => l.Length > 0))
        {
            string[] parts = line.Split(',');
            var row = new Dictionary<string, double>(StringComparer.Ordinal);
            for (int i = 0; i < names.Length; i++)
            {
                row[names[i]] = double.Parse(parts[i], CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }
}

/// <summary>
/// A minimal keyword source over a .hdr card file (KEY = value / comment), used to test the keyword
/// interpretation independently of the FITS header class.
/// </summary>
internal sealed class CardTextKeywords : IWcsKeywordSource
{
    private readonly Dictionary<string, string> _raw = new(StringComparer.OrdinalIgnoreCase);

    public CardTextKeywords(string text)
    {
        foreach (string line in text.Split('\n'))
        {
            if (line.Length < 10 || line.Substring(8, 2) != "= ")
            {
                continue;
            }

            string key = line[..8].Trim();
            string value = line[10..].Trim();
            if (value.StartsWith('\''))
            {
                int end = value.IndexOf('\'', 1);
                value = "'" + value[1..end].TrimEnd();
            }
            else
            {
                int slash = value.IndexOf('/', StringComparison.Ordinal);
                value = (slash >= 0 ? value[..slash] : value).Trim();
            }

            _raw.TryAdd(key, value);
        }
    }

    public Dictionary<string, string> Raw => _raw;

    public bool Contains(string key) => _raw.ContainsKey(key);

    public bool TryGetDouble(string key, out double value)
    {
        value = 0;
        return _raw.TryGetValue(key, out string? v) && !v.StartsWith('\'')
            && double.TryParse(v.Replace('D', 'E'), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public bool TryGetString(string key, out string? value)
    {
        value = null;
        if (_raw.TryGetValue(key, out string? v) && v.StartsWith('\''))
        {
            value = v[1..];
            return true;
        }

        return false;
    }
}
