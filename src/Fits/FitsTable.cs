using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace TweakDrizzle.Fits;

/// <summary>
/// One column of a binary table: name, TFORM, unit and the values of every row.
/// </summary>
/// <remarks>
/// <see cref="Data"/> is a typed array: <c>bool[]</c> (L), <c>byte[]</c> (B, and X bit fields packed as stored),
/// <c>sbyte[]</c> (B with TZERO -128), <c>short[]</c>/<c>ushort[]</c> (I, TZERO 32768), <c>int[]</c>/<c>uint[]</c>
/// (J, TZERO 2^31), <c>long[]</c>/<c>ulong[]</c> (K, TZERO 2^63), <c>float[]</c> (E), <c>double[]</c> (D, and
/// any other TSCAL/TZERO), <c>float[]</c>/<c>double[]</c> pairs for C/M, <c>string[]</c> (A; trailing spaces and
/// NULs dropped), or the raw (count, offset) descriptors as <c>int[]</c>/<c>long[]</c> for variable-length P/Q
/// columns. A column with repeat count r &gt; 1 holds r consecutive values per row (row-major).
/// </remarks>
public sealed class FitsColumn
{
    private FitsColumn(string name, char code, int repeat, string? unit, Array data, int stringWidth = 0)
    {
        Name = name;
        Code = code;
        Repeat = repeat;
        Unit = unit;
        Data = data;
        StringWidth = stringWidth;
    }

    /// <summary>TTYPEn.</summary>
    public string Name { get; }

    /// <summary>The TFORM type letter (L, X, B, I, J, K, A, E, D, C, M, P, Q).</summary>
    public char Code { get; }

    /// <summary>The repeat count (for A: the string width).</summary>
    public int Repeat { get; }

    /// <summary>TUNITn, or null.</summary>
    public string? Unit { get; }

    /// <summary>The values (see the class remarks).</summary>
    public Array Data { get; }

    /// <summary>TFORMn as written, e.g. <c>D</c>, <c>3E</c>, <c>12A</c>.</summary>
    public string Format => (Repeat == 1 && Code != 'A' ? string.Empty : Repeat.ToString(CultureInfo.InvariantCulture)) + Code;

    internal int StringWidth { get; }

    /// <summary>The values as a typed array.</summary>
    /// <typeparam name="T">The element type of <see cref="Data"/>.</typeparam>
    /// <returns>The array.</returns>
    /// <exception cref="InvalidCastException">The column holds another type.</exception>
    public T[] Get<T>() => Data.GetType() == typeof(T[]) ? (T[])Data : throw new InvalidCastException($"Column {Name} holds {Data.GetType().GetElementType()?.Name}, not {typeof(T).Name}.");

