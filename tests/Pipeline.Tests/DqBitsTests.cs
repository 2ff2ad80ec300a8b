using TweakDrizzle.Pipeline;

namespace TweakDrizzle.Pipeline.Tests;

public class DqBitsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  None ")]
    [InlineData("INDEF")]
    public void NoneMeansEveryPixelIsGood(string? text)
    {
        DqBits b = DqBits.Parse(text);
        Assert.False(b.UsesDq);
        Assert.True(b.IsGood(0xFFFFFFFF));
    }

    [Fact]
    public void ZeroRejectsEveryFlaggedPixel()
    {
        DqBits b = DqBits.Parse("0");
        Assert.True(b.IsGood(0));
        Assert.False(b.IsGood(1));
        Assert.False(b.IsGood(4096));
        Assert.Equal(DqBits.AllBad.IgnoredBits, b.IgnoredBits);
    }

    [Theory]
    [InlineData("4,16", 20u)]
    [InlineData("4+16", 20u)]
    [InlineData("4|16", 20u)]
    [InlineData("(4, 16)", 20u)]
    [InlineData("96", 96u)]
    [InlineData("64,32", 96u)]
    public void ListsAndIntegersGiveTheIgnoredBits(string text, uint ignored)
    {
        DqBits b = DqBits.Parse(text);
        Assert.Equal(ignored, b.IgnoredBits);
        Assert.True(b.IsGood(ignored));
        Assert.False(b.IsGood(ignored | 256));
    }

    [Fact]
    public void TildeInvertsTheSelection()
    {
        DqBits b = DqBits.Parse("~4,16");
        Assert.Equal(~20u, b.IgnoredBits);
        Assert.Equal(20u, b.RejectedBits);
        Assert.False(b.IsGood(4));
        Assert.False(b.IsGood(16 | 256));
        Assert.True(b.IsGood(256 | 4096));
        Assert.Equal(~20u, DqBits.Parse("~(4+16)").IgnoredBits);
        Assert.True(DqBits.Parse("~0").IsGood(0xFFFFFFFF));
    }

    [Theory]
    [InlineData("4,abc")]
    [InlineData("4,6")]
    [InlineData("4,16+32")]
    [InlineData("-4")]
    [InlineData("~")]
    [InlineData("4,(16)")]
    [InlineData("99999999999")]
    public void BadExpressionsThrowFormatException(string text)
    {
        FormatException ex = Assert.Throws<FormatException>(() => DqBits.Parse(text));
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void GoodMaskHandlesSignedShortPatterns()
    {
        short[] dq = [0, 4, 16, 256, unchecked((short)0x8000), 20];
        var good = new bool[dq.Length];
        DqBits.Parse("4,16").GoodMask(dq, good);
        Assert.Equal([true, true, true, false, false, true], good);
        uint[] dq32 = [0, 4, 0x10000, 0x80000000];
        var good32 = new bool[dq32.Length];
        DqBits.Parse("~4").GoodMask(dq32, good32);
        Assert.Equal([true, false, true, true], good32);
    }
}
