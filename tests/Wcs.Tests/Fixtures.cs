using System.Globalization;
using TweakDrizzle.Fits;

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

    public static FitsHeader Header(string name) => FitsHeader.ParseCardText(HeaderText(name));

    public static FitsWcs Load(string name) => FitsWcs.FromHeader(Header(name));

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
