using System.Globalization;
using System.Numerics;
using System.Text;

namespace TweakDrizzle.Fits;

/// <summary>What kind of value a <see cref="FitsCard"/> holds.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The FITS standard names its value types string and integer.")]
public enum FitsValueKind
{
    /// <summary>A commentary card (COMMENT, HISTORY, blank keyword, or any card without <c>= </c> in bytes 9-10);
    /// <see cref="FitsCard.Value"/> is the text of bytes 9-80 without trailing spaces.</summary>
    Commentary,

    /// <summary>A keyword with <c>= </c> but an empty value field; <see cref="FitsCard.Value"/> is null.</summary>
    Undefined,

    /// <summary>A character string (<see cref="string"/>), CONTINUE long strings already joined.</summary>
    String,

    /// <summary>A logical value (<see cref="bool"/>).</summary>
    Logical,

    /// <summary>An integer: <see cref="long"/>, or <see cref="BigInteger"/> when it does not fit in 64 bits.</summary>
    Integer,

    /// <summary>A floating-point value (<see cref="double"/>); 'D' exponents are accepted.</summary>
    Real,

    /// <summary>A complex value <c>(re, im)</c> (<see cref="Complex"/>).</summary>
    Complex,

    /// <summary>A value field that follows no FITS rule; <see cref="FitsCard.Value"/> is its text, trimmed.</summary>
    Invalid,
}

/// <summary>
/// One header keyword record: key, typed value and comment, plus the exact 80-character card image(s) it came
/// from or will be written as (a CONTINUE long string spans several images).
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Keys are kept as written: standard keys are upper case and at most 8 characters;
/// longer keys or keys with spaces or lower-case letters are HIERARCH keys (the <c>HIERARCH </c> prefix is not part
/// of <see cref="Key"/>). Values are <see cref="string"/>, <see cref="bool"/>, <see cref="long"/>,
/// <see cref="BigInteger"/> (integers beyond 64 bits), <see cref="double"/>, <see cref="System.Numerics.Complex"/>,
/// or null for an undefined value.
/// </remarks>
public sealed class FitsCard
{
    /// <summary>Length of one card image in characters.</summary>
    public const int CardLength = 80;

    private FitsCard(string key, FitsValueKind kind, object? value, string comment, string rawText)
    {
        Key = key;
        Kind = kind;
        Value = value;
        Comment = comment;
        RawText = rawText;
    }

    /// <summary>The keyword (without any <c>HIERARCH </c> prefix); empty for a blank-keyword card.</summary>
    public string Key { get; }

    /// <summary>What kind of value the card holds.</summary>
    public FitsValueKind Kind { get; }

    /// <summary>The typed value (see the class remarks), the text of a commentary card, or null when undefined.</summary>
    public object? Value { get; }

    /// <summary>The comment (after <c>/</c>, trimmed; the comments of CONTINUE cards joined by one space); empty when none.</summary>
    public string Comment { get; }

    /// <summary>The card image(s): a multiple of 80 characters, exactly as read or as it will be written.</summary>
    public string RawText { get; }

    /// <summary>True for COMMENT, HISTORY, blank-keyword and other cards without a value indicator.</summary>
    public bool IsCommentary => Kind == FitsValueKind.Commentary;

    /// <summary>Creates a keyword card with a value and an optional comment, formatted as FITS 4.0 fixed format.</summary>
    /// <param name="key">The keyword; up to 8 characters of <c>A-Z 0-9 - _</c> for a standard key, otherwise a HIERARCH key.</param>
    /// <param name="value">A string, bool, any integer type, <see cref="BigInteger"/>, float, double, decimal,
    /// <see cref="System.Numerics.Complex"/>, or null for an undefined value.</param>
    /// <param name="comment">The comment, or null for none.</param>
    /// <returns>The new card; a long string becomes a CONTINUE sequence.</returns>
    /// <exception cref="ArgumentException">The key or value cannot be written in FITS (non-ASCII text, NaN, infinity, empty key).</exception>
    public static FitsCard Create(string key, object? value, string? comment = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        key = NormaliseKey(key);
        if (key.Length == 0 || key is "COMMENT" or "HISTORY" or "CONTINUE" or "END")
        {
            throw new ArgumentException($"'{key}' cannot hold a value; use Commentary or FitsHeader.AddCommentary for commentary cards.", nameof(key));
        }

        comment ??= string.Empty;
        CheckText(comment, nameof(comment));
        (FitsValueKind kind, object? normalised) = NormaliseValue(value);
        string raw = CardFormatter.Format(key, kind, normalised, comment);
        return new FitsCard(key, kind, normalised, comment.Trim(), raw);
    }

    /// <summary>Creates a commentary card such as <c>COMMENT</c>, <c>HISTORY</c> or a blank-keyword card.</summary>
    /// <param name="key">COMMENT, HISTORY, empty for a blank keyword, or another key of at most 8 characters.</param>
    /// <param name="text">At most 72 printable ASCII characters (use <see cref="FitsHeader.AddCommentary"/> for longer text).</param>
    /// <returns>The new card.</returns>
    /// <exception cref="ArgumentException">The text is too long or not printable ASCII, or the key is longer than 8 characters.</exception>
    public static FitsCard Commentary(string key, string text)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(text);
        key = key.Trim().ToUpperInvariant();
        if (key.Length > 8)
        {
            throw new ArgumentException($"A commentary key has at most 8 characters: '{key}'.", nameof(key));
        }

