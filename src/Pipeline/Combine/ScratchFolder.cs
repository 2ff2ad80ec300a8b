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
/// Scratch images for the steps that stream (separate drizzles, the median): kept in memory while they fit in
/// <see cref="MemoryBytes"/>, else raw float32 files (native byte order) in a private folder, created on first use
/// and deleted with everything in it on <see cref="Dispose"/>.
/// </summary>
internal sealed class ScratchFolder(string parent, string name, long memoryBytes) : IDisposable
{
    private readonly List<ScratchImage> _images = [];
    private string? _folder;

    /// <summary>How many bytes of scratch images may stay in memory.</summary>
    public long MemoryBytes => memoryBytes;

    /// <summary>Bytes of scratch images now held in memory.</summary>
    public long MemoryInUse => _images.Where(i => !i.Disposed && i.InMemory).Sum(i => i.Window.PixelCount * sizeof(float));

    /// <summary>A new image covering <paramref name="window"/> of a grid (in memory when it fits, else on disk), zero-filled.</summary>
    public ScratchImage Create(string imageName, GridWindow window)
    {
        ScratchImage image;
        if (MemoryInUse + (window.PixelCount * sizeof(float)) <= memoryBytes)
        {
            image = new ScratchImage(window);
        }
        else
        {
            _folder ??= Directory.CreateDirectory(Path.Combine(parent, "." + name + ".scratch-" + Guid.NewGuid().ToString("N")[..12])).FullName;
            image = new ScratchImage(Path.Combine(_folder, imageName + ".f32"), window);
        }

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
        if (_folder is null)
        {
            return;
        }

        try
        {
            Directory.Delete(_folder, true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind; nothing else can be done.
        }
    }
}

/// <summary>One float32 image covering a window of a grid, in memory or in a file; rows are read and written by grid row.</summary>
internal sealed class ScratchImage : IDisposable
{
    private readonly SafeFileHandle? _handle;
    private float[]? _data;

    /// <summary>An image in memory (its array is allocated at the first write).</summary>
    public ScratchImage(GridWindow window)
    {
        Window = window;
    }

    /// <summary>An image in a new file.</summary>
    public ScratchImage(string path, GridWindow window)
    {
        Window = window;
        _handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        RandomAccess.SetLength(_handle, window.PixelCount * sizeof(float));
    }

    public GridWindow Window { get; }

    public bool InMemory => _handle is null;

    public bool Disposed { get; private set; }

    /// <summary>Takes the whole window (row-major, Window.Width x Window.Height); an in-memory image keeps the array itself.</summary>
    public void WriteAll(float[] data)
    {
        if (_handle is null)
        {
            _data = data;
            return;
        }

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
        long offset = (long)(gridRow - Window.Y0) * Window.Width;
        if (_handle is null)
        {
            _data ??= new float[Window.PixelCount];
            rows.CopyTo(_data.AsSpan((int)offset, rows.Length));
            return;
        }

        RandomAccess.Write(_handle, MemoryMarshal.AsBytes(rows), offset * sizeof(float));
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
            long element = ((long)(r - Window.Y0) * Window.Width) + (c0 - Window.X0);
            Span<float> target = destination.Slice(((r - row0) * width) + (c0 - col0), c1 - c0);
            if (_handle is null)
            {
                if (_data is null)
                {
                    target.Clear();
                }
                else
                {
                    _data.AsSpan((int)element, c1 - c0).CopyTo(target);
                }

                continue;
            }

            long offset = element * sizeof(float);
            Span<byte> bytes = MemoryMarshal.AsBytes(target);
            while (bytes.Length > 0)
            {
                int read = RandomAccess.Read(_handle, bytes, offset);
                if (read <= 0)
                {
                    throw new IOException("short read from a scratch file");
                }

                bytes = bytes[read..];
                offset += read;
            }
        }
    }

    /// <summary>Releases the memory or closes the file.</summary>
    public void Dispose()
    {
        Disposed = true;
        _data = null;
        _handle?.Dispose();
    }
}
