using System.Globalization;
using System.Numerics;
using System.Text.Json;
using TweakDrizzle.Fits;

namespace TweakDrizzle.Fits.Tests;

/// <summary>Access to the conformance fixtures copied into the test output.</summary>
internal static class Fixture
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string PathOf(string name) => Path.Combine(Dir, name);

    public static JsonElement Sidecar(string fitsName)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(PathOf(fitsName + ".json")));
        return doc.RootElement.Clone();
    }

    public static IEnumerable<string> Files(string status) =>
        Directory.GetFiles(Dir, "*.json")
            .Where(p => Sidecar(Path.GetFileNameWithoutExtension(p)).GetProperty("status").GetString() == status)
            .Select(p => Path.GetFileNameWithoutExtension(p))
            .Order(StringComparer.Ordinal);

    /// <summary>Compares a card's value with a sidecar JSON value exactly (integers as big integers, -0.0 by sign).</summary>
    public static void AssertValue(JsonElement expected, object? actual, string context)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Null:
                Assert.True(actual is null, $"{context}: expected null, got {actual}");
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                Assert.True(actual is bool b && b == expected.GetBoolean(), $"{context}: expected {expected}, got {actual}");
                break;
            case JsonValueKind.String:
                Assert.True(actual is string, $"{context}: expected a string, got {actual?.GetType().Name}");
                Assert.Equal(expected.GetString()!.TrimEnd(' '), ((string)actual!).TrimEnd(' '));
                break;
            case JsonValueKind.Number:
                string raw = expected.GetRawText();
                if (!raw.Contains('.') && !raw.Contains('e') && !raw.Contains('E'))
                {
                    BigInteger want = BigInteger.Parse(raw, CultureInfo.InvariantCulture);
                    BigInteger got = actual switch
                    {
                        long l => l,
                        BigInteger big => big,
                        _ => throw new Xunit.Sdk.XunitException($"{context}: expected integer {raw}, got {actual} ({actual?.GetType().Name})"),
                    };
                    Assert.Equal(want, got);
                }
                else
                {
                    double want = expected.GetDouble();
                    Assert.True(actual is double, $"{context}: expected real {raw}, got {actual} ({actual?.GetType().Name})");
                    Assert.Equal(BitConverter.DoubleToInt64Bits(want), BitConverter.DoubleToInt64Bits((double)actual!));
                }

                break;
            default:
                throw new Xunit.Sdk.XunitException($"{context}: unexpected JSON {expected}");
        }
    }

    public static void AssertHeader(JsonElement expectedHeader, FitsHeader header, string context)
    {
        var cards = header.ToList();
        Assert.Equal(expectedHeader.GetArrayLength(), cards.Count);
        int i = 0;
        foreach (JsonElement e in expectedHeader.EnumerateArray())
        {
            FitsCard c = cards[i];
            string where = $"{context} card {i} ({c.Key})";
            Assert.Equal(e[0].GetString(), c.Key);
            AssertValue(e[1], c.Value, where);
            Assert.Equal(e[2].GetString(), c.Comment);
            i++;
        }
    }
}