        CheckText(key, nameof(key));
        CheckText(text, nameof(text));
        text = text.TrimEnd();
        if (text.Length > 72)
        {
            throw new ArgumentException("Commentary text longer than 72 characters does not fit one card.", nameof(text));
        }

        string raw = (key.PadRight(8) + text).PadRight(CardLength);
        return new FitsCard(key, FitsValueKind.Commentary, text, string.Empty, raw);
    }

    /// <summary>Parses one 80-character card image (shorter text is padded with spaces).</summary>
    /// <param name="image">The card image: printable ASCII, at most 80 characters.</param>
    /// <returns>The card. A CONTINUE card parsed alone is commentary; use <see cref="FitsHeader"/> to join long strings.</returns>
    /// <exception cref="FitsException">The text is longer than 80 characters or not printable ASCII.</exception>
    public static FitsCard Parse(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Length > CardLength)
        {
            throw new FitsException($"a card image has {image.Length} characters, more than 80");
        }

        for (int i = 0; i < image.Length; i++)
        {
            if (image[i] < 0x20 || image[i] > 0x7E)
            {
                throw new FitsException($"card holds a non-printable character 0x{(int)image[i]:x2} at column {i + 1}");
            }
        }

        return CardParser.ParseSingle(image.PadRight(CardLength));
    }

    /// <summary>Builds a card from parsed parts (used by the header parser).</summary>
    internal static FitsCard FromParsed(string key, FitsValueKind kind, object? value, string comment, string raw) =>
        new(key, kind, value, comment, raw);

    /// <summary>The same card with another comment (the value is re-formatted).</summary>
    /// <param name="comment">The new comment.</param>
    /// <returns>A new card.</returns>
    public FitsCard WithComment(string comment) => IsCommentary ? this : Create(Key, Value, comment);

    /// <summary>The value as a double when it is an integer or a real.</summary>
    /// <param name="value">The value, or 0 when not numeric.</param>
    /// <returns>True when the value is numeric.</returns>
    public bool TryGetDouble(out double value)
    {
        switch (Value)
        {
            case double d when Kind == FitsValueKind.Real:
                value = d;
                return true;
            case long l:
                value = l;
                return true;
            case BigInteger b:
                value = (double)b;
                return true;
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>The value as a 64-bit integer when it is an integer that fits.</summary>
    /// <param name="value">The value, or 0.</param>
    /// <returns>True when the value is an integer within the range of <see cref="long"/>.</returns>
    public bool TryGetInt64(out long value)
    {
        switch (Value)
        {
            case long l:
                value = l;
                return true;
            case BigInteger b when b >= long.MinValue && b <= long.MaxValue:
                value = (long)b;
                return true;
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>The card images, one 80-character line each, joined by newlines.</summary>
    /// <returns>The text of the card.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < RawText.Length; i += CardLength)
        {
            if (i > 0)
            {
                sb.Append('\n');
            }

            sb.Append(RawText, i, CardLength);
        }

        return sb.ToString();
    }

    internal static string NormaliseKey(string key)
    {
        key = key.Trim();
        if (key.StartsWith("HIERARCH ", StringComparison.OrdinalIgnoreCase))
        {
            key = key[9..].Trim();
        }

        CheckText(key, nameof(key));
        return IsStandardKey(key.ToUpperInvariant()) ? key.ToUpperInvariant() : key;
    }

    /// <summary>True when the key can be written in bytes 1-8 (upper case, digits, hyphen, underscore).</summary>
    internal static bool IsStandardKey(string key)
    {
        if (key.Length > 8)
        {
            return false;
        }

        foreach (char c in key)
        {
            if (!(c is >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckText(string text, string paramName)
    {
        foreach (char c in text)
        {
            if (c < 0x20 || c > 0x7E)
            {
                throw new ArgumentException($"FITS headers hold printable ASCII only; found U+{(int)c:X4}.", paramName);
            }
        }
    }

    private static (FitsValueKind Kind, object? Value) NormaliseValue(object? value)
    {
        switch (value)
        {
            case null:
                return (FitsValueKind.Undefined, null);
            case string s:
                CheckText(s, nameof(value));
                return (FitsValueKind.String, TrimString(s));
            case bool b:
                return (FitsValueKind.Logical, b);
            case BigInteger big:
                return big >= long.MinValue && big <= long.MaxValue
                    ? (FitsValueKind.Integer, (long)big)
                    : (FitsValueKind.Integer, big);
            case ulong ul:
                return ul <= long.MaxValue ? (FitsValueKind.Integer, (long)ul) : (FitsValueKind.Integer, new BigInteger(ul));
            case sbyte or byte or short or ushort or int or uint or long:
                return (FitsValueKind.Integer, Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case float f:
                return (FitsValueKind.Real, CheckFinite(f));
            case double d:
                return (FitsValueKind.Real, CheckFinite(d));
            case decimal m:
                return (FitsValueKind.Real, (double)m);
            case Complex z:
                CheckFinite(z.Real);
                CheckFinite(z.Imaginary);
                return (FitsValueKind.Complex, z);
            default:
                throw new ArgumentException($"A FITS header value cannot be of type {value.GetType().Name}.", nameof(value));
        }
    }

    /// <summary>FITS 4.0 4.2.1.1: trailing spaces are not significant, but a blank string is one space.</summary>
    internal static string TrimString(string s)
    {
        string t = s.TrimEnd(' ');
        return t.Length == 0 && s.Length > 0 ? " " : t;
    }

    private static double CheckFinite(double d) => double.IsFinite(d)
        ? d
        : throw new ArgumentException("NaN and infinite values cannot be written in a FITS header.", nameof(d));
}
