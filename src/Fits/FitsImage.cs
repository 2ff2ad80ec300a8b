using System.Numerics;

namespace TweakDrizzle.Fits;

/// <summary>An image in memory: header, axis lengths and the pixel array, NAXIS1 fastest.</summary>
/// <typeparam name="T">The pixel type (physical values).</typeparam>
/// <remarks>
/// Element (x, y, z) is at <c>Data[x + nx*(y + ny*z)]</c>; for a 2-D image index = y*nx + x. Coordinates are
/// 0-based. The header and array are shared, not copied: edit a clone when the original must stay intact.
/// </remarks>
public sealed class FitsImage<T>
    where T : unmanaged, INumber<T>
{
    /// <summary>Creates an image.</summary>
    /// <param name="data">The pixels, NAXIS1 fastest; its length must be the product of <paramref name="shape"/>.</param>
    /// <param name="shape">The axis lengths [NAXIS1, NAXIS2, ...].</param>
    /// <param name="header">The header (non-structural keywords are kept when written), or null for an empty one.</param>
    /// <exception cref="ArgumentException">The data length does not match the shape.</exception>
    public FitsImage(T[] data, int[] shape, FitsHeader? header = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long n = shape.Length == 0 ? 0 : 1;
        foreach (int a in shape)
        {
            if (a < 0)
            {
                throw new ArgumentException("Axis lengths must not be negative.", nameof(shape));
            }

            n *= a;
        }

        if (n != data.Length)
        {
            throw new ArgumentException($"The data has {data.Length} elements but the shape [{string.Join(", ", shape)}] needs {n}.", nameof(data));
        }

        Data = data;
        Shape = shape;
        Header = header ?? new FitsHeader();
    }

    /// <summary>Creates a 2-D image.</summary>
    /// <param name="data">The pixels, row by row (index = y*width + x).</param>
    /// <param name="width">NAXIS1.</param>
    /// <param name="height">NAXIS2.</param>
    /// <param name="header">The header, or null.</param>
    public FitsImage(T[] data, int width, int height, FitsHeader? header = null)
        : this(data, [width, height], header)
    {
    }

    /// <summary>The header (structural keywords included when read from a file).</summary>
    public FitsHeader Header { get; }

    /// <summary>The axis lengths [NAXIS1, NAXIS2, ...].</summary>
    public int[] Shape { get; }

    /// <summary>The pixels, NAXIS1 fastest.</summary>
    public T[] Data { get; }

    /// <summary>NAXIS1 (0 for an empty image).</summary>
    public int Width => Shape.Length > 0 ? Shape[0] : 0;

    /// <summary>NAXIS2 (1 for a 1-D image, 0 for an empty one).</summary>
    public int Height => Shape.Length > 1 ? Shape[1] : Shape.Length == 1 ? 1 : 0;

    /// <summary>The pixel at column <paramref name="x"/>, row <paramref name="y"/> (0-based) of a 2-D image or of the first plane.</summary>
    /// <param name="x">Column (NAXIS1 index).</param>
    /// <param name="y">Row (NAXIS2 index).</param>
    public T this[int x, int y]
    {
        get => Data[(long)y * Width + x];
        set => Data[(long)y * Width + x] = value;
    }

    /// <summary>The pixel at (<paramref name="x"/>, <paramref name="y"/>, <paramref name="z"/>) of a cube (0-based; z along NAXIS3).</summary>
    /// <param name="x">NAXIS1 index.</param>
    /// <param name="y">NAXIS2 index.</param>
    /// <param name="z">NAXIS3 index (the plane).</param>
    public T this[int x, int y, int z]
    {
        get => Data[(((long)z * Height) + y) * Width + x];
        set => Data[(((long)z * Height) + y) * Width + x] = value;
    }
}
