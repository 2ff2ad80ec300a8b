using System.Globalization;
using System.Numerics;
using System.Text.Json;
using TweakDrizzle.Fits;

namespace TweakDrizzle.Fits.Tests;

public class FitsInfoTests
{
    [Theory]
    [MemberData(nameof(ConformanceTests.GoodFiles), MemberType = typeof(ConformanceTests))]
    public void Json_equals_the_sidecar_hdus(string name)
    {
        using FitsFile f = FitsFile.Open(Fixture.PathOf(name));
        using JsonDocument got = JsonDocument.Parse(FitsInfo.ToJson(f));
        JsonElement expected = Fixture.Sidecar(name).GetProperty("hdus");
        Assert.Equal(expected.GetArrayLength(), got.RootElement.GetArrayLength());
        for (int i = 0; i < expected.GetArrayLength(); i++)
        {
            JsonElement e = expected[i], g = got.RootElement[i];
            Assert.Equal(["index", "extname", "extver", "bitpix", "shape", "header"], g.EnumerateObject().Select(p => p.Name));
            foreach (string key in new[] { "index", "extname", "extver", "bitpix", "shape", "header" })
            {
                AssertJsonEqual(e.GetProperty(key), g.GetProperty(key), $"{name}[{i}].{key}");
            }
        }
    }

    [Fact]
    public void Text_table_lists_every_hdu()
    {
        using FitsFile f = FitsFile.Open(Fixture.PathOf("table_between.fits"));
        string text = FitsInfo.ToText(f);
        string[] lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.Contains("BINTABLE", lines[3], StringComparison.Ordinal);
        Assert.Contains("CATALOG", lines[3], StringComparison.Ordinal);
        Assert.Contains("(4, 3)", lines[4], StringComparison.Ordinal);
        Assert.Contains("single", lines[4], StringComparison.Ordinal);
    }

    /// <summary>Semantic JSON equality: integers exact, reals by bits (-0.0 keeps its sign), strings without trailing spaces.</summary>
    private static void AssertJsonEqual(JsonElement e, JsonElement g, string where)
    {
        if (e.ValueKind == JsonValueKind.Number)
        {
            Assert.Equal(JsonValueKind.Number, g.ValueKind);
            string er = e.GetRawText(), gr = g.GetRawText();
            bool eInt = !er.AsSpan().ContainsAny(".eE"), gInt = !gr.AsSpan().ContainsAny(".eE");
            Assert.True(eInt == gInt, $"{where}: {er} vs {gr}");
            if (eInt)
            {
                Assert.Equal(BigInteger.Parse(er, CultureInfo.InvariantCulture), BigInteger.Parse(gr, CultureInfo.InvariantCulture));
            }
            else
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(e.GetDouble()), BitConverter.DoubleToInt64Bits(g.GetDouble()));
            }

            return;
        }

        Assert.True(e.ValueKind == g.ValueKind, $"{where}: {e} vs {g}");
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                Assert.Equal(e.GetString()!.TrimEnd(' '), g.GetString()!.TrimEnd(' '));
                break;
            case JsonValueKind.Array:
                Assert.Equal(e.GetArrayLength(), g.GetArrayLength());
                for (int i = 0; i < e.GetArrayLength(); i++)
                {
                    AssertJsonEqual(e[i], g[i], $"{where}[{i}]");
                }

                break;
        }
    }
}
