using System.Globalization;
using System.Numerics;
using System.Text;

namespace TweakDrizzle.Fits;

/// <summary>Formats keyword cards in FITS 4.0 fixed format, with CONTINUE long strings.</summary>
internal static class CardFormatter
{
    private const int L = FitsCard.CardLength;

    public static string Format(string key, FitsValueKind kind, object? value, string comment)
    {
        bool standard = FitsCard.IsStandardKey(key);
        string prefix = standard ? key.PadRight(8) + "= " : "HIERARCH " + key + " = ";
        if (prefix.Length > L - 4)
        {
            throw new ArgumentException($"The key '{key}' is too long for a FITS card.", nameof(key));
        }

        comment = comment.Trim();
        if (kind == FitsValueKind.String)
        {
            return FormatString(prefix, (string)value!, comment);
        }

        string text = kind switch
        {
            FitsValueKind.Undefined => string.Empty,
            FitsValueKind.Logical => (bool)value! ? "T" : "F",
            FitsValueKind.Integer => value is long l ? l.ToString(CultureInfo.InvariantCulture) : ((BigInteger)value!).ToString(CultureInfo.InvariantCulture),
            FitsValueKind.Real => FormatReal((double)value!),
            FitsValueKind.Complex => "(" + FormatReal(((Complex)value!).Real) + ", " + FormatReal(((Complex)value!).Imaginary) + ")",
            _ => throw new ArgumentException($"Cannot format a {kind} value.", nameof(kind)),
        };

        string body = standard && text.Length <= 20 ? prefix + text.PadLeft(20) : prefix + text;
        if (body.Length > L)
        {
            throw new ArgumentException($"The value of '{key}' does not fit in one card.", nameof(value));
        }

        if (comment.Length > 0 && body.Length + 3 < L)
        {
            string c = " / " + comment;
            body += c.Length > L - body.Length ? c[..(L - body.Length)] : c;
        }

        return body.PadRight(L);
    }

    /// <summary>Shortest text that reads back as the same double, always with a decimal point or exponent.</summary>
    public static string FormatReal(double d)
    {
        string s = d.ToString("R", CultureInfo.InvariantCulture);
        if (s.Contains('.', StringComparison.Ordinal))
        {
            return s;
        }

        int e = s.IndexOf('E', StringComparison.Ordinal);
        return e >= 0 ? s[..e] + ".0" + s[e..] : s + ".0";
    }

    private static string FormatString(string prefix, string value, string comment)
    {
        string escaped = value.Replace("'", "''", StringComparison.Ordinal);
        // A null string stays '' (padding it would make it the empty string ' ', FITS 4.0 4.2.1.1).
        string quoted = escaped.Length == 0 ? "''" : "'" + escaped.PadRight(8) + "'";
        if (prefix.Length + quoted.Length <= L)
        {
            string body = prefix + quoted;
            if (prefix.Length == 10 && comment.Length > 0 && body.Length < 30 && 30 + 3 + comment.Length <= L)
            {
                body = body.PadRight(30);
            }

            if (comment.Length == 0)
            {
                return body.PadRight(L);
            }

            if (body.Length + 3 + comment.Length <= L)
            {
                return (body + " / " + comment).PadRight(L);
            }
        }

        return FormatLongString(prefix, escaped, comment);
    }

    /// <summary>
    /// CONTINUE layout: value chunks of at most 67 escaped characters (a <c>''</c> pair is never split), every
    /// chunk but the last ending in <c>&amp;</c>; the comment goes on the last chunk, or, when it is too long, is
    /// spread over the last cards at word boundaries (value chunks are shortened to make room, so no card needs a
    /// null substring unless the value is too short).
    /// </summary>
    private static string FormatLongString(string prefix, string escaped, string comment)
    {
        List<string> tokens = Tokens(escaped);
        List<string> words = SplitWords(comment);
        int maxChunk = L - Math.Max(prefix.Length, 10) - 3;
        for (int size = maxChunk; size >= 1; size--)
        {
            List<string> chunks = Chunk(tokens, size);
            if (TryPlace(prefix, chunks, words, out string? result))
            {
                return result;
            }

            if (chunks.Count >= tokens.Count)
            {
                break;
            }
        }

        List<string> padded = Chunk(tokens, maxChunk);
        while (true)
        {
            padded.Add(string.Empty);
            if (TryPlace(prefix, padded, words, out string? result))
            {
                return result;
            }
        }
    }

    private static bool TryPlace(string prefix, List<string> chunks, List<string> words, out string result)
    {
        int n = chunks.Count;
        var pieces = new string[n];
        int w = words.Count;
        for (int i = n - 1; i >= 0; i--)
        {
            int room = L - (i == 0 ? prefix.Length : 10) - 2 - chunks[i].Length - (i < n - 1 ? 1 : 0) - 3;
            int first = w;
            int len = 0;
            while (first > 0)
            {
                int add = words[first - 1].Length + (len > 0 ? 1 : 0);
                if (len + add > room)
                {
                    break;
                }

                len += add;
                first--;
            }

            pieces[i] = string.Join(' ', words.GetRange(first, w - first));
            w = first;
        }

        if (w > 0)
        {
            result = string.Empty;
            return false;
        }

        var sb = new StringBuilder(n * L);
        for (int i = 0; i < n; i++)
        {
            string card = (i == 0 ? prefix : "CONTINUE  ") + "'" + chunks[i] + (i < n - 1 ? "&" : string.Empty) + "'";
            if (pieces[i].Length > 0)
            {
                card += " / " + pieces[i];
            }

            sb.Append(card.PadRight(L));
        }

        result = sb.ToString();
        return true;
    }

    private static List<string> Tokens(string escaped)
    {
        var tokens = new List<string>(escaped.Length);
        for (int i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '\'' && i + 1 < escaped.Length && escaped[i + 1] == '\'')
            {
                tokens.Add("''");
                i++;
            }
            else
            {
                tokens.Add(escaped[i].ToString());
            }
        }

        return tokens;
    }

    private static List<string> Chunk(List<string> tokens, int size)
    {
        var chunks = new List<string>();
        var sb = new StringBuilder();
        foreach (string t in tokens)
        {
            if (sb.Length + t.Length > size && sb.Length > 0)
            {
                chunks.Add(sb.ToString());
                sb.Clear();
            }

            sb.Append(t);
        }

        if (sb.Length > 0 || chunks.Count == 0)
        {
            chunks.Add(sb.ToString());
        }

        return chunks;
    }

    private static List<string> SplitWords(string comment)
    {
        var words = new List<string>();
        foreach (string word in comment.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string rest = word;
            while (rest.Length > 60)
            {
                words.Add(rest[..60]);
                rest = rest[60..];
            }

            words.Add(rest);
        }

        return words;
    }
}
