namespace TweakDrizzle.Diagnostics.Images;

/// <summary>How <see cref="ImageOps.BlockReduce"/> combines the pixels of a block.</summary>
public enum BlockReduction
{
    /// <summary>Mean of the finite pixels (NaN when none is finite).</summary>
    Mean,

    /// <summary>Largest finite pixel: keeps single bright (or flagged) pixels visible.</summary>
    Max,

    /// <summary>Smallest finite pixel: keeps single empty pixels visible.</summary>
    Min,
}

/// <summary>Image helpers for previews: block reduction to a display size.</summary>
public static class ImageOps
{
    /// <summary>The smallest integer factor that makes the image fit in <paramref name="maxSize"/> pixels on its longest side.</summary>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="maxSize">Longest side allowed.</param>
    /// <returns>The factor, 1 or more.</returns>
    public static int ReductionFactor(int width, int height, int maxSize) =>
        Math.Max(1, (int)Math.Ceiling(Math.Max(width, height) / (double)Math.Max(1, maxSize)));

    /// <summary>Reduces an image by combining <paramref name="factor"/> × <paramref name="factor"/> blocks; edge
    /// blocks use the pixels they have.</summary>
    /// <param name="data">Row-major pixels.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="factor">Block size, 1 or more.</param>
    /// <param name="mode">How a block is combined.</param>
    /// <returns>The reduced image and its size.</returns>
    public static (float[] Data, int Width, int Height) BlockReduce(ReadOnlySpan<float> data, int width, int height, int factor, BlockReduction mode = BlockReduction.Mean)
    {
        CheckShape(data.Length, width, height);
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        int w = (width + factor - 1) / factor, h = (height + factor - 1) / factor;
        var sum = new double[w * h];
        var count = new int[w * h];
        if (mode != BlockReduction.Mean)
        {
            Array.Fill(sum, mode == BlockReduction.Max ? double.NegativeInfinity : double.PositiveInfinity);
        }

        for (int y = 0; y < height; y++)
        {
            int row = y / factor * w;
            ReadOnlySpan<float> src = data.Slice(y * width, width);
            for (int x = 0; x < width; x++)
            {
                float v = src[x];
                if (!float.IsFinite(v))
                {
                    continue;
                }

                int k = row + (x / factor);
                count[k]++;
                sum[k] = mode switch
                {
                    BlockReduction.Max => Math.Max(sum[k], v),
                    BlockReduction.Min => Math.Min(sum[k], v),
                    _ => sum[k] + v,
                };
            }
        }

        var result = new float[w * h];
        for (int k = 0; k < result.Length; k++)
        {
            result[k] = count[k] == 0 ? float.NaN : (float)(mode == BlockReduction.Mean ? sum[k] / count[k] : sum[k]);
        }

        return (result, w, h);
    }

    internal static void CheckShape(int length, int width, int height)
    {
        if (width < 1 || height < 1 || (long)width * height != length)
        {
            throw new ArgumentException($"An image of {width} × {height} pixels needs {(long)width * height} values, not {length}.");
        }
    }
}
