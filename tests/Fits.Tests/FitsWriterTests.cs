using System.Numerics;
using TweakDrizzle.Fits;

namespace TweakDrizzle.Fits.Tests;

public sealed class FitsWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fits-writer-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Temp(string name) => Path.Combine(_dir, name);

    private static T[] Ramp<T>(int n, Func<int, T> f) => Enumerable.Range(0, n).Select(f).ToArray();

    [Fact]
    public void Every_pixel_type_round_trips_exactly()
    {
        const int n = 35;
        RoundTrip(Ramp(n, i => i == 3 ? float.NaN : i == 4 ? -0.0f : i == 5 ? float.PositiveInfinity : i * 1.25f - 7), -32, null);
        RoundTrip(Ramp(n, i => i == 3 ? double.NaN : i == 4 ? -0.0 : i * Math.PI), -64, null);
        RoundTrip(Ramp(n, i => (byte)(i * 7)), 8, null);
        RoundTrip(Ramp(n, i => (sbyte)(i * 7 - 120)), 8, -128L);
        RoundTrip(Ramp(n, i => (short)(i * 1000 - 17000)), 16, null);
        RoundTrip(Ramp(n, i => (ushort)(i * 1900)), 16, 32768L);
        RoundTrip(Ramp(n, i => i * 123456789 - 2000000000), 32, null);
        RoundTrip(Ramp(n, i => i == 0 ? uint.MaxValue : (uint)i * 122713351u), 32, 2147483648L);
        RoundTrip(Ramp(n, i => i == 0 ? long.MinValue : i == 1 ? long.MaxValue : (1L << 53) + i), 64, null);
        RoundTrip(Ramp(n, i => i == 0 ? ulong.MaxValue : (ulong)i << 58), 64, new BigInteger(9223372036854775808UL));
    }

    private void RoundTrip<T>(T[] data, int bitpix, object? bzero)
        where T : unmanaged, INumber<T>
    {
        string path = Temp(typeof(T).Name + ".fits");
        FitsWriter.Write(path, [FitsWriteHdu.Empty(), FitsWriteHdu.Image(data, [7, 5]).Named("SCI", 2)]);
        Assert.Equal(0, new FileInfo(path).Length % 2880);
        using FitsFile f = FitsFile.Open(path);
        FitsHdu hdu = f.Find("SCI", 2)!;
        Assert.Equal(bitpix, hdu.Bitpix);
        Assert.Equal(typeof(T), hdu.PhysicalType);
        Assert.Equal(bzero, hdu.Header.GetValue("BZERO"));
        Assert.Equal(new long[] { 7, 5 }, hdu.Shape);
        T[] back = hdu.ReadImage<T>().Data;
        Assert.Equal(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()).ToArray(),
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(back.AsSpan()).ToArray());
    }

    [Fact]
    public void Float_bits_survive_including_negative_zero_and_nan_payloads()
    {
        float[] data = [BitConverter.UInt32BitsToSingle(0x7fc00001), -0.0f, BitConverter.UInt32BitsToSingle(0xffc00000), 1.401298464324817e-45f];
        string path = Temp("bits.fits");
        FitsWriter.Write(path, new FitsImage<float>(data, 4, 1));
        float[] back = FitsFile.ReadImage<float>(path).Data;
        Assert.Equal(data.Select(BitConverter.SingleToUInt32Bits), back.Select(BitConverter.SingleToUInt32Bits));
    }

    [Fact]
    public void User_cards_are_kept_in_order_and_structural_ones_replaced()
    {
        var h = new FitsHeader();
        h.Set("BITPIX", 16);
        h.Set("NAXIS1", 99);
        h.Set("EXTNAME", "SCI");
        h.Set("CRPIX1", 10.5, "reference pixel");
        h.Set("BZERO", 5.0);
        h.Set("BLANK", -1);
        h.AddCommentary("HISTORY", "made by a test");
        string path = Temp("cards.fits");
        FitsWriter.Write(path, [FitsWriteHdu.Empty(), FitsWriteHdu.Image(new float[6], [3, 2], h)]);
        using FitsFile f = FitsFile.Open(path);
        FitsHeader back = f.Hdus[1].Header;
        Assert.Equal(["XTENSION", "BITPIX", "NAXIS", "NAXIS1", "NAXIS2", "PCOUNT", "GCOUNT", "EXTNAME", "CRPIX1", "HISTORY"], back.Select(c => c.Key));
        Assert.Equal(-32, back.GetInt64("BITPIX"));
        Assert.Equal("reference pixel", back[8].Comment);
        Assert.Equal(["SIMPLE", "BITPIX", "NAXIS", "EXTEND"], f.Hdus[0].Header.Select(c => c.Key));
    }

    [Fact]
    public void Tables_round_trip_and_a_table_first_gets_an_empty_primary()
    {
        var table = new FitsTable([
            FitsColumn.Create("ID", new[] { 1, 2, 3 }),
            FitsColumn.Create("RA", new[] { 150.1, 150.2, 359.999999 }, unit: "deg"),
            FitsColumn.Create("MAGS", new[] { 1f, 2f, 3f, 4f, 5f, 6f }, repeat: 2),
            FitsColumn.Create("DQ", new ushort[] { 0, 40000, 65535 }),
            FitsColumn.Create("BIG", new[] { long.MinValue, 0, long.MaxValue }),
            FitsColumn.Logical("OK", [true, false, true]),
            FitsColumn.Strings("NAME", ["a", "it's", ""], 6),
        ]);
        string path = Temp("table.fits");
        var h = new FitsHeader();
        h.Set("EXTNAME", "CATALOG");
        h.Set("TTYPE1", "WRONG");
        FitsWriter.Write(path, [FitsWriteHdu.Table(table, h)]);
        using FitsFile f = FitsFile.Open(path);
        Assert.Equal(2, f.Hdus.Count);
        Assert.Empty(f.Hdus[0].Shape);
        FitsTable back = f.Find("CATALOG")!.ReadTable();
        Assert.Equal(3, back.RowCount);
        Assert.Equal(["ID", "RA", "MAGS", "DQ", "BIG", "OK", "NAME"], back.Columns.Select(c => c.Name));
        Assert.Equal(["J", "D", "2E", "I", "K", "L", "6A"], back.Columns.Select(c => c.Format));
        Assert.Equal(new[] { 1, 2, 3 }, back["ID"].Get<int>());
        Assert.Equal("deg", back["RA"].Unit);
        Assert.Equal(new[] { 150.1, 150.2, 359.999999 }, back["RA"].Get<double>());
        Assert.Equal(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, back["MAGS"].Get<float>());
        Assert.Equal(new ushort[] { 0, 40000, 65535 }, back["DQ"].Get<ushort>());
        Assert.Equal(new[] { long.MinValue, 0, long.MaxValue }, back["BIG"].Get<long>());
        Assert.Equal(new[] { true, false, true }, back["OK"].Get<bool>());
        Assert.Equal(new[] { "a", "it's", "" }, back["NAME"].Get<string>());
        Assert.Throws<ArgumentException>(() => new FitsTable([FitsColumn.Create("A", new[] { 1 }), FitsColumn.Create("B", new[] { 1, 2 })]));
    }

    [Fact]
    public void Copy_is_bit_for_bit_and_atomic_writes_leave_no_temp_files()
    {
        foreach (string name in new[] { "mef_hst.fits", "table_between.fits", "header_cards.fits", "end_at_boundary.fits", "float32_special.fits" })
        {
            string dest = Temp(name);
            FitsWriter.Copy(Fixture.PathOf(name), dest);
            Assert.Equal(File.ReadAllBytes(Fixture.PathOf(name)), File.ReadAllBytes(dest));
        }

        string fromGz = Temp("fromgz.fits");
        FitsWriter.Copy(Fixture.PathOf("mef_hst.fits.gz"), fromGz);
        Assert.Equal(File.ReadAllBytes(Fixture.PathOf("mef_hst.fits")), File.ReadAllBytes(fromGz));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_untouched()
    {
        string path = Temp("keep.fits");
        FitsWriter.Write(path, new FitsImage<short>([1, 2, 3, 4], 2, 2));
        byte[] before = File.ReadAllBytes(path);
        var bad = new FitsTable([FitsColumn.Create("X", new[] { 1.0 })]);
        Assert.ThrowsAny<Exception>(() => FitsWriter.Write(path, [FitsWriteHdu.Empty(), new ThrowingHdu()]));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
        Assert.Throws<FitsException>(() => FitsWriter.Write(path, [FitsWriteHdu.Table(bad)], new FitsWriteOptions { Overwrite = false }));
    }

    private sealed class ThrowingHdu : FitsWriteHdu
    {
        public ThrowingHdu()
            : base(new FitsHeader())
        {
        }

        internal override long DataBytes => 8;

        internal override FitsHeader BuildHeader(bool primary) => Structural(primary, 8, [8], "IMAGE");

        internal override void WriteData(Stream stream, ChecksumAccumulator? sum) => throw new IOException("disk full");
    }
}
