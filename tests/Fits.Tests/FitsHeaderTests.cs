using System.Numerics;
using System.Text;
using TweakDrizzle.Fits;

namespace TweakDrizzle.Fits.Tests;

public class FitsHeaderTests
{
    private static FitsHeader PrimaryHeaderOf(string name)
    {
        byte[] bytes = File.ReadAllBytes(Fixture.PathOf(name));
        return FitsHeader.Parse(bytes);
    }

    [Fact]
    public void Header_cards_fixture_reads_as_the_standard_says()
    {
        FitsHeader h = PrimaryHeaderOf("header_cards.fits");
        Fixture.AssertHeader(Fixture.Sidecar("header_cards.fits").GetProperty("hdus")[0].GetProperty("header"), h, "header_cards");
        Assert.Equal(67, h.CardImageCount);
    }

    [Fact]
    public void Typed_getters_convert_and_report_missing_keys()
    {
        FitsHeader h = PrimaryHeaderOf("header_cards.fits");
        Assert.Equal(1.5e-300, h.GetDouble("DEXP1"));
        Assert.Equal(42.0, h.GetDouble("PLUSINT"));
        Assert.Equal(2048, h.GetInt64("ESO DET WIN1 NX"));
        Assert.Equal(2048, h.GetInt64("HIERARCH ESO DET WIN1 NX"));
        Assert.Equal(-120.5, h.GetDouble("eso det chip temp"));
        Assert.False(h.TryGetInt64("BIG20", out _));
        Assert.Equal(BigInteger.Parse("12345678901234567890"), h.GetValue("BIG20"));
        Assert.Equal(long.MinValue, h.GetInt64("NEGI64"));
        Assert.Equal("O'HARA", h.GetString("OHARA"));
        Assert.True(h.TryGetBool("BOOLT", out bool t) && t);
        Assert.True(h.TryGetBool("BOOLF", out bool f) && !f);
        Assert.Equal(7.0, h.GetDouble("NOPE", 7.0));
        Assert.Equal(7.0, h.GetDouble("UNDEF", 7.0));
        Assert.Null(h.GetString("NOPE", null));
        FitsException e = Assert.Throws<FitsException>(() => h.GetDouble("NOPE"));
        Assert.Contains("NOPE", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<FitsException>(() => h.GetDouble("OBJECT"));
        Assert.Contains("does not hold a number", e.Message, StringComparison.Ordinal);
        Assert.Throws<FitsException>(() => h.GetInt64("DEXP1"));
        Assert.False(h.TryGetString("PLUSINT", out _));
        Assert.True(h.Contains("date-obs"));
    }

    [Fact]
    public void Unchanged_header_serialises_byte_identically()
    {
        byte[] file = File.ReadAllBytes(Fixture.PathOf("header_cards.fits"));
        FitsHeader h = FitsHeader.Parse(file);
        byte[] again = h.ToBytes();
        Assert.Equal(file.AsSpan(0, again.Length).ToArray(), again);
    }

    [Fact]
    public void Every_card_reformatted_reads_back_the_same()
    {
        FitsHeader h = PrimaryHeaderOf("header_cards.fits");
        foreach (FitsCard c in h)
        {
            FitsCard made = c.IsCommentary ? FitsCard.Commentary(c.Key, (string)c.Value!) : FitsCard.Create(c.Key, c.Value, c.Comment);
            FitsHeader back = FitsHeader.ParseCardText(made.ToString() + "\nEND");
            Assert.Single(back);
            Assert.Equal(c.Key, back[0].Key);
            Assert.Equal(c.Value, back[0].Value);
            Assert.Equal(c.Comment, back[0].Comment);
            if (c.Value is double d)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)back[0].Value!));
            }
        }
    }

    [Fact]
    public void Card_text_file_parses_like_a_header()
    {
        FitsHeader h = FitsHeader.ReadCardFile(Fixture.PathOf("sip2_wfc_apbp.hdr"));
        Assert.Equal(4096, h.GetInt64("NAXIS1"));
        Assert.Equal("RA---TAN-SIP", h.GetString("CTYPE1"));
        Assert.True(h.Contains("A_ORDER"));
        FitsHeader again = FitsHeader.ParseCardText(h.ToString());
        Assert.Equal(h.ToCardImages(), again.ToCardImages());
    }

    [Fact]
    public void Fixed_format_layout_matches_the_standard()
    {
        Assert.Equal("NAXIS1  =                 4096 / length of axis 1".PadRight(80), FitsCard.Create("naxis1", 4096, "length of axis 1").RawText);
        Assert.Equal("SIMPLE  =                    T".PadRight(80), FitsCard.Create("SIMPLE", true).RawText);
        Assert.Equal("XTENSION= 'IMAGE   '           / Image extension".PadRight(80), FitsCard.Create("XTENSION", "IMAGE", "Image extension").RawText);
        Assert.Equal(("CRVAL1  = " + "0.1".PadLeft(20)).PadRight(80), FitsCard.Create("CRVAL1", 0.1).RawText);
        Assert.Equal(("X       = " + "-0.0".PadLeft(20)).PadRight(80), FitsCard.Create("X", -0.0).RawText);
        Assert.Equal(("X       = " + "1.0E+300".PadLeft(20)).PadRight(80), FitsCard.Create("X", 1e300).RawText);
        Assert.Equal("UNDEF   =                      / nothing".PadRight(80), FitsCard.Create("UNDEF", null, "nothing").RawText);
        Assert.Equal("HIERARCH ESO DET DIT = 1.5 / exposure".PadRight(80), FitsCard.Create("ESO DET DIT", 1.5, "exposure").RawText);
        Assert.Equal("HISTORY done".PadRight(80), FitsCard.Commentary("HISTORY", "done").RawText);
        Assert.Throws<ArgumentException>(() => FitsCard.Create("X", double.NaN));
        Assert.Throws<ArgumentException>(() => FitsCard.Create("X", "caf\u00e9"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Long_strings_round_trip_without_splitting_quote_pairs(int seed)
    {
        var rng = new Random(seed);
        const string alphabet = "abc '&/ =xyz''";
        for (int trial = 0; trial < 300; trial++)
        {
            int n = rng.Next(0, 300);
            var sb = new StringBuilder();
            for (int i = 0; i < n; i++)
            {
                sb.Append(alphabet[rng.Next(alphabet.Length)]);
            }

            string value = sb.ToString().TrimEnd(' ');
            if (value.Length == 0 && n > 0)
            {
                value = "q";
            }

            string comment = rng.Next(3) switch
            {
                0 => string.Empty,
                1 => "short comment",
                _ => string.Join(' ', Enumerable.Range(0, rng.Next(1, 40)).Select(k => "w" + k)),
            };
            string key = rng.Next(4) == 0 ? "ESO LONG KEY" : "LONGKEY";
            FitsCard card = FitsCard.Create(key, value, comment);
            string[] images = Enumerable.Range(0, card.RawText.Length / 80).Select(i => card.RawText.Substring(i * 80, 80)).ToArray();
            foreach (string image in images)
            {
                Assert.Equal(80, image.Length);
                // A card must not end its value in the middle of a '' pair: re-parsing each image alone must close its string.
                FitsCard single = FitsCard.Parse(image);
                Assert.True(single.IsCommentary || single.Kind == FitsValueKind.String, $"seed {seed} trial {trial}: {image}");
            }

            FitsHeader back = FitsHeader.ParseCardText(string.Join('\n', images) + "\nNEXT    =                    1");
            Assert.Equal(2, back.Count);
            Assert.Equal(value, back[0].Value);
            Assert.Equal(comment, back[0].Comment);
            if (images.Length > 1)
            {
                // Every chunk but possibly one needed for the comment carries value text (no null substrings for cfitsio).
                Assert.DoesNotContain(images.Skip(1), im => im.StartsWith("CONTINUE  ''", StringComparison.Ordinal) && !im.StartsWith("CONTINUE  '''", StringComparison.Ordinal) && value.Length >= images.Length);
            }
        }
    }

    [Fact]
    public void Random_numbers_round_trip_exactly_through_cards()
    {
        var rng = new Random(7);
        Span<byte> bits = stackalloc byte[8];
        for (int i = 0; i < 5000; i++)
        {
            rng.NextBytes(bits);
            double d = BitConverter.ToDouble(bits);
            if (!double.IsFinite(d))
            {
                continue;
            }

            FitsCard back = FitsCard.Parse(FitsCard.Create("X", d, "c").RawText);
            Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)back.Value!));
            long l = BitConverter.ToInt64(bits);
            Assert.Equal(l, FitsCard.Parse(FitsCard.Create("Y", l).RawText).Value);
            var big = new BigInteger(l) * long.MaxValue * (i % 2 == 0 ? 1 : -1);
            object want = big >= long.MinValue && big <= long.MaxValue ? (long)big : big;
            Assert.Equal(want, FitsCard.Parse(FitsCard.Create("Z", big).RawText).Value);
        }
    }

    [Fact]
    public void Comment_goes_on_the_last_value_card()
    {
        string value = new('v', 100);
        FitsCard card = FitsCard.Create("LONGSTR", value, "the comment");
        Assert.Equal(160, card.RawText.Length);
        Assert.StartsWith("LONGSTR = '" + new string('v', 67) + "&'", card.RawText, StringComparison.Ordinal);
        Assert.Equal(("CONTINUE  '" + new string('v', 33) + "' / the comment").PadRight(80), card.RawText[80..]);
    }

    [Fact]
    public void Editing_keeps_order_and_comments()
    {
        FitsHeader h = FitsHeader.ParseCardText("SIMPLE  =                    T\nBITPIX  =                  -32\nNAXIS   =                    0\nCRVAL1  =                 10.0 / RA of reference\nHISTORY one\n");
        h.Set("CRVAL1", 11.5);
        Assert.Equal("RA of reference", h["CRVAL1" == h[3].Key ? 3 : 0].Comment);
        Assert.Equal(11.5, h.GetDouble("CRVAL1"));
        h.Set("NEWKEY", "x", "appended");
        Assert.Equal("NEWKEY", h[^1].Key);
        h.InsertAfter("NAXIS", "EXTEND", true);
        Assert.Equal("EXTEND", h[3].Key);
        h.InsertAfter("BITPIX", "EXTEND", true);
        Assert.Equal("EXTEND", h[2].Key);
        Assert.Single(h, c => c.Key == "EXTEND");
        Assert.True(h.Remove("NEWKEY"));
        Assert.False(h.Remove("NEWKEY"));
        FitsHeader copy = h.Clone();
        copy.Set("CRVAL1", 1.0);
        Assert.Equal(11.5, h.GetDouble("CRVAL1"));
        h.AddCommentary("HISTORY", new string('h', 100));
        Assert.Equal(3, h.RemoveAll("HISTORY"));
    }

    [Fact]
    public void Missing_end_and_non_ascii_are_reported()
    {
        FitsException e = Assert.Throws<FitsException>(() => FitsHeader.Parse(File.ReadAllBytes(Fixture.PathOf("missing_end.fits"))));
        Assert.NotNull(e.CardNumber);
        byte[] noEnd = Encoding.ASCII.GetBytes(new string(' ', 2880));
        e = Assert.Throws<FitsException>(() => FitsHeader.Parse(noEnd));
        Assert.Contains("no END", e.Message, StringComparison.Ordinal);
        Assert.Throws<FitsException>(() => FitsHeader.ParseCardText(new string('x', 81)));
    }
}
