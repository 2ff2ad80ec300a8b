using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace TweakDrizzle.Fits;

/// <summary>Describes the HDUs of a file: the JSON of <c>tweakdrizzle fitsinfo --json</c> and a readable table.</summary>
public static class FitsInfo
{
    private static readonly string[] Columns = ["HDU", "Type", "EXTNAME", "EXTVER", "BITPIX", "Data type", "Shape (NAXIS1, ...)", "Cards"];

    /// <summary>
    /// The JSON list with one object per HDU: <c>index</c>, <c>extname</c>, <c>extver</c>, <c>bitpix</c>,
    /// <c>shape</c> ([NAXIS1, ...]) and <c>header</c> ([key, value, comment] for every card but END).
    /// </summary>
    /// <param name="file">The open file.</param>
    /// <param name="indented">Indent the output.</param>
    /// <returns>The JSON text.</returns>
    /// <remarks>Integers are written exactly (also beyond 64 bits), reals with the shortest text that reads back
    /// the same double (always with a decimal point or exponent, so -0.0 keeps its sign), undefined values as
    /// null, complex values as [re, im], and commentary cards as their text.</remarks>
    public static string ToJson(FitsFile file, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (FitsHdu hdu in file.Hdus)
            {
                w.WriteStartObject();
                w.WriteNumber("index", hdu.Index);
                if (hdu.ExtName is null)
                {
                    w.WriteNull("extname");
                }
                else
                {
                    w.WriteString("extname", hdu.ExtName);
                }

                w.WriteNumber("extver", hdu.ExtVer);
                w.WriteNumber("bitpix", hdu.Bitpix);
                w.WriteStartArray("shape");
                foreach (long a in hdu.Shape)
                {
                    w.WriteNumberValue(a);
                }

                w.WriteEndArray();
                w.WriteStartArray("header");
                foreach (FitsCard c in hdu.Header)
                {
                    w.WriteStartArray();
                    w.WriteStringValue(c.Key);
                    WriteValue(w, c);
                    w.WriteStringValue(c.Comment);
                    w.WriteEndArray();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>A readable table: one line per HDU with index, type, EXTNAME, EXTVER, BITPIX, physical type, shape and card count.</summary>
    /// <param name="file">The open file.</param>
    /// <returns>The text, ending with a newline.</returns>
    public static string ToText(FitsFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var rows = new List<string[]> { Columns.ToArray() };
        foreach (FitsHdu h in file.Hdus)
        {
            rows.Add([
                h.Index.ToString(CultureInfo.InvariantCulture),
                h.Type switch { FitsHduType.BinaryTable => "BINTABLE", FitsHduType.AsciiTable => "TABLE", _ => h.Type.ToString().ToUpperInvariant() },
                h.ExtName ?? "-",
                h.ExtVer.ToString(CultureInfo.InvariantCulture),
                h.Bitpix.ToString(CultureInfo.InvariantCulture),
                h.IsImage ? (h.ElementCount == 0 ? "-" : h.PhysicalType.Name.ToLowerInvariant()) : h.Type == FitsHduType.BinaryTable ? "table" : "-",
                h.Shape.Length == 0 ? "()" : "(" + string.Join(", ", h.Shape) + ")",
                (h.HeaderCards - 1).ToString(CultureInfo.InvariantCulture),
            ]);
        }

        int[] widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var sb = new StringBuilder();
        if (file.Path is not null)
        {
            sb.Append(file.Path).Append(CultureInfo.InvariantCulture, $": {file.Hdus.Count} HDU(s), {file.Length} bytes\n");
        }

        foreach (string[] r in rows)
        {
            sb.Append(string.Join("  ", r.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        }

        return sb.ToString();
    }

    private static void WriteValue(Utf8JsonWriter w, FitsCard c)
    {
        switch (c.Value)
        {
            case null:
                w.WriteNullValue();
                break;
            case string s:
                w.WriteStringValue(c.Kind == FitsValueKind.Commentary ? s : s.TrimEnd(' '));
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case long l:
                w.WriteNumberValue(l);
                break;
            case BigInteger big:
                w.WriteRawValue(big.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                w.WriteRawValue(CardFormatter.FormatReal(d));
                break;
            case Complex z:
                w.WriteStartArray();
                w.WriteRawValue(CardFormatter.FormatReal(z.Real));
                w.WriteRawValue(CardFormatter.FormatReal(z.Imaginary));
                w.WriteEndArray();
                break;
            default:
                w.WriteStringValue(Convert.ToString(c.Value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
