using System.Globalization;

namespace TweakDrizzle.Pipeline;

/// <summary>
/// Which data-quality bits to ignore: a DrizzlePac-style bit expression (<c>final_bits</c>, <c>dqbits</c>)
/// turned into a mask. A pixel is good when none of its DQ bits outside <see cref="IgnoredBits"/> is set.
/// </summary>
/// <remarks>
/// Accepted forms, as in <c>astropy.nddata.bitmask.interpret_bit_flags</c> used by DrizzlePac:
/// <list type="bullet">
/// <item><c>null</c>, empty, <c>None</c> or <c>INDEF</c>: DQ is not used, every pixel is good;</item>
/// <item>an integer (<c>0</c>, <c>96</c>): the bits of that value are ignored; <c>0</c> rejects every flagged pixel;</item>
/// <item>a list of single-bit flags joined by <c>,</c> or <c>+</c> or <c>|</c> (one kind of separator), optionally in
/// parentheses: <c>4,16</c>, <c>(4+16)</c>;</item>
/// <item>any of the above after <c>~</c>: the selection is inverted, so <c>~4,16</c> ignores every bit except 4 and 16
/// (only pixels with bit 4 or 16 are rejected).</item>
/// </list>
/// Immutable.
/// </remarks>
public sealed record DqBits
{
    private DqBits(bool usesDq, uint ignoredBits, string text)
    {
        UsesDq = usesDq;
        IgnoredBits = ignoredBits;
        Text = text;
    }

    /// <summary>Every pixel is good whatever its DQ (the <c>None</c> selection).</summary>
    public static DqBits None { get; } = new(false, uint.MaxValue, "None");

    /// <summary>Every flagged pixel is bad (the <c>0</c> selection, AstroDrizzle's default <c>final_bits</c>).</summary>
    public static DqBits AllBad { get; } = new(true, 0, "0");

    /// <summary>Whether DQ is used at all (false for <c>None</c>).</summary>
    public bool UsesDq { get; }

    /// <summary>The bits that do not make a pixel bad.</summary>
    public uint IgnoredBits { get; }

    /// <summary>The bits that make a pixel bad (the complement of <see cref="IgnoredBits"/>, 0 when DQ is not used).</summary>
    public uint RejectedBits => UsesDq ? ~IgnoredBits : 0;

    /// <summary>The expression this was parsed from (normalised).</summary>
    public string Text { get; }

    /// <summary>A selection that ignores exactly <paramref name="ignoredBits"/>.</summary>
    /// <param name="ignoredBits">Bits to ignore.</param>
    /// <returns>The selection.</returns>
    public static DqBits Ignoring(uint ignoredBits) => new(true, ignoredBits, ignoredBits.ToString(CultureInfo.InvariantCulture));

    /// <summary>Parses a DrizzlePac bit expression (see the remarks of <see cref="DqBits"/>).</summary>
    /// <param name="expression">The expression.</param>
    /// <returns>The selection.</returns>
    /// <exception cref="FormatException">The expression is not a valid bit expression.</exception>
    public static DqBits Parse(string? expression)
    {
        string s = (expression ?? string.Empty).Trim();
        if (s.Length == 0 || s.Equals("None", StringComparison.OrdinalIgnoreCase) || s.Equals("INDEF", StringComparison.OrdinalIgnoreCase))
        {
            return None;
        }

        bool flip = false;
        if (s[0] == '~')
        {
            flip = true;
            s = s[1..].Trim();
            if (s.Length == 0)
            {
                throw Bad(expression, "nothing follows '~'");
            }
        }

        if (s.StartsWith('(') && s.EndsWith(')'))
        {
            s = s[1..^1].Trim();
        }

        if (s.Contains('(', StringComparison.Ordinal) || s.Contains(')', StringComparison.Ordinal) || s.Contains('~', StringComparison.Ordinal))
        {
            throw Bad(expression, "parentheses must enclose the whole list and '~' may only come first");
        }

        char[] seps = [',', '+', '|'];
        int kinds = seps.Count(c => s.Contains(c, StringComparison.Ordinal));
        uint bits;
        if (kinds == 0)
        {
            bits = ParseValue(s, expression, singleBit: false);
        }
        else if (kinds > 1)
        {
            throw Bad(expression, "use only one kind of separator (',', '+' or '|')");
        }
        else
        {
            char sep = seps.First(c => s.Contains(c, StringComparison.Ordinal));
            bits = 0;
            foreach (string part in s.Split(sep))
            {
                bits |= ParseValue(part.Trim(), expression, singleBit: true);
            }
        }

        uint ignored = flip ? ~bits : bits;
        return new DqBits(true, ignored, (flip ? "~" : string.Empty) + bits.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Whether a pixel with this DQ value is good.</summary>
    /// <param name="dq">The DQ value (any integer type, read as its unsigned 32-bit pattern).</param>
    /// <returns>True when no rejected bit is set.</returns>
    public bool IsGood(uint dq) => !UsesDq || (dq & ~IgnoredBits) == 0;

    /// <summary>Fills a good-pixel mask (true = good) from a 16-bit DQ array.</summary>
    /// <param name="dq">The DQ values (their 16-bit patterns).</param>
    /// <param name="good">Output, same length.</param>
    public void GoodMask(ReadOnlySpan<short> dq, Span<bool> good)
    {
        CheckLengths(dq.Length, good.Length);
        uint reject = RejectedBits & 0xFFFF;
        for (int i = 0; i < dq.Length; i++)
        {
            good[i] = ((uint)(ushort)dq[i] & reject) == 0;
        }
    }

    /// <summary>Fills a good-pixel mask (true = good) from a 32-bit DQ array.</summary>
    /// <param name="dq">The DQ values.</param>
    /// <param name="good">Output, same length.</param>
    public void GoodMask(ReadOnlySpan<uint> dq, Span<bool> good)
    {
        CheckLengths(dq.Length, good.Length);
        uint reject = RejectedBits;
        for (int i = 0; i < dq.Length; i++)
        {
            good[i] = (dq[i] & reject) == 0;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    private static void CheckLengths(int a, int b)
    {
        if (a != b)
        {
            throw new ArgumentException("The DQ array and the mask must have the same length.");
        }
    }

    private static uint ParseValue(string text, string? expression, bool singleBit)
    {
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) || v > uint.MaxValue)
        {
            throw Bad(expression, $"'{text}' is not a non-negative integer below 2^32");
        }

        if (singleBit && (v == 0 || (v & (v - 1)) != 0))
        {
            throw Bad(expression, $"{v} in a list must be a single bit (a power of 2)");
        }

        return (uint)v;
    }

    private static FormatException Bad(string? expression, string why) =>
        new($"Invalid DQ bit expression '{expression}': {why}.");
}
