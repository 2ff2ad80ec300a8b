using System.CommandLine;
using System.Globalization;
using System.Text;
using TweakDrizzle.Wcs;

namespace TweakDrizzle.Cli.Commands;

/// <summary>
/// <c>tweakdrizzle xy2sky IMAGE_OR_HEADER --in XY.csv --out RADEC.csv [--origin 0|1]</c> and its inverse
/// <c>sky2xy</c>: pixel ↔ world through the full WCS (distortion included), on CSV catalogs.
/// </summary>
internal static class Xy2SkyCommand
{
    public static Command Create() => Build(toSky: true);

    /// <summary>The <c>sky2xy</c> command (world → pixel).</summary>
    public static Command CreateInverse() => Build(toSky: false);

    private static Command Build(bool toSky)
    {
        var source = new Argument<string>("IMAGE_OR_HEADER")
        {
            Description = "A FITS image (file.fits, file.fits[1], file.fits[SCI,2]) or a text file of 80-character header cards (.hdr).",
        };
        var input = new Option<FileInfo>("--in")
        {
            Description = toSky ? "CSV with a header line naming columns x and y." : "CSV with a header line naming columns ra and dec (degrees).",
            Required = true,
        };
        var output = new Option<FileInfo>("--out")
        {
            Description = toSky ? "CSV to write: the input columns, then ra and dec (degrees)." : "CSV to write: the input columns, then x and y.",
            Required = true,
        };
        var origin = new Option<int>("--origin")
        {
            Description = "Pixel coordinate of the centre of the first pixel: 1 (FITS, WCSTools; the default) or 0.",
            DefaultValueFactory = _ => 1,
        };
        var alt = new Option<string?>("--alt")
        {
            Description = "Use the alternate WCS with this key letter (A-Z) instead of the primary one.",
        };
        var command = toSky
            ? new Command("xy2sky", "Convert pixel positions to sky coordinates (RA, Dec) through the image's full WCS.")
            : new Command("sky2xy", "Convert sky coordinates (RA, Dec) to pixel positions through the image's full WCS.");
        command.Arguments.Add(source);
        command.Options.Add(input);
        command.Options.Add(output);
        command.Options.Add(origin);
        command.Options.Add(alt);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            int o = parse.GetValue(origin);
            if (o is not (0 or 1))
            {
                throw new UsageException($"--origin must be 0 or 1, not {o}");
            }

            string? altText = parse.GetValue(alt);
            char key = ' ';
            if (!string.IsNullOrWhiteSpace(altText))
            {
                if (altText.Trim().Length != 1 || !char.IsAsciiLetter(altText.Trim()[0]))
                {
                    throw new UsageException($"--alt must be one letter A-Z, not '{altText}'");
                }

                key = char.ToUpperInvariant(altText.Trim()[0]);
            }

            FitsWcs wcs = FitsWcs.FromFile(parse.GetValue(source)!, key);
            Convert(wcs, parse.GetValue(input)!.FullName, parse.GetValue(output)!.FullName, toSky, o);
            return 0;
        }));
        return command;
    }

    private static void Convert(FitsWcs wcs, string inPath, string outPath, bool toSky, int origin)
    {
        if (!File.Exists(inPath))
        {
            throw new FileNotFoundException($"input catalog not found: {inPath}");
        }

        string[] lines = File.ReadAllLines(inPath);
        int first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first < 0)
        {
            throw new InvalidDataException($"{inPath} is empty: a CSV with a header line is expected");
        }

        List<string> names = CsvLine.Split(lines[first], first + 1).Select(n => n.Trim()).ToList();
        (string a, string b) = toSky ? ("x", "y") : ("ra", "dec");
        int ia = FindColumn(names, a, toSky ? "xcentroid" : "RA_DEG");
        int ib = FindColumn(names, b, toSky ? "ycentroid" : "DEC_DEG");
        if (ia < 0 || ib < 0)
        {
            throw new InvalidDataException(
                $"{Path.GetFileName(inPath)} has no '{a}' and '{b}' columns (its columns are: {string.Join(", ", names)})");
        }

        (string outA, string outB) = toSky ? ("ra", "dec") : ("x", "y");
        int drop1 = names.FindIndex(n => n.Equals(outA, StringComparison.OrdinalIgnoreCase));
        int drop2 = names.FindIndex(n => n.Equals(outB, StringComparison.OrdinalIgnoreCase));
        var keep = Enumerable.Range(0, names.Count).Where(i => i != drop1 && i != drop2).ToList();

        var rows = new List<string[]>();
        var va = new List<double>();
        var vb = new List<double>();
        for (int li = first + 1; li < lines.Length; li++)
        {
            if (lines[li].Trim().Length == 0)
            {
                continue;
            }

            string[] fields = CsvLine.Split(lines[li], li + 1);
            if (fields.Length != names.Count)
            {
                throw new InvalidDataException($"{Path.GetFileName(inPath)} line {li + 1} has {fields.Length} fields; the header has {names.Count}");
            }

            rows.Add(fields);
            va.Add(ParseNumber(fields[ia], names[ia], li + 1, inPath));
            vb.Add(ParseNumber(fields[ib], names[ib], li + 1, inPath));
        }

        int count = rows.Count;
        double[] ina = [.. va];
        double[] inb = [.. vb];
        var outa = new double[count];
        var outb = new double[count];
        if (toSky)
        {
            for (int i = 0; i < count; i++)
            {
                ina[i] -= origin;
                inb[i] -= origin;
            }

            wcs.PixelToWorld(ina, inb, outa, outb);
        }
        else
        {
            wcs.WorldToPixel(ina, inb, outa, outb);
            for (int i = 0; i < count; i++)
            {
                outa[i] += origin;
                outb[i] += origin;
            }
        }

        var text = new StringBuilder();
        text.AppendJoin(',', keep.Select(i => CsvLine.Quote(names[i]))).Append(keep.Count > 0 ? "," : string.Empty)
            .Append(outA).Append(',').Append(outB).Append('\n');
        for (int r = 0; r < count; r++)
        {
            foreach (int i in keep)
            {
                text.Append(CsvLine.Quote(rows[r][i])).Append(',');
            }

            text.Append(Format(outa[r])).Append(',').Append(Format(outb[r])).Append('\n');
        }

        WriteAtomically(outPath, text.ToString());
    }

    private static int FindColumn(List<string> names, string name, string alternative)
    {
        int i = names.FindIndex(n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
        return i >= 0 ? i : names.FindIndex(n => n.Equals(alternative, StringComparison.OrdinalIgnoreCase));
    }

    private static double ParseNumber(string field, string column, int line, string path)
    {
        string t = field.Trim();
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
        {
            return v;
        }

        if (t.Length == 0 || t.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            return double.NaN;
        }

        throw new InvalidDataException($"{Path.GetFileName(path)} line {line}: '{t}' in column {column} is not a number");
    }

    private static string Format(double v) =>
        double.IsNaN(v) ? "nan" : v.ToString("G17", CultureInfo.InvariantCulture);

    private static void WriteAtomically(string path, string content)
    {
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (dir is not null && !Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"output folder does not exist: {dir}");
        }

        string temp = full + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            File.WriteAllText(temp, content, new UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}

/// <summary>Minimal RFC 4180 CSV field splitting and quoting.</summary>
internal static class CsvLine
{
    public static string[] Split(string line, int lineNumber)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c != '\r')
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new InvalidDataException($"CSV line {lineNumber} has an unterminated quoted field");
        }

        fields.Add(field.ToString());
        return [.. fields];
    }

    public static string Quote(string field) =>
        field.Contains(',', StringComparison.Ordinal) || field.Contains('"', StringComparison.Ordinal)
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;
}
