using TweakDrizzle.Diagnostics.Images;
using TweakDrizzle.Diagnostics.Plotting;

namespace TweakDrizzle.Diagnostics.Tests;

public class PngWriterTests
{
    [Theory]
    [InlineData(PngColorType.Gray8, 1)]
    [InlineData(PngColorType.Rgb8, 3)]
    [InlineData(PngColorType.Gray16, 2)]
    public void Round_trips_through_a_decoder(PngColorType type, int bpp)
    {
        const int W = 37, H = 23;
        var rng = new Random(5);
        var pixels = new byte[W * H * bpp];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(i % 7 == 0 ? rng.Next(256) : (i * 3) + (i / W));
        }

        byte[] png = PngWriter.Encode(pixels, W, H, type);
        DecodedPng d = DecodedPng.Decode(png);
        Assert.Equal(W, d.Width);
        Assert.Equal(H, d.Height);
        Assert.Equal(type == PngColorType.Gray16 ? 16 : 8, d.BitDepth);
        Assert.Equal(type == PngColorType.Rgb8 ? 2 : 0, d.ColorType);
        Assert.Equal(pixels, d.Pixels);
    }

    [Fact]
    public void Crc_matches_the_png_standard_value_of_IEND() =>
        Assert.Equal(0xAE426082u, PngWriter.Crc("IEND"u8) ^ 0xFFFFFFFFu);

    [Fact]
    public void Wrong_buffer_size_is_rejected() =>
        Assert.Throws<ArgumentException>(() => PngWriter.Encode(new byte[10], 4, 4, PngColorType.Gray8));
}

public class ImagePreviewTests
{
    [Fact]
    public void Preview_is_reduced_flipped_and_stretched()
    {
        const int W = 300, H = 200;
        var data = new float[W * H];
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W; x++)
            {
                data[(y * W) + x] = y < 100 ? 1 : 100; // bright upper half (high y)
            }
        }

        data[0] = float.NaN;
        byte[] png = ImagePreview.ToPng(data, W, H, new PreviewOptions { MaxSize = 100, Stretch = StretchKind.Linear, LowPercent = 0, HighPercent = 100 });
        DecodedPng d = DecodedPng.Decode(png);
        Assert.Equal((100, 67), (d.Width, d.Height));
        Assert.Equal(255, d.Rgb(50, 5).R);   // top of the PNG = high y = bright
        Assert.Equal(0, d.Rgb(50, 60).R);    // bottom = low y = faint
    }

    [Fact]
    public void Zero_fill_does_not_set_the_black_level_and_colour_maps_give_rgb()
    {
        var data = new float[100];
        for (int i = 50; i < 100; i++)
        {
            data[i] = 10 + i;
        }

        ImageStretch s = ImagePreview.StretchFor(data, new PreviewOptions { LowPercent = 0, HighPercent = 100 });
        Assert.Equal(60, s.Vmin, 6);
        DecodedPng d = DecodedPng.Decode(ImagePreview.ToPng(data, 10, 10, new PreviewOptions { Colormap = Colormap.Viridis }));
        Assert.Equal(2, d.ColorType);
    }

    [Fact]
    public void Block_reduction_combines_finite_pixels()
    {
        float[] img = [1, 2, 3, float.NaN, 5, 6, 7, 8, 9, 10, 11, 12];
        (float[] mean, int w, int h) = ImageOps.BlockReduce(img, 4, 3, 2);
        Assert.Equal((2, 2), (w, h));
        Assert.Equal((1 + 2 + 5 + 6) / 4f, mean[0]);
        Assert.Equal((3 + 7 + 8) / 3f, mean[1]);
        Assert.Equal((9 + 10) / 2f, mean[2]);
        (float[] max, _, _) = ImageOps.BlockReduce(img, 4, 3, 2, BlockReduction.Max);
        Assert.Equal(8, max[1]);
        Assert.Equal(3, ImageOps.ReductionFactor(3000, 1000, 1024));
        Assert.Throws<ArgumentException>(() => ImageOps.BlockReduce(img, 5, 3, 2));
    }
}
