using System.Globalization;
using System.Numerics;
using System.Text;

namespace TweakDrizzle.Fits;

/// <summary>Parses card images into <see cref="FitsCard"/>s following FITS 4.0 section 4 (and the CONTINUE convention).</summary>
internal static class CardParser
{
    /// <summary>Parses one padded 80-character image without CONTINUE joining.</summary>
    public static FitsCard ParseSingle(string image)
    {
        (string key, int fieldStart) = SplitKey(image);
        if (fieldStart < 0)
        {
            return FitsCard.FromParsed(key, FitsValueKind.Commentary, image[8..].TrimEnd(' '), string.Empty, image);
        }

        Field f = ParseField(image.AsSpan(fieldStart));
        object? value = f.Kind == FitsValueKind.String ? FitsCard.TrimString(f.RawString!) : f.Value;
        return FitsCard.FromParsed(key, f.Kind, value, f.Comment, image);
    }

    /// <summary>
    /// Parses a sequence of card images (each exactly 80 characters, END excluded), joining CONTINUE long strings.
    /// </summary>
    public static List<FitsCard> ParseAll(IReadOnlyList<string> images)
    {
        var cards = new List<FitsCard>(images.Count);
        int i = 0;
        while (i < images.Count)
        {
            string image = images[i];
            (string key, int fieldStart) = SplitKey(image);
            if (fieldStart < 0)
            {
                cards.Add(FitsCard.FromParsed(key, FitsValueKind.Commentary, image[8..].TrimEnd(' '), string.Empty, image));
                i++;
                continue;
            }

            Field f = ParseField(image.AsSpan(fieldStart));
            if (f.Kind != FitsValueKind.String)
            {
                cards.Add(FitsCard.FromParsed(key, f.Kind, f.Value, f.Comment, image));
                i++;
                continue;
            }

            string current = f.RawString!;
            int j = i + 1;
            if (j < images.Count && EndsWithAmpersand(current) && TryParseContinue(images[j], out _))
            {
                var value = new StringBuilder();
                var comments = new List<string>();
                var raw = new StringBuilder(image);
                AddComment(comments, f.Comment);
                while (true)
                {
                    if (j < images.Count && EndsWithAmpersand(current) && TryParseContinue(images[j], out Field next))
                    {
                        string trimmed = current.TrimEnd(' ');
                        value.Append(trimmed, 0, trimmed.Length - 1);
                        raw.Append(images[j]);
                        AddComment(comments, next.Comment);
                        current = next.RawString!;
                        j++;
                    }
                    else
                    {
                        value.Append(current);
                        break;
                    }
                }

                cards.Add(FitsCard.FromParsed(key, FitsValueKind.String, FitsCard.TrimString(value.ToString()),
                    string.Join(' ', comments), raw.ToString()));
                i = j;
            }
            else
            {
                cards.Add(FitsCard.FromParsed(key, FitsValueKind.String, FitsCard.TrimString(current), f.Comment, image));
                i++;
            }
        }

        return cards;
    }

    private static void AddComment(List<string> comments, string comment)
    {
        if (comment.Length > 0)
        {
            comments.Add(comment);
        }
    }

    private static bool EndsWithAmpersand(string s)
    {
        string t = s.TrimEnd(' ');
        return t.Length > 0 && t[^1] == '&';
    }

    private static bool TryParseContinue(string image, out Field field)
    {
        field = default;
        if (!image.StartsWith("CONTINUE", StringComparison.Ordinal) || image.AsSpan(8, 2).SequenceEqual("= "))
        {
            return false;
        }

        ReadOnlySpan<char> rest = image.AsSpan(8);
        if (rest.TrimStart(' ').Length == 0 || rest.TrimStart(' ')[0] != '\'')
        {
            return false;
        }

        field = ParseField(rest);
        return field.Kind == FitsValueKind.String;
    }

    /// <summary>Returns the key and the index where the value field starts, or -1 for commentary cards.</summary>
    private static (string Key, int FieldStart) SplitKey(string image)
    {
        string key = image[..8].TrimEnd(' ');
        if (key == "HIERARCH")
        {
            int eq = image.IndexOf('=', 8);
            if (eq > 8)
            {
                string hkey = image[8..eq].Trim(' ');
                if (hkey.Length > 0)
                {
                    return (hkey, eq + 1);
                }
            }

            return (key, -1);
        }

        if (key is "COMMENT" or "HISTORY" or "" || image[8] != '=' || image[9] != ' ')
        {
            return (key, -1);
        }

        return (key, 10);
    }

    internal struct Field
    {
        public FitsValueKind Kind;
        public object? Value;
        public string? RawString;
        public string Comment;
    }

