using System.Text.Json;
using TweakDrizzle.Matching;

namespace TweakDrizzle.Matching.Tests;

/// <summary>
/// Conformance cases copied from conformance/match, scored with its rule: status, max displacement error over the
/// corners and centre within the noise-limited limit, at least 95 % of the recoverable true pairs, at most 1 % false.
/// </summary>
public class ConformanceTests
{
    public static TheoryData<string> Cases() =>
    [
        "d02_comfort_rscale", "d06_rot30", "d10_scale0p5", "d12_flip", "d14_outliers60", "d15_n10",
        "d17_unequal_density", "d18_common3", "d19_general_skew", "d20_noise_must_fail",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_passes_the_conformance_rule(string name)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        using JsonDocument pdoc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "params.json")));
        using JsonDocument tdoc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "truth.json")));
        JsonElement p = pdoc.RootElement, t = tdoc.RootElement;
        SourceCatalog input = SourceCatalog.ReadCsv(Path.Combine(dir, "in.csv"));
        SourceCatalog reference = SourceCatalog.ReadCsv(Path.Combine(dir, "ref.csv"));
        bool comfort = p.GetProperty("tweakreg_comfort").GetBoolean();
        var options = new MatchOptions
        {
            FitGeometry = FitGeometryExtensions.Parse(p.GetProperty("fitgeometry").GetString()!),
            Tolerance = comfort ? p.GetProperty("tolerance").GetDouble() : null,
            SearchRadius = comfort ? p.GetProperty("searchrad").GetDouble() : null,
        };

        MatchResult r = CatalogMatcher.Match(input, reference, options);

        if (p.GetProperty("must_fail").GetBoolean())
        {
            Assert.Equal(MatchStatus.Failed, r.Status);
            Assert.Contains("no significant match", r.Message, StringComparison.Ordinal);
            return;
        }

        Assert.True(r.Status == MatchStatus.Success, r.Message);
        Affine2D truth = ReadTransform(t);
        double limit = t.GetProperty("limit_px").GetDouble();
        double err = 0;
        foreach (JsonElement e in t.GetProperty("eval_points").EnumerateArray())
        {
            double x = e[0].GetDouble(), y = e[1].GetDouble();
            (double ax, double ay) = r.Transform.Apply(x, y);
            (double bx, double by) = truth.Apply(x, y);
            err = Math.Max(err, Math.Sqrt(((ax - bx) * (ax - bx)) + ((ay - by) * (ay - by))));
        }

        var truePairs = t.GetProperty("pairs").EnumerateArray().Select(a => new MatchPair(a[0].GetInt32(), a[1].GetInt32())).ToList();
        var unrecoverable = t.GetProperty("unrecoverable").EnumerateArray().Select(a => a.GetInt32()).ToHashSet();
        var recoverable = truePairs.Where((_, k) => !unrecoverable.Contains(k)).ToHashSet();
        var all = truePairs.ToHashSet();
        int found = r.Pairs.Count(recoverable.Contains);
        int falsePairs = r.Pairs.Count(q => !all.Contains(q));
        Assert.True(err <= limit, $"max displacement error {err:g4} px > limit {limit:g4} px");
        Assert.True(found >= 0.95 * recoverable.Count, $"found {found} of {recoverable.Count} recoverable pairs");
        Assert.True(falsePairs <= 0.01 * r.Pairs.Count, $"{falsePairs} false pairs of {r.Pairs.Count}");
    }

    private static Affine2D ReadTransform(JsonElement t)
    {
        JsonElement m = t.GetProperty("matrix"), s = t.GetProperty("shift");
        return new Affine2D(m[0][0].GetDouble(), m[0][1].GetDouble(), m[1][0].GetDouble(), m[1][1].GetDouble(), s[0].GetDouble(), s[1].GetDouble());
    }
}