    /// <summary>A numeric column (byte, sbyte, short, ushort, int, uint, long, ulong, float or double).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="name">TTYPE.</param>
    /// <param name="values">rows × repeat values, row-major.</param>
    /// <param name="repeat">Values per row.</param>
    /// <param name="unit">TUNIT, or null.</param>
    /// <returns>The column.</returns>
    public static FitsColumn Create<T>(string name, T[] values, int repeat = 1, string? unit = null)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeat, 1);
        char code = typeof(T) switch
        {
            Type t when t == typeof(byte) || t == typeof(sbyte) => 'B',
            Type t when t == typeof(short) || t == typeof(ushort) => 'I',
            Type t when t == typeof(int) || t == typeof(uint) => 'J',
            Type t when t == typeof(long) || t == typeof(ulong) => 'K',
            Type t when t == typeof(float) => 'E',
            Type t when t == typeof(double) => 'D',
            _ => throw new NotSupportedException($"A FITS table column cannot hold {typeof(T).Name}."),
        };
        return new FitsColumn(name, code, repeat, unit, values);
    }

    /// <summary>A logical (L) column.</summary>
    /// <param name="name">TTYPE.</param>
    /// <param name="values">One value per row.</param>
    /// <returns>The column.</returns>
    public static FitsColumn Logical(string name, bool[] values) => new(name, 'L', 1, null, values ?? throw new ArgumentNullException(nameof(values)));

    /// <summary>A fixed-width string (A) column.</summary>
    /// <param name="name">TTYPE.</param>
    /// <param name="values">One printable-ASCII string per row.</param>
    /// <param name="width">The field width; null for the longest value (at least 1).</param>
    /// <param name="unit">TUNIT, or null.</param>
    /// <returns>The column.</returns>
    /// <exception cref="ArgumentException">A value is longer than the width or not printable ASCII.</exception>
    public static FitsColumn Strings(string name, string[] values, int? width = null, string? unit = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        int w = width ?? Math.Max(1, values.Length == 0 ? 1 : values.Max(v => v?.Length ?? 0));
        foreach (string v in values)
        {
            if (v is not null && (v.Length > w || v.Any(c => c < 0x20 || c > 0x7E)))
            {
                throw new ArgumentException($"Column {name}: '{v}' is not printable ASCII of at most {w} characters.", nameof(values));
            }
        }

        return new FitsColumn(name, 'A', w, unit, values, w);
    }

    internal static FitsColumn Raw(string name, char code, int repeat, string? unit, Array data)
    {
        // Scaled integer columns are read as double (or unsigned types); they are written back in that type.
        // (Exact type tests: the runtime lets an int[] pass as a uint[] in pattern matching.)
        Type t = data.GetType();
        code = t == typeof(double[]) && code != 'M' ? 'D'
            : (t == typeof(sbyte[]) || t == typeof(byte[])) && code != 'X' ? 'B'
            : t == typeof(ushort[]) ? 'I'
            : t == typeof(uint[]) ? 'J'
            : t == typeof(ulong[]) ? 'K'
            : code;
        return new(name, code, repeat, unit, data, code == 'A' ? repeat : 0);
    }

    internal int RowCount => Code switch
    {
        'A' => Data.Length,
        'X' => Data.Length / Math.Max(1, ByteWidth),
        'C' or 'M' or 'P' or 'Q' => Data.Length / Math.Max(1, 2 * Repeat),
        _ => Data.Length / Repeat,
    };

    /// <summary>Bytes per row.</summary>
    internal int ByteWidth => FitsTable.ByteWidth(Code, Repeat);
}

/// <summary>A binary table (BINTABLE) in memory: a row count and fixed-width columns.</summary>
/// <remarks>Immutable once built (the column arrays are shared; do not modify them while writing).</remarks>
public sealed class FitsTable
{
    /// <summary>Creates a table from columns that all hold the same number of rows.</summary>
    /// <param name="columns">The columns, in order.</param>
    /// <exception cref="ArgumentException">The columns have different row counts or duplicate names.</exception>
    public FitsTable(IEnumerable<FitsColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = [.. columns];
        RowCount = Columns.Count == 0 ? 0 : Columns[0].RowCount;
        foreach (FitsColumn c in Columns)
        {
            if (c.RowCount != RowCount)
            {
                throw new ArgumentException($"Column {c.Name} has {c.RowCount} rows, column {Columns[0].Name} has {RowCount}.", nameof(columns));
            }
        }
    }

    /// <summary>The number of rows.</summary>
    public int RowCount { get; }

    /// <summary>The columns in order.</summary>
    public IReadOnlyList<FitsColumn> Columns { get; }

    /// <summary>Bytes per row (NAXIS1).</summary>
    public int RowBytes => Columns.Sum(c => c.ByteWidth);

