using System.Text.Json;
using TweakDrizzle.Fits;

namespace TweakDrizzle.Cli.Tests;

public sealed class FitsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fits-cli-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string MakeFile()
    {
        string path = Path.Combine(_dir, "in.fits");
        var h = new FitsHeader();
        h.Set("BIG", System.Numerics.BigInteger.Parse("18446744073709551615"), "2^64-1");
        h.Set("LONG", new string('x', 100) + " end", "a long string");
        FitsWriter.Write(path, [
            FitsWriteHdu.Empty(h),
            FitsWriteHdu.Image(new float[] { 1, 2, 3, 4, 5, 6 }, [3, 2]).Named("SCI", 1),
            FitsWriteHdu.Image(new uint[] { 0, uint.MaxValue, 7, 8, 9, 10 }, [3, 2]).Named("DQ", 1),
        ]);
        return path;
    }

    [Fact]
    public void Fitsinfo_json_lists_hdus_with_exact_integers()
    {
        string path = MakeFile();
        (int code, string output, string err) = CliHarness.Run("fitsinfo", path, "--json");
        Assert.True(code == 0, err);
        Assert.Contains("18446744073709551615", output, StringComparison.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement root = doc.RootElement;
        Assert.Equal(3, root.GetArrayLength());
        Assert.Equal(JsonValueKind.Null, root[0].GetProperty("extname").ValueKind);
        Assert.Equal("DQ", root[2].GetProperty("extname").GetString());
        Assert.Equal(32, root[2].GetProperty("bitpix").GetInt32());
        Assert.Equal([3, 2], root[1].GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Empty(root[0].GetProperty("shape").EnumerateArray());
        JsonElement longCard = root[0].GetProperty("header").EnumerateArray().First(c => c[0].GetString() == "LONG");
        Assert.Equal(new string('x', 100) + " end", longCard[1].GetString());
        Assert.Equal("a long string", longCard[2].GetString());
    }

    [Fact]
    public void Fitsinfo_without_json_prints_a_table()
    {
        (int code, string output, _) = CliHarness.Run("fitsinfo", MakeFile());
        Assert.Equal(0, code);
        Assert.Contains("SCI", output, StringComparison.Ordinal);
        Assert.Contains("uint32", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Fitscopy_copies_bit_for_bit()
    {
        string path = MakeFile();
        string copy = Path.Combine(_dir, "out.fits");
        (int code, _, string err) = CliHarness.Run("fitscopy", path, copy);
        Assert.True(code == 0, err);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(copy));
    }

    [Fact]
    public void Broken_files_give_one_error_line_and_no_output()
    {
        string path = MakeFile();
        byte[] bytes = File.ReadAllBytes(path);
        string truncated = Path.Combine(_dir, "truncated.fits");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 3000)]);
        string garbage = Path.Combine(_dir, "garbage.fits");
        File.WriteAllBytes(garbage, [.. Enumerable.Range(0, 2880).Select(i => (byte)(i * 37))]);
        foreach (string bad in new[] { truncated, garbage, Path.Combine(_dir, "missing.fits") })
        {
            (int code, string output, string err) = CliHarness.Run("fitsinfo", bad, "--json");
            Assert.NotEqual(0, code);
            Assert.Equal(string.Empty, output);
            Assert.StartsWith("error: ", err, StringComparison.Ordinal);
            Assert.Single(err.TrimEnd('\n').Split('\n'));
            string copy = Path.Combine(_dir, "copy.fits");
            (code, _, err) = CliHarness.Run("fitscopy", bad, copy);
            Assert.NotEqual(0, code);
            Assert.StartsWith("error: ", err, StringComparison.Ordinal);
            Assert.Single(err.TrimEnd('\n').Split('\n'));
            Assert.False(File.Exists(copy));
        }
    }
}