    private static Field ParseField(ReadOnlySpan<char> field)
    {
        int p = 0;
        while (p < field.Length && field[p] == ' ')
        {
            p++;
        }

        if (p < field.Length && field[p] == '\'')
        {
            var sb = new StringBuilder();
            int j = p + 1;
            while (j < field.Length)
            {
                if (field[j] == '\'')
                {
                    if (j + 1 < field.Length && field[j + 1] == '\'')
                    {
                        sb.Append('\'');
                        j += 2;
                        continue;
                    }

                    ReadOnlySpan<char> rest = field[(j + 1)..];
                    int slash = rest.IndexOf('/');
                    string comment = slash >= 0 ? rest[(slash + 1)..].Trim(' ').ToString() : string.Empty;
                    return new Field { Kind = FitsValueKind.String, RawString = sb.ToString(), Comment = comment };
                }

                sb.Append(field[j]);
                j++;
            }

            return new Field { Kind = FitsValueKind.Invalid, Value = field.Trim(' ').ToString(), Comment = string.Empty };
        }

        int s = field.IndexOf('/');
        ReadOnlySpan<char> token = (s >= 0 ? field[..s] : field).Trim(' ');
        string com = s >= 0 ? field[(s + 1)..].Trim(' ').ToString() : string.Empty;
        if (token.Length == 0)
        {
            return new Field { Kind = FitsValueKind.Undefined, Comment = com };
        }

        (FitsValueKind kind, object? value) = ParseToken(token);
        return new Field { Kind = kind, Value = value, Comment = com };
    }

    private static (FitsValueKind, object?) ParseToken(ReadOnlySpan<char> token)
    {
        if (token.SequenceEqual("T"))
        {
            return (FitsValueKind.Logical, true);
        }

        if (token.SequenceEqual("F"))
        {
            return (FitsValueKind.Logical, false);
        }

        if (TryParseInteger(token, out object? integer))
        {
            return (FitsValueKind.Integer, integer);
        }

        if (TryParseReal(token, out double d))
        {
            return (FitsValueKind.Real, d);
        }

        if (token.Length >= 5 && token[0] == '(' && token[^1] == ')')
        {
            ReadOnlySpan<char> inner = token[1..^1];
            int comma = inner.IndexOf(',');
            if (comma > 0 && TryParseNumber(inner[..comma].Trim(' '), out double re) && TryParseNumber(inner[(comma + 1)..].Trim(' '), out double im))
            {
                return (FitsValueKind.Complex, new Complex(re, im));
            }
        }

        return (FitsValueKind.Invalid, token.ToString());
    }

    private static bool TryParseNumber(ReadOnlySpan<char> t, out double d)
    {
        if (TryParseInteger(t, out object? i))
        {
            d = i is long l ? l : (double)(BigInteger)i!;
            return true;
        }

        return TryParseReal(t, out d);
    }

    internal static bool TryParseInteger(ReadOnlySpan<char> t, out object? value)
    {
        value = null;
        int start = t.Length > 0 && (t[0] == '+' || t[0] == '-') ? 1 : 0;
        if (t.Length == start)
        {
            return false;
        }

        for (int k = start; k < t.Length; k++)
        {
            if (t[k] is < '0' or > '9')
            {
                return false;
            }
        }

        if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
        {
            value = l;
            return true;
        }

        BigInteger b = BigInteger.Parse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        value = b >= long.MinValue && b <= long.MaxValue ? (long)b : b;
        return true;
    }

    private static bool TryParseReal(ReadOnlySpan<char> t, out double d)
    {
        d = 0;
        // [+-] digits [. digits] [(E|D) [+-] digits], at least one digit in the mantissa.
        int k = 0;
        if (k < t.Length && (t[k] == '+' || t[k] == '-'))
        {
            k++;
        }

        int digits = 0;
        while (k < t.Length && char.IsAsciiDigit(t[k]))
        {
            k++;
            digits++;
        }

        if (k < t.Length && t[k] == '.')
        {
            k++;
            while (k < t.Length && char.IsAsciiDigit(t[k]))
            {
                k++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        int expAt = -1;
        if (k < t.Length && (t[k] is 'E' or 'D' or 'e' or 'd'))
        {
            expAt = k;
            k++;
            if (k < t.Length && (t[k] == '+' || t[k] == '-'))
            {
                k++;
            }

            int ed = 0;
            while (k < t.Length && char.IsAsciiDigit(t[k]))
            {
                k++;
                ed++;
            }

            if (ed == 0)
            {
                return false;
            }
        }

        if (k != t.Length)
        {
            return false;
        }

        Span<char> buffer = t.Length <= 128 ? stackalloc char[t.Length] : new char[t.Length];
        t.CopyTo(buffer);
        if (expAt >= 0)
        {
            buffer[expAt] = 'E';
        }

        if (!double.TryParse(buffer, NumberStyles.Float, CultureInfo.InvariantCulture, out d) || !double.IsFinite(d))
        {
            return false;
        }

        return true;
    }
}
