using System.Globalization;
using System.Numerics;
using System.Text.Json;
using TweakDrizzle.Fits;

namespace TweakDrizzle.Fits.Tests;

/// <summary>Every file of conformance/fits: structure, headers, data samples and table values as the sidecars say.</summary>
public class ConformanceTests
{
    public static TheoryData<string> GoodFiles() => new(Fixture.Files("good"));

    public static TheoryData<string> BrokenFiles() => new(Fixture.Files("broken"));

    [Fact]
    public void Fixture_set_is_complete()
    {
        Assert.Equal(14, GoodFiles().Count);
        Assert.Equal(6, BrokenFiles().Count);
    }

    [Theory]
    [MemberData(nameof(GoodFiles))]
    public void Good_file_matches_its_sidecar(string name)
    {
        JsonElement side = Fixture.Sidecar(name);
        using FitsFile file = FitsFile.Open(Fixture.PathOf(name));
        JsonElement hdus = side.GetProperty("hdus");
        Assert.Equal(side.GetProperty("n_hdus").GetInt32(), file.Hdus.Count);
        foreach (JsonElement e in hdus.EnumerateArray())
        {
            int index = e.GetProperty("index").GetInt32();
            FitsHdu hdu = file.Hdus[index];
            string ctx = $"{name}[{index}]";
            Assert.Equal(index, hdu.Index);
            Assert.Equal(e.GetProperty("extname").ValueKind == JsonValueKind.Null ? null : e.GetProperty("extname").GetString(), hdu.ExtName);
            Assert.Equal(e.GetProperty("extver").GetInt32(), hdu.ExtVer);
            Assert.Equal(e.GetProperty("bitpix").GetInt32(), hdu.Bitpix);
            Assert.Equal(e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()), hdu.Shape);
            Assert.Equal(e.GetProperty("header_offset").GetInt64(), hdu.HeaderOffset);
            Assert.Equal(e.GetProperty("header_cards").GetInt32(), hdu.HeaderCards);
            Assert.Equal(e.GetProperty("data_offset").GetInt64(), hdu.DataOffset);
            Assert.Equal(e.GetProperty("data_bytes").GetInt64(), hdu.DataBytes);
            Fixture.AssertHeader(e.GetProperty("header"), hdu.Header, ctx);
            string type = e.GetProperty("type").GetString()!;
            Assert.Equal(type switch { "PRIMARY" => FitsHduType.Primary, "IMAGE" => FitsHduType.Image, "BINTABLE" => FitsHduType.BinaryTable, _ => FitsHduType.Other }, hdu.Type);
            if (e.TryGetProperty("dtype", out JsonElement dtype) && dtype.ValueKind == JsonValueKind.String)
            {
                Assert.Equal(ClrType(dtype.GetString()!), hdu.PhysicalType);
                CheckSamples(hdu, e, ctx);
            }

            if (e.TryGetProperty("table", out JsonElement table))
            {
                CheckTable(hdu.ReadTable(), table, ctx);
            }
        }
    }

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void Broken_file_raises_one_clear_exception(string name)
    {
        JsonElement side = Fixture.Sidecar(name);
        FitsException e = Assert.Throws<FitsException>(() =>
        {
            using FitsFile f = FitsFile.Open(Fixture.PathOf(name));
        });
        Assert.Equal(name, e.FileName is null ? null : Path.GetFileName(e.FileName));
        if (name != "garbage.fits")
        {
            Assert.Equal(0, e.HduIndex);
            Assert.Equal(0, e.ByteOffset is long o && e.CardNumber is int c ? o - ((c - 1) * 80L) : e.ByteOffset);
        }
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith(name + ": ", e.Message, StringComparison.Ordinal);
        // The reference reader's message and ours name the same defect.
        string reference = side.GetProperty("standard_reader").GetString()!;
        string key = name switch
        {
            "bad_bitpix.fits" => "BITPIX = 12",
            "negative_naxis.fits" => "NAXIS1 = -5",
            "truncated_data.fits" => "data truncated",
            "truncated_header.fits" => "header truncated",
            "missing_end.fits" => "no END card",
            "garbage.fits" => "not a FITS file",
            _ => throw new Xunit.Sdk.XunitException("new broken fixture " + name + ": " + reference),
        };
        Assert.Contains(key, reference, StringComparison.Ordinal);
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gzip_file_reads_exactly_like_the_plain_one()
    {
        using FitsFile plain = FitsFile.Open(Fixture.PathOf("mef_hst.fits"));
        using FitsFile gz = FitsFile.Open(Fixture.PathOf("mef_hst.fits.gz"));
        Assert.Equal(plain.Hdus.Count, gz.Hdus.Count);
        for (int i = 0; i < plain.Hdus.Count; i++)
        {
            Assert.Equal(plain.Hdus[i].Header.ToCardImages(), gz.Hdus[i].Header.ToCardImages());
            var a = new MemoryStream();
            var b = new MemoryStream();
            plain.Hdus[i].CopyRawData(a);
            gz.Hdus[i].CopyRawData(b);
            Assert.Equal(a.ToArray(), b.ToArray());
        }
    }

    [Fact]
    public void Specs_address_hdus_by_name_version_and_index()
    {
        string path = Fixture.PathOf("mef_hst.fits");
        FitsImage<float> sci2 = FitsFile.ReadImage<float>(path + "[SCI,2]");
        Assert.Equal(2, sci2.Header.GetInt64("EXTVER"));
        FitsImage<float> first = FitsFile.ReadImage<float>(path);
        Assert.Equal("SCI", first.Header.GetString("EXTNAME"));
        Assert.Equal(1, first.Header.GetInt64("EXTVER"));
        FitsImage<short> dq = FitsFile.ReadImage<short>(path + "[3]");
        Assert.Equal("DQ", dq.Header.GetString("EXTNAME"));
        FitsImage<float> sci2b = FitsFile.ReadImage<float>(path + "[sci,2]");
        Assert.Equal(sci2.Data, sci2b.Data);
        Assert.Throws<FitsException>(() => FitsFile.ReadImage<float>(path + "[SCI,3]"));
        Assert.Throws<FitsException>(() => FitsFile.ReadImage<float>(path + "[9]"));
        Assert.Throws<FitsException>(() => FitsFile.ReadImage<float>(Fixture.PathOf("table_between.fits") + "[1]"));
        Assert.Equal(new FitsSpec("a.fits", ExtName: "SCI", ExtVer: 2), FitsSpec.Parse("a.fits[SCI,2]"));
        Assert.Equal(new FitsSpec("a.fits", Index: 3), FitsSpec.Parse("a.fits[3]"));
        Assert.Equal(new FitsSpec("a.fits", ExtName: "DQ"), FitsSpec.Parse("a.fits[DQ]"));
        Assert.Equal(new FitsSpec("dir/a.fits"), FitsSpec.Parse("dir/a.fits"));
        Assert.Equal("a.fits[SCI,2]", FitsSpec.Parse("a.fits[ SCI , 2 ]").ToString());
        Assert.Throws<FitsException>(() => FitsSpec.Parse("a.fits[SCI,x]"));
        Assert.Throws<FitsException>(() => FitsSpec.Parse("a.fits[-1]"));
        Assert.Equal("O'HARA", FitsFile.ReadHeader(Fixture.PathOf("header_cards.fits")).GetString("OHARA"));
        Assert.Equal("RA---TAN-SIP", FitsFile.ReadHeader(Fixture.PathOf("sip2_wfc_apbp.hdr")).GetString("CTYPE1"));
    }

    [Fact]
    public void Integer_reads_check_range_and_integrality()
    {
        string path = Fixture.PathOf("uint16_bzero.fits");
        FitsImage<ushort> u = FitsFile.ReadImage<ushort>(path);
        FitsImage<int> i = FitsFile.ReadImage<int>(path);
        Assert.Equal(u.Data.Select(x => (int)x), i.Data);
        FitsException e = Assert.Throws<FitsException>(() => FitsFile.ReadImage<short>(path));
        Assert.Contains("does not fit Int16", e.Message, StringComparison.Ordinal);
        Assert.Throws<FitsException>(() => FitsFile.ReadImage<int>(Fixture.PathOf("float32_special.fits")));
        FitsImage<double> scaled = FitsFile.ReadImage<double>(Fixture.PathOf("int32_scaled_blank.fits") + "[SCALED]");
        Assert.True(double.IsNaN(scaled[2, 0]));
        Assert.Equal(100.5, scaled[1, 0]);
        FitsImage<float> scaledF = FitsFile.ReadImage<float>(Fixture.PathOf("int32_scaled_blank.fits") + "[SCALED]");
        Assert.True(float.IsNaN(scaledF[2, 0]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(100)]
    [InlineData(2880)]
    public void A_file_cut_inside_an_extension_header_is_truncated(int keep)
    {
        byte[] bytes = File.ReadAllBytes(Fixture.PathOf("mef_hst.fits"));
        byte[] cut = bytes[..(2880 + keep)];
        FitsException e = Assert.Throws<FitsException>(() => FitsFile.FromBytes(cut, "cut.fits"));
        Assert.Equal(1, e.HduIndex);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_junk_after_the_last_hdu_is_ignored()
    {
        byte[] bytes = File.ReadAllBytes(Fixture.PathOf("int16.fits"));
        using FitsFile zeros = FitsFile.FromBytes([.. bytes, .. new byte[2880]]);
        Assert.Single(zeros.Hdus);
        using FitsFile text = FitsFile.FromBytes([.. bytes, .. "JUNK after the end"u8.ToArray()]);
        Assert.Single(text.Hdus);
    }

    [Fact]
    public void Cube_indexer_follows_naxis_order()
    {
        FitsImage<float> cube = FitsFile.ReadImage<float>(Fixture.PathOf("cube3d.fits"));
        Assert.Equal([5, 4, 3], cube.Shape);
        Assert.Equal(1f + (10 * 2) + (100 * 2), cube[1, 2, 2]);
        Assert.Equal(3f + (10 * 1), cube[3, 1]);
    }

    internal static Type ClrType(string dtype) => dtype switch
    {
        "uint8" => typeof(byte),
        "int8" => typeof(sbyte),
        "int16" => typeof(short),
        "uint16" => typeof(ushort),
        "int32" => typeof(int),
        "uint32" => typeof(uint),
        "int64" => typeof(long),
        "uint64" => typeof(ulong),
        "float32" => typeof(float),
        "float64" => typeof(double),
        _ => throw new ArgumentException(dtype),
    };

    private static void CheckSamples(FitsHdu hdu, JsonElement e, string ctx)
    {
        Type t = hdu.PhysicalType;
        if (t == typeof(byte)) Check<byte>(hdu, e, ctx);
        else if (t == typeof(sbyte)) Check<sbyte>(hdu, e, ctx);
        else if (t == typeof(short)) Check<short>(hdu, e, ctx);
        else if (t == typeof(ushort)) Check<ushort>(hdu, e, ctx);
        else if (t == typeof(int)) Check<int>(hdu, e, ctx);
        else if (t == typeof(uint)) Check<uint>(hdu, e, ctx);
        else if (t == typeof(long)) Check<long>(hdu, e, ctx);
        else if (t == typeof(float)) Check<float>(hdu, e, ctx);
        else Check<double>(hdu, e, ctx);
    }

    private static void Check<T>(FitsHdu hdu, JsonElement e, string ctx)
        where T : unmanaged, INumber<T>
    {
        if (hdu.ElementCount == 0)
        {
            return;
        }

        FitsImage<T> img = hdu.ReadImage<T>();
        Assert.Equal(hdu.Shape.Select(x => (int)x), img.Shape);
        int listed = 0;
        foreach (JsonElement s in e.GetProperty("data").EnumerateArray())
        {
            long[] at = s.GetProperty("at").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            long index = 0;
            for (int k = at.Length - 1; k >= 0; k--)
            {
                index = (index * hdu.Shape[k]) + at[k];
            }

            T v = img.Data[index];
            string where = $"{ctx} at [{string.Join(",", at)}]";
            JsonElement value = s.GetProperty("value");
            if (s.TryGetProperty("bits", out JsonElement bits))
            {
                ulong want = ulong.Parse(bits.GetString()![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                ulong got = v is float f ? BitConverter.SingleToUInt32Bits(f) : BitConverter.DoubleToUInt64Bits(double.CreateTruncating(v));
                Assert.True(want == got, $"{where}: bits 0x{got:x} != {bits}");
            }
            else if (value.ValueKind == JsonValueKind.String)
            {
                double d = double.CreateTruncating(v);
                switch (value.GetString())
                {
                    case "NaN": Assert.True(double.IsNaN(d), where); break;
                    case "Infinity": Assert.Equal(double.PositiveInfinity, d); break;
                    case "-Infinity": Assert.Equal(double.NegativeInfinity, d); break;
                    case "-0.0": Assert.True(d == 0 && double.IsNegative(d), where); break;
                    default: throw new Xunit.Sdk.XunitException(where + ": " + value);
                }
            }
            else
            {
                string raw = value.GetRawText();
                if (typeof(T) == typeof(double) || typeof(T) == typeof(float))
                {
                    Assert.Equal(value.GetDouble(), double.CreateTruncating(v));
                }
                else
                {
                    Assert.Equal(BigInteger.Parse(raw, CultureInfo.InvariantCulture), BigInteger.CreateTruncating(v));
                }
            }

            listed++;
        }

        if (e.TryGetProperty("data_complete", out JsonElement complete) && complete.GetBoolean())
        {
            Assert.Equal(hdu.ElementCount, listed);
        }
    }

    private static void CheckTable(FitsTable t, JsonElement table, string ctx)
    {
        Assert.Equal(table.GetProperty("nrows").GetInt32(), t.RowCount);
        JsonElement cols = table.GetProperty("columns");
        Assert.Equal(cols.GetArrayLength(), t.Columns.Count);
        int i = 0;
        foreach (JsonElement c in cols.EnumerateArray())
        {
            FitsColumn col = t.Columns[i++];
            Assert.Equal(c.GetProperty("name").GetString(), col.Name);
            Assert.Equal(c.GetProperty("tform").GetString(), col.Format);
            int r = 0;
            foreach (JsonElement v in c.GetProperty("values").EnumerateArray())
            {
                if (v.ValueKind == JsonValueKind.Array)
                {
                    int k = 0;
                    foreach (JsonElement x in v.EnumerateArray())
                    {
                        CheckCell(col, (r * col.Repeat) + k++, x, $"{ctx} {col.Name}[{r}]");
                    }
                }
                else
                {
                    CheckCell(col, r, v, $"{ctx} {col.Name}[{r}]");
                }

                r++;
            }
        }
    }

    private static void CheckCell(FitsColumn col, int i, JsonElement v, string where)
    {
        object cell = col.Data.GetValue(i)!;
        switch (v.ValueKind)
        {
            case JsonValueKind.String when col.Code == 'A':
                Assert.Equal(v.GetString(), cell);
                break;
            case JsonValueKind.String:
                double d = Convert.ToDouble(cell, CultureInfo.InvariantCulture);
                Assert.True(v.GetString() switch { "NaN" => double.IsNaN(d), "-0.0" => d == 0 && double.IsNegative(d), _ => false }, where);
                break;
            case JsonValueKind.True or JsonValueKind.False:
                Assert.Equal(v.GetBoolean(), cell);
                break;
            default:
                string raw = v.GetRawText();
                if (cell is float or double)
                {
                    Assert.Equal(v.GetDouble(), Convert.ToDouble(cell, CultureInfo.InvariantCulture));
                }
                else
                {
                    Assert.Equal(BigInteger.Parse(raw, CultureInfo.InvariantCulture), new BigInteger(Convert.ToDecimal(cell, CultureInfo.InvariantCulture)));
                }

                break;
        }
    }
}
