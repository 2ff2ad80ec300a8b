using System.IO.Compression;
using System.IO.MemoryMappedFiles;

namespace TweakDrizzle.Fits;

/// <summary>Random-access read-only bytes of a FITS file: an in-memory array or a memory-mapped file.</summary>
internal abstract class ByteSource : IDisposable
{
    /// <summary>Files smaller than this are read into memory; larger ones are memory-mapped.</summary>
    private const long MapThreshold = 1 << 20;

    /// <summary>Compressed files larger than this are decompressed to a temporary file instead of memory.</summary>
    private const long GzipMemoryLimit = 256L << 20;

    public abstract long Length { get; }

    /// <summary>A view of <paramref name="length"/> bytes from <paramref name="offset"/>; valid until disposal.</summary>
    public abstract ReadOnlySpan<byte> Span(long offset, int length);

    public abstract void Dispose();

    public static ByteSource FromBytes(byte[] bytes, string? name)
    {
        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            try
            {
                using var gz = new GZipStream(new MemoryStream(bytes, writable: false), CompressionMode.Decompress);
                using var ms = new MemoryStream();
                gz.CopyTo(ms);
                return new MemorySource(ms.ToArray());
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw new FitsException($"the gzip stream is corrupt: {e.Message}", name, innerException: e);
            }
        }

        return new MemorySource(bytes);
    }

    public static ByteSource Open(string path)
    {
        FileStream fs;
        try
        {
            fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new FitsException($"cannot open the file: {e.Message}", path, innerException: e);
        }

        try
        {
            Span<byte> magic = stackalloc byte[2];
            int got = fs.Read(magic);
            fs.Position = 0;
            if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            {
                return Gunzip(fs, path);
            }

            long length = fs.Length;
            if (length < MapThreshold)
            {
                byte[] bytes = new byte[length];
                fs.ReadExactly(bytes);
                fs.Dispose();
                return new MemorySource(bytes);
            }

            return new MappedSource(fs, length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            fs.Dispose();
            throw new FitsException($"cannot read the file: {e.Message}", path, innerException: e);
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }

    private static ByteSource Gunzip(FileStream fs, string path)
    {
        try
        {
            using var gz = new GZipStream(fs, CompressionMode.Decompress, leaveOpen: false);
            if (fs.Length <= GzipMemoryLimit)
            {
                using var ms = new MemoryStream();
                gz.CopyTo(ms);
                return new MemorySource(ms.ToArray());
            }

            string temp = Path.Combine(Path.GetTempPath(), "tweakdrizzle-" + Guid.NewGuid().ToString("N") + ".fits");
            var tfs = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            try
            {
                gz.CopyTo(tfs);
                tfs.Flush();
                if (tfs.Length == 0)
                {
                    tfs.Dispose();
                    return new MemorySource([]);
                }

                return new MappedSource(tfs, tfs.Length);
            }
            catch
            {
                tfs.Dispose();
                throw;
            }
        }
        catch (InvalidDataException e)
        {
            throw new FitsException($"the gzip stream is corrupt: {e.Message}", path, innerException: e);
        }
    }

    private sealed class MemorySource(byte[] bytes) : ByteSource
    {
        public override long Length => bytes.Length;

        public override ReadOnlySpan<byte> Span(long offset, int length) => bytes.AsSpan(checked((int)offset), length);

        public override void Dispose()
        {
        }
    }

    private sealed unsafe class MappedSource : ByteSource
    {
        private readonly FileStream _stream;
        private readonly MemoryMappedFile _map;
        private readonly MemoryMappedViewAccessor _view;
        private readonly byte* _pointer;
        private readonly long _length;
        private int _disposed;

        public MappedSource(FileStream stream, long length)
        {
            _stream = stream;
            _length = length;
            _map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
            _view = _map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* p = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            _pointer = p + _view.PointerOffset;
        }

        public override long Length => _length;

        public override ReadOnlySpan<byte> Span(long offset, int length)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            if (offset < 0 || length < 0 || offset + length > _length)
            {
                throw new ArgumentOutOfRangeException(nameof(offset));
            }

            return new ReadOnlySpan<byte>(_pointer + offset, length);
        }

        public override void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _map.Dispose();
            _stream.Dispose();
        }
    }
}
