using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TweakDrizzle.SourceFinder;

namespace TweakDrizzle.Bench;

/// <summary>Source-finder benchmarks and the DAO conformance runner.</summary>
internal static class SourceFinderBenchmarks
{
    /// <summary>
    /// <c>sourcefind-cases CASES_DIR OUT_DIR</c>: runs <c>--mode dao</c> on every case directory (params.json +
    /// image.fits) and writes OUT_DIR/&lt;case&gt;.csv; prints timings.
    /// </summary>
    public static object RunCases(string[] args)
    {
        string dir = args[0], outDir = args[1];
        Directory.CreateDirectory(outDir);
        var results = new List<object>();
        foreach (string caseDir in Directory.GetDirectories(dir).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(caseDir);
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(caseDir, "params.json")));
            JsonElement p = doc.RootElement;
            (float[] data, int nx, int ny) = SourceFinderFitsLite.ReadPrimary(Path.Combine(caseDir, "image.fits"));
            var options = new DaoStarFinderOptions
            {
                Fwhm = p.GetProperty("fwhm").GetDouble(),
                Threshold = p.GetProperty("threshold").GetDouble(),
                SigmaRadius = p.GetProperty("sigma_radius").GetDouble(),
                Ratio = p.GetProperty("ratio").GetDouble(),
                Theta = p.GetProperty("theta").GetDouble(),
                SharpLo = p.GetProperty("sharplo").GetDouble(),
                SharpHi = p.GetProperty("sharphi").GetDouble(),
                RoundLo = p.GetProperty("roundlo").GetDouble(),
                RoundHi = p.GetProperty("roundhi").GetDouble(),
                ExcludeBorder = p.GetProperty("exclude_border").GetBoolean(),
                PeakMax = p.GetProperty("peakmax").ValueKind == JsonValueKind.Null ? null : p.GetProperty("peakmax").GetDouble(),
                Brightest = p.GetProperty("brightest").ValueKind == JsonValueKind.Null ? null : p.GetProperty("brightest").GetInt32(),
            };
            var sw = Stopwatch.StartNew();
            SourceCatalog cat = new DaoStarFinder(options).Find(new DetectionImage(data, nx, ny));
            double t = sw.Elapsed.TotalSeconds;
            CatalogCsv.Write(cat, Path.Combine(outDir, name + ".csv"));
            results.Add(new { name, rows = cat.Count, seconds = Math.Round(t, 4) });
        }

        return results;
    }
}
