using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TweakDrizzle.Cli.Tests;

public class MatchCommandTests
{
    private static string WriteCatalogs(string dir, double rotDeg, bool related)
    {
        var rng = new Random(12);
        double c = Math.Cos(rotDeg * Math.PI / 180), s = Math.Sin(rotDeg * Math.PI / 180);
        var a = new StringBuilder("x,y,flux\n");
        var b = new StringBuilder("x,y,flux\n");
        for (int k = 0; k < 400; k++)
        {
            double x = rng.NextDouble() * 2000, y = rng.NextDouble() * 2000, f = 10 + (rng.NextDouble() * 1000);
            a.Append(CultureInfo.InvariantCulture, $"{x:R},{y:R},{f:R}\n");
            if (related)
            {
                b.Append(CultureInfo.InvariantCulture, $"{(c * x) - (s * y) + 500:R},{(s * x) + (c * y) - 200:R},{f:R}\n");
            }
            else
            {
                b.Append(CultureInfo.InvariantCulture, $"{rng.NextDouble() * 2000:R},{rng.NextDouble() * 2000:R},{f:R}\n");
            }
        }

        File.WriteAllText(Path.Combine(dir, "in.csv"), a.ToString());
        File.WriteAllText(Path.Combine(dir, "ref.csv"), b.ToString());
        return dir;
    }

    private static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "td-match-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public void Finds_a_rotation_and_writes_the_contract_fields()
    {
        string dir = WriteCatalogs(TempDir(), 40, related: true);
        try
        {
            string outPath = Path.Combine(dir, "r.json");
            (int code, string stdout, string err) = CliHarness.Run("match", Path.Combine(dir, "in.csv"), Path.Combine(dir, "ref.csv"), "--fitgeometry", "rscale", "--out", outPath);
            Assert.True(code == 0, err);
            Assert.Contains("SUCCESS", stdout, StringComparison.Ordinal);
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(outPath));
            JsonElement r = doc.RootElement;
            Assert.Equal("SUCCESS", r.GetProperty("status").GetString());
            Assert.Equal(400, r.GetProperty("nmatch").GetInt32());
            Assert.Equal("rscale", r.GetProperty("fitgeometry").GetString());
            Assert.Equal(Math.Cos(40 * Math.PI / 180), r.GetProperty("matrix")[0][0].GetDouble(), 9);
            Assert.Equal(-Math.Sin(40 * Math.PI / 180), r.GetProperty("matrix")[0][1].GetDouble(), 9);
            Assert.Equal(500, r.GetProperty("shift")[0].GetDouble(), 6);
            Assert.Equal(-200, r.GetProperty("shift")[1].GetDouble(), 6);
            Assert.Equal(40, r.GetProperty("rot").GetDouble(), 6);
            Assert.Equal(1, r.GetProperty("scale").GetDouble(), 9);
            Assert.Equal(400, r.GetProperty("pairs").GetArrayLength());
            Assert.All(r.GetProperty("pairs").EnumerateArray(), p => Assert.Equal(p[0].GetInt32(), p[1].GetInt32()));
            foreach (string key in new[] { "xsh", "ysh", "skew", "xrms", "yrms", "strategy", "log10_false_alarm" })
            {
                Assert.True(r.TryGetProperty(key, out _), key);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Unrelated_catalogs_give_failed_status_and_non_zero_exit()
    {
        string dir = WriteCatalogs(TempDir(), 0, related: false);
        try
        {
            string outPath = Path.Combine(dir, "r.json");
            (int code, _, string err) = CliHarness.Run("match", Path.Combine(dir, "in.csv"), Path.Combine(dir, "ref.csv"), "--out", outPath);
            Assert.Equal(1, code);
            Assert.StartsWith("error: match FAILED", err, StringComparison.Ordinal);
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(outPath));
            Assert.Equal("FAILED", doc.RootElement.GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("message").GetString()));
            Assert.Equal(0, doc.RootElement.GetProperty("pairs").GetArrayLength());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Bad_input_is_one_error_line()
    {
        string dir = TempDir();
        try
        {
            (int code, _, string err) = CliHarness.Run("match", Path.Combine(dir, "missing.csv"), Path.Combine(dir, "missing2.csv"), "--out", Path.Combine(dir, "r.json"));
            Assert.Equal(1, code);
            Assert.StartsWith("error: ", err, StringComparison.Ordinal);
            Assert.Single(err.Trim().Split('\n'));
            Assert.False(File.Exists(Path.Combine(dir, "r.json")));

            WriteCatalogs(dir, 0, related: true);
            (code, _, err) = CliHarness.Run("match", Path.Combine(dir, "in.csv"), Path.Combine(dir, "ref.csv"), "--fitgeometry", "affine", "--out", Path.Combine(dir, "r.json"));
            Assert.Equal(2, code);
            Assert.Contains("fit geometry", err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
