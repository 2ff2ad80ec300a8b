using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TweakDrizzle.Fits;

/// <summary>
/// Writes a FITS file whose image sizes are known up front but whose pixels arrive piece by piece (tiles of a
/// mosaic larger than memory): <see cref="Create"/> lays out every header and reserves the data areas,
/// <see cref="WritePixels{T}"/> fills any run of elements of a <see cref="FitsWriteHdu.Declared{T}"/> image, and
/// <see cref="Commit"/> renames the finished file over the destination. Until then the destination is untouched; a
/// writer disposed without <see cref="Commit"/> deletes its temporary file, so no partial product is ever left.
/// </summary>
/// <remarks>Not thread-safe: write from one thread at a time. Pixels never written read as 0.</remarks>
public sealed class FitsStreamWriter : IDisposable
{
    private readonly string _path;
    private readonly string _temp;
    private readonly FileStream _stream;
    private readonly List<Slot> _slots = [];
    private byte[] _buffer = new byte[1 << 20];
    private bool _committed;
    private bool _disposed;

    private FitsStreamWriter(string path, string temp, FileStream stream)
    {
        _path = path;
        _temp = temp;
        _stream = stream;
    }

    /// <summary>The destination file.</summary>
    public string Path => _path;

    /// <summary>Creates the temporary file next to <paramref name="path"/> and writes the headers (and the data of HDUs given with data).</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="hdus">The HDUs in order; <see cref="FitsWriteHdu.Declared{T}"/> images get their pixels later.</param>
    /// <returns>The writer.</returns>
    /// <exception cref="FitsException">The file cannot be created.</exception>
    public static FitsStreamWriter Create(string path, IReadOnlyList<FitsWriteHdu> hdus)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(hdus);
        if (hdus.Count == 0)
        {
            throw new ArgumentException("at least one HDU is needed", nameof(hdus));
        }

        string full = System.IO.Path.GetFullPath(path);
        string dir = System.IO.Path.GetDirectoryName(full) ?? ".";
        string temp = System.IO.Path.Combine(dir, "." + System.IO.Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..12] + ".tmp");
        FileStream stream;
        try
        {
            stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FitsException($"cannot create the file: {e.Message}", path, innerException: e);
        }

        var writer = new FitsStreamWriter(full, temp, stream);
        try
        {
            writer.Layout(hdus);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            writer.Dispose();
            throw new FitsException($"cannot write the file: {e.Message}", path, innerException: e);
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        return writer;
    }

    /// <summary>Writes <paramref name="values"/> into a declared image, starting at element <paramref name="firstElement"/> (NAXIS1 fastest).</summary>
    /// <typeparam name="T">The element type the image was declared with.</typeparam>
    /// <param name="hduIndex">0-based index of the HDU in the list given to <see cref="Create"/>.</param>
    /// <param name="firstElement">First element to write.</param>
    /// <param name="values">The values.</param>
    /// <exception cref="ArgumentException">The HDU was not declared with type <typeparamref name="T"/>, or the run lies outside it.</exception>
    /// <exception cref="FitsException">The file cannot be written.</exception>
    public void WritePixels<T>(int hduIndex, long firstElement, ReadOnlySpan<T> values)
        where T : unmanaged, INumber<T>
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException("the file is already committed");
        }

        if (hduIndex < 0 || hduIndex >= _slots.Count || _slots[hduIndex].ElementType != typeof(T))
        {
            throw new ArgumentException($"HDU {hduIndex} is not a declared image of {typeof(T).Name}", nameof(hduIndex));
        }

        Slot slot = _slots[hduIndex];
        if (firstElement < 0 || firstElement + values.Length > slot.Elements)
        {
            throw new ArgumentException($"elements {firstElement}..{firstElement + values.Length} are outside HDU {hduIndex} ({slot.Elements} elements)", nameof(firstElement));
        }

        int size = Marshal.SizeOf<T>();
        int chunk = _buffer.Length / size;
        SafeFileHandle handle = _stream.SafeFileHandle;
        try
        {
            for (int done = 0; done < values.Length; done += chunk)
            {
                int n = Math.Min(chunk, values.Length - done);
                Span<byte> bytes = _buffer.AsSpan(0, n * size);
                PixelCodec.Encode(values.Slice(done, n), bytes);
                RandomAccess.Write(handle, bytes, slot.DataOffset + ((firstElement + done) * size));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FitsException($"cannot write the file: {e.Message}", _path, innerException: e);
        }
    }

    /// <summary>Flushes the file to disk and renames it over the destination.</summary>
    /// <exception cref="FitsException">The file cannot be written or renamed.</exception>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            _stream.Flush(true);
            _stream.Dispose();
            File.Move(_temp, _path, overwrite: true);
            _committed = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FitsException($"cannot write the file: {e.Message}", _path, innerException: e);
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Closes the writer; without <see cref="Commit"/> the temporary file is deleted and the destination is untouched.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stream.Dispose();
        _buffer = [];
        if (!_committed)
        {
            try
            {
                File.Delete(_temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left behind; nothing else can be done.
            }
        }
    }

    private void Layout(IReadOnlyList<FitsWriteHdu> hdus)
    {
        long position = 0;
        for (int i = 0; i < hdus.Count; i++)
        {
            FitsWriteHdu hdu = hdus[i];
            byte[] header = hdu.BuildHeader(i == 0).ToBytes();
            _stream.Position = position;
            _stream.Write(header);
            long dataOffset = position + header.Length;
            Type? declared = hdu.DeclaredElementType;
            if (declared is null)
            {
                hdu.WriteData(_stream, null);
                _slots.Add(new Slot(null, dataOffset, 0));
            }
            else
            {
                long elements = hdu.DataBytes / Marshal.SizeOf(declared);
                _slots.Add(new Slot(declared, dataOffset, elements));
            }

            position = dataOffset + FitsFile.Pad(hdu.DataBytes);
        }

        // The data areas and their padding are zeros: extend the file (sparse where the file system allows).
        _stream.SetLength(position);
    }

    private sealed record Slot(Type? ElementType, long DataOffset, long Elements);
}
