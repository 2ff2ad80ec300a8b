using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TweakDrizzle.Pipeline.Combine;

/// <summary>A rectangle of a grid: pixel (0, 0) of the window is grid pixel (<see cref="X0"/>, <see cref="Y0"/>).</summary>
/// <param name="X0">First grid column.</param>
/// <param name="Y0">First grid row.</param>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
internal readonly record struct GridWindow(int X0, int Y0, int Width, int Height)
{
    public long PixelCount => (long)Width * Height;

    public bool IsEmpty => Width <= 0 || Height <= 0;

    /// <summary>The window covering [xmin, xmax] x [ymin, ymax] (grid coordinates, pixel centres at integers) grown by <paramref name="margin"/>, clipped to the grid.</summary>
    public static GridWindow Around(double xmin, double xmax, double ymin, double ymax, double margin, int gridWidth, int gridHeight)
    {
        if (!(xmin <= xmax) || !(ymin <= ymax))
        {
            return default;
        }

        double x0 = Math.Max(0, Math.Floor(xmin - margin)), y0 = Math.Max(0, Math.Floor(ymin - margin));
        double x1 = Math.Min(gridWidth - 1, Math.Ceiling(xmax + margin)), y1 = Math.Min(gridHeight - 1, Math.Ceiling(ymax + margin));
        return x1 < x0 || y1 < y0 ? default : new GridWindow((int)x0, (int)y0, (int)(x1 - x0) + 1, (int)(y1 - y0) + 1);
    }
}

/// <summary>
/// A private folder of raw float32 images (native byte order) for the steps that stream: separate drizzles, the
/// median. Deleted with everything in it on <see cref="Dispose"/>.
/// </summary>
internal sealed class ScratchFolder : IDisposable
{
    private readonly List<ScratchImage> _images = [];

    public ScratchFolder(string parent, string name)
    {
        Folder = Path.Combine(parent, "." + name + ".scratch-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    /// <summary>A new zero-filled image covering <paramref name="window"/> of a grid.</summary>
    public ScratchImage Create(string name, GridWindow window)
    {
        var image = new ScratchImage(Path.Combine(Folder, name + ".f32"), window);
        _images.Add(image);
        return image;
    }

    public void Dispose()
    {
        foreach (ScratchImage image in _images)
        {
            image.Dispose();
        }

        _images.Clear();
        try
        {
            Directory.Delete(Folder, true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind; nothing else can be done.
        }
    }
}

/// <summary>One float32 image on disk covering a window of a grid; rows are read and written by grid row.</summary>
internal sealed class ScratchImage : IDisposable
{
    private readonly SafeFileHandle _handle;

    public ScratchImage(string path, GridWindow window)
    {
        Path = path;
        Window = window;
        _handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        RandomAccess.SetLength(_handle, window.PixelCount * sizeof(float));
    }

    public string Path { get; }

    public GridWindow Window { get; }

    /// <summary>Writes the whole window (row-major, Window.Width x Window.Height).</summary>
    public void WriteAll(float[] data)
    {
        const int chunk = 1 << 22;
        for (long k = 0; k < data.LongLength; k += chunk)
        {
            int n = (int)Math.Min(chunk, data.LongLength - k);
            RandomAccess.Write(_handle, MemoryMarshal.AsBytes(data.AsSpan((int)k, n)), k * sizeof(float));
        }
    }

    /// <summary>Writes window rows starting at grid row <paramref name="gridRow"/> (full window width each).</summary>
    public void WriteRows(int gridRow, ReadOnlySpan<float> rows)
    {
        long offset = (long)(gridRow - Window.Y0) * Window.Width * sizeof(float);
        RandomAccess.Write(_handle, MemoryMarshal.AsBytes(rows), offset);
    }

    /// <summary>
    /// Reads grid rows [<paramref name="row0"/>, <paramref name="row1"/>) and columns [<paramref name="col0"/>,
    /// <paramref name="col0"/> + <paramref name="width"/>) into <paramref name="destination"/> (row-major); pixels
    /// outside the window get <paramref name="outside"/>.
    /// </summary>
    public void ReadRegion(int row0, int row1, int col0, int width, Span<float> destination, float outside)
    {
        destination[..((row1 - row0) * width)].Fill(outside);
        int c0 = Math.Max(col0, Window.X0), c1 = Math.Min(col0 + width, Window.X0 + Window.Width);
        int r0 = Math.Max(row0, Window.Y0), r1 = Math.Min(row1, Window.Y0 + Window.Height);
        if (c1 <= c0 || r1 <= r0)
        {
            return;
        }

        for (int r = r0; r < r1; r++)
        {
            long offset = ((((long)(r - Window.Y0) * Window.Width) + (c0 - Window.X0)) * sizeof(float));
            Span<float> target = destination.Slice(((r - row0) * width) + (c0 - col0), c1 - c0);
            Span<byte> bytes = MemoryMarshal.AsBytes(target);
            while (bytes.Length > 0)
            {
                int read = RandomAccess.Read(_handle, bytes, offset);
                if (read <= 0)
                {
                    throw new IOException($"short read from the scratch file {Path}");
                }

                bytes = bytes[read..];
                offset += read;
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}