    /// <summary>The column with this name (case-insensitive).</summary>
    /// <param name="name">TTYPE.</param>
    /// <exception cref="KeyNotFoundException">No such column.</exception>
    public FitsColumn this[string name] =>
        Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"The table has no column {name}.");

    internal static int ByteWidth(char code, int repeat) => checked((int)LongByteWidth(code, repeat));

    private static long LongByteWidth(char code, long repeat) => code switch
    {
        'L' or 'B' or 'A' => repeat,
        'X' => (repeat + 7) / 8,
        'I' => 2 * repeat,
        'J' or 'E' => 4 * repeat,
        'K' or 'D' or 'C' or 'P' => 8 * repeat,
        'M' or 'Q' => 16 * repeat,
        _ => throw new FitsException($"unknown TFORM type code '{code}'"),
    };

    /// <summary>Reads the table of a BINTABLE HDU.</summary>
    internal static FitsTable Read(FitsHdu hdu, ByteSource source)
    {
        FitsHeader h = hdu.Header;
        long rowBytes = hdu.Shape[0];
        long rows = hdu.Shape[1];
        if (rows > Array.MaxLength || rowBytes > int.MaxValue || (rowBytes == 0 && rows > 1_000_000))
        {
            throw new FitsException($"the table of {rows} rows of {rowBytes} bytes is too large to read at once");
        }

        long fields = h.GetInt64("TFIELDS", 0);
        if (fields is < 0 or > 999)
        {
            throw new FitsException($"invalid TFIELDS = {fields}");
        }

        var specs = new List<(string Name, char Code, int Repeat, string? Unit, double Scale, double Zero, int Offset)>();
        int offset = 0;
        for (int i = 1; i <= fields; i++)
        {
            string n = i.ToString(CultureInfo.InvariantCulture);
            string form = h.GetString("TFORM" + n, null) ?? throw new FitsException($"missing TFORM{n} for column {n}");
            (int repeat, char code) = ParseForm(form, i);
            long width = LongByteWidth(code, repeat);
            if (offset + width > rowBytes)
            {
                throw new FitsException($"the columns need more than NAXIS1 = {rowBytes} bytes per row (at column {i}, TFORM{n} = '{form}')");
            }

            specs.Add((h.GetString("TTYPE" + n, null)?.Trim() ?? "COL" + n, code, repeat, h.GetString("TUNIT" + n, null),
                h.GetDouble("TSCAL" + n, 1.0), h.GetDouble("TZERO" + n, 0.0), offset));
            offset += (int)width;
        }

        if (offset != rowBytes)
        {
            throw new FitsException($"the columns take {offset} bytes per row but NAXIS1 = {rowBytes}");
        }

        int nrows = (int)rows;
        var columns = new List<FitsColumn>(specs.Count);
        try
        {
            foreach (var s in specs)
            {
                columns.Add(ReadColumn(s.Name, s.Code, s.Repeat, s.Unit, s.Scale, s.Zero, s.Offset, (int)rowBytes, nrows, hdu.DataOffset, source));
            }
        }
        catch (OverflowException)
        {
            throw new FitsException($"the table of {rows} rows is too large to read at once");
        }
        catch (Exception e) when (e is InvalidCastException)
        {
            throw new FitsException("a scaled table column holds a value that does not fit its type");
        }

        return new FitsTable(columns);
    }

    private static (int Repeat, char Code) ParseForm(string form, int column)
    {
        string f = form.Trim();
        int k = 0;
        while (k < f.Length && char.IsAsciiDigit(f[k]))
        {
            k++;
        }

        if (k == f.Length || !int.TryParse(k == 0 ? "1" : f[..k], NumberStyles.None, CultureInfo.InvariantCulture, out int repeat)
            || "LXBIJKAEDCMPQ".IndexOf(f[k], StringComparison.Ordinal) < 0)
        {
            throw new FitsException($"column {column}: unsupported TFORM '{form}'");
        }

        return (repeat, f[k]);
    }

    private static FitsColumn ReadColumn(string name, char code, int repeat, string? unit, double scale, double zero,
        int offset, int rowBytes, int rows, long dataOffset, ByteSource source)
    {
        int width = ByteWidth(code, repeat);
        ReadOnlySpan<byte> Cell(int r) => source.Span(dataOffset + ((long)r * rowBytes) + offset, width);
        bool identity = scale == 1.0 && zero == 0.0;
        switch (code)
        {
            case 'A':
                {
                    var v = new string[rows];
                    for (int r = 0; r < rows; r++)
                    {
                        ReadOnlySpan<byte> c = Cell(r);
                        int nul = c.IndexOf((byte)0);
                        if (nul >= 0)
                        {
                            c = c[..nul];
                        }

                        v[r] = Encoding.Latin1.GetString(c).TrimEnd(' ');
                    }

                    return FitsColumn.Raw(name, code, repeat, unit, v);
                }

            case 'L':
                {
                    var v = new bool[checked(rows * repeat)];
                    for (int r = 0; r < rows; r++)
                    {
                        ReadOnlySpan<byte> c = Cell(r);
                        for (int j = 0; j < repeat; j++)
                        {
                            v[(r * repeat) + j] = c[j] == (byte)'T';
                        }
                    }

                    return FitsColumn.Raw(name, code, repeat, unit, v);
                }

            case 'X':
                {
                    var v = new byte[checked(rows * width)];
                    for (int r = 0; r < rows; r++)
                    {
                        Cell(r).CopyTo(v.AsSpan(r * width));
                    }

                    return FitsColumn.Raw(name, code, repeat, unit, v);
                }

            case 'B':
                return identity ? Numbers<byte>(8) : scale == 1 && zero == -128 ? Numbers<sbyte>(8) : Numbers<double>(8);
            case 'I':
                return identity ? Numbers<short>(16) : scale == 1 && zero == 32768 ? Numbers<ushort>(16) : Numbers<double>(16);
            case 'J':
                return identity ? Numbers<int>(32) : scale == 1 && zero == 2147483648.0 ? Numbers<uint>(32) : Numbers<double>(32);
            case 'K':
                return identity ? Numbers<long>(64) : scale == 1 && zero == 9223372036854775808.0 ? Numbers<ulong>(64) : Numbers<double>(64);
            case 'E':
                return identity ? Numbers<float>(-32) : Numbers<double>(-32);
            case 'D':
                return Numbers<double>(-64);
            case 'C':
                return NumbersOf<float>(-32, 2 * repeat, new FitsScaling());
            case 'M':
                return NumbersOf<double>(-64, 2 * repeat, new FitsScaling());
            case 'P':
                return NumbersOf<int>(32, 2 * repeat, new FitsScaling());
            default:
                return NumbersOf<long>(64, 2 * repeat, new FitsScaling());
        }

        FitsColumn Numbers<T>(int bitpix)
            where T : unmanaged, INumber<T> => NumbersOf<T>(bitpix, repeat, new FitsScaling(scale, zero));

        FitsColumn NumbersOf<T>(int bitpix, int count, FitsScaling scaling)
            where T : unmanaged, INumber<T>
        {
            var v = new T[checked(rows * count)];
            for (int r = 0; r < rows; r++)
            {
                PixelCodec.Decode(Cell(r), bitpix, scaling, v.AsSpan(r * count, count));
            }

            return FitsColumn.Raw(name, code, repeat, unit, v);
        }
    }

    internal FitsHeader BuildHeader(FitsHeader user)
    {
        FitsHeader h = FitsWriteHdu.Structural(false, 8, [RowBytes, RowCount], "BINTABLE");
        h.Add(FitsCard.Create("TFIELDS", Columns.Count, "number of table fields"));
        for (int i = 0; i < Columns.Count; i++)
        {
            FitsColumn c = Columns[i];
            string n = (i + 1).ToString(CultureInfo.InvariantCulture);
            h.Add(FitsCard.Create("TTYPE" + n, c.Name));
            h.Add(FitsCard.Create("TFORM" + n, c.Format));
            if (c.Unit is not null)
            {
                h.Add(FitsCard.Create("TUNIT" + n, c.Unit));
            }

            Type t = c.Data.GetType();
            object? tzero = t == typeof(sbyte[]) ? -128L
                : t == typeof(ushort[]) ? 32768L
                : t == typeof(uint[]) ? 2147483648L
                : t == typeof(ulong[]) ? new BigInteger(9223372036854775808UL)
                : null;
            if (tzero is not null)
            {
                h.Add(FitsCard.Create("TSCAL" + n, 1));
                h.Add(FitsCard.Create("TZERO" + n, tzero));
            }
        }

        FitsWriteHdu.AppendUserCards(h, user, table: true, dropBlank: false);
        return h;
    }

    internal void WriteRows(Stream stream, ChecksumAccumulator? sum)
    {
        int rowBytes = RowBytes;
        int rowsPerChunk = Math.Max(1, (1 << 20) / Math.Max(1, rowBytes));
        byte[] buffer = new byte[rowsPerChunk * rowBytes];
        for (int r0 = 0; r0 < RowCount; r0 += rowsPerChunk)
        {
            int n = Math.Min(rowsPerChunk, RowCount - r0);
            Span<byte> chunk = buffer.AsSpan(0, n * rowBytes);
            int offset = 0;
            foreach (FitsColumn c in Columns)
            {
                int width = c.ByteWidth;
                for (int r = 0; r < n; r++)
                {
                    EncodeCell(c, r0 + r, chunk.Slice((r * rowBytes) + offset, width));
                }

                offset += width;
            }

            stream.Write(chunk);
            sum?.Append(chunk);
        }
    }

    private static void EncodeCell(FitsColumn c, int row, Span<byte> cell)
    {
        // Exact type tests: the runtime lets e.g. an sbyte[] pass as a byte[] in pattern matching.
        Array data = c.Data;
        Type t = data.GetType();
        if (c.Code is 'P' or 'Q')
        {
            throw new NotSupportedException($"Column {c.Name}: variable-length (P/Q) columns cannot be written.");
        }

        if (t == typeof(string[]))
        {
            cell.Fill((byte)' ');
            Encoding.ASCII.GetBytes(((string[])data)[row] ?? string.Empty, cell);
        }
        else if (t == typeof(bool[]))
        {
            bool[] b = (bool[])data;
            for (int j = 0; j < c.Repeat; j++)
            {
                cell[j] = b[(row * c.Repeat) + j] ? (byte)'T' : (byte)'F';
            }
        }
        else if (t == typeof(byte[]) && c.Code == 'X')
        {
            ((byte[])data).AsSpan(row * cell.Length, cell.Length).CopyTo(cell);
        }
        else if (t == typeof(byte[]))
        {
            Put((byte[])data, row, cell);
        }
        else if (t == typeof(sbyte[]))
        {
            Put((sbyte[])data, row, cell);
        }
        else if (t == typeof(short[]))
        {
            Put((short[])data, row, cell);
        }
        else if (t == typeof(ushort[]))
        {
            Put((ushort[])data, row, cell);
        }
        else if (t == typeof(int[]))
        {
            Put((int[])data, row, cell);
        }
        else if (t == typeof(uint[]))
        {
            Put((uint[])data, row, cell);
        }
        else if (t == typeof(long[]))
        {
            Put((long[])data, row, cell);
        }
        else if (t == typeof(ulong[]))
        {
            Put((ulong[])data, row, cell);
        }
        else if (t == typeof(float[]))
        {
            Put((float[])data, row, cell);
        }
        else if (t == typeof(double[]))
        {
            Put((double[])data, row, cell);
        }
        else
        {
            throw new NotSupportedException($"Column {c.Name}: cannot write {t.Name}.");
        }

        static void Put<T>(T[] v, int row, Span<byte> cell)
            where T : unmanaged
        {
            int count = cell.Length / System.Runtime.InteropServices.Marshal.SizeOf<T>();
            PixelCodec.Encode<T>(v.AsSpan(row * count, count), cell);
        }
    }
}
