using System.Collections;
using System.Text;

namespace TweakDrizzle.Fits;

/// <summary>
/// A FITS header: an ordered list of <see cref="FitsCard"/>s (END not included) with typed look-up and editing.
/// </summary>
/// <remarks>
/// Card order, comments and the exact card images of unchanged cards are preserved, so a header read and written
/// back is byte-identical. Look-ups are by key, case-insensitive, and return the first card with that key.
/// A header is mutable and not thread-safe; use <see cref="Clone"/> to hand a copy to another thread.
/// </remarks>
public sealed class FitsHeader : IReadOnlyList<FitsCard>
{
    private readonly List<FitsCard> _cards;

    /// <summary>Creates an empty header.</summary>
    public FitsHeader()
    {
        _cards = [];
    }

    /// <summary>Creates a header holding the given cards, in order.</summary>
    /// <param name="cards">The cards.</param>
    public FitsHeader(IEnumerable<FitsCard> cards)
    {
        ArgumentNullException.ThrowIfNull(cards);
        _cards = [.. cards];
    }

    /// <summary>The number of cards (a CONTINUE long string counts once).</summary>
    public int Count => _cards.Count;

    /// <summary>The card at a position.</summary>
    /// <param name="index">0-based position.</param>
    public FitsCard this[int index] => _cards[index];

    /// <summary>The number of 80-character card images the header occupies, END included.</summary>
    public int CardImageCount
    {
        get
        {
            int n = 1;
            foreach (FitsCard c in _cards)
            {
                n += c.RawText.Length / FitsCard.CardLength;
            }

            return n;
        }
    }

    /// <summary>
    /// Parses a header from FITS blocks: card images from the start of <paramref name="bytes"/> up to END.
    /// </summary>
    /// <param name="bytes">The header bytes (any length; parsing stops at END).</param>
    /// <returns>The header.</returns>
    /// <exception cref="FitsException">A card holds a non-printable byte, or there is no END card.</exception>
    public static FitsHeader Parse(ReadOnlySpan<byte> bytes)
    {
        var images = new List<string>();
        int n = bytes.Length / FitsCard.CardLength;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> card = bytes.Slice(i * FitsCard.CardLength, FitsCard.CardLength);
            CheckAscii(card, i + 1);
            if (IsEnd(card))
            {
                return new FitsHeader(CardParser.ParseAll(images));
            }

            images.Add(Encoding.ASCII.GetString(card));
        }

        throw new FitsException($"header has no END card in its {n} cards", cardNumber: null, byteOffset: n * 80L);
    }

    /// <summary>
    /// Parses a text file of header cards, one per line (the <c>.hdr</c> form): lines are padded to 80 characters,
    /// blank trailing lines are ignored and parsing stops at an END line when there is one.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The header.</returns>
    /// <exception cref="FitsException">A line is longer than 80 characters or holds a non-printable character.</exception>
    public static FitsHeader ParseCardText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var images = new List<string>();
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        int last = lines.Length;
        while (last > 0 && lines[last - 1].Trim().Length == 0)
        {
            last--;
        }

        for (int i = 0; i < last; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Length > FitsCard.CardLength)
            {
                if (line[FitsCard.CardLength..].Trim().Length > 0)
                {
                    throw new FitsException($"line {i + 1} has {line.Length} characters; a card has at most 80", cardNumber: i + 1);
                }

                line = line[..FitsCard.CardLength];
            }

            foreach (char c in line)
            {
                if (c < 0x20 || c > 0x7E)
                {
                    throw new FitsException($"line {i + 1} holds a non-printable character 0x{(int)c:x2}", cardNumber: i + 1);
                }
            }

            string image = line.PadRight(FitsCard.CardLength);
            if (image.StartsWith("END     ", StringComparison.Ordinal) && image.AsSpan(8).Trim(' ').Length == 0)
            {
                break;
            }

            images.Add(image);
        }

        return new FitsHeader(CardParser.ParseAll(images));
    }

    /// <summary>Reads a <c>.hdr</c> text file of cards (see <see cref="ParseCardText"/>).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The header.</returns>
    /// <exception cref="FitsException">The file cannot be read or is not a card file.</exception>
    public static FitsHeader ReadCardFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.Latin1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FitsException($"cannot read the header file: {e.Message}", path, innerException: e);
        }

        try
        {
            return ParseCardText(text);
        }
        catch (FitsException e)
        {
            throw e.WithLocation(path, null);
        }
    }

    /// <summary>True when a card with this key exists.</summary>
    /// <param name="key">The keyword (case-insensitive; a HIERARCH key without its prefix).</param>
    /// <returns>Whether the key is present.</returns>
    public bool Contains(string key) => IndexOf(key) >= 0;

    /// <summary>The position of the first card with this key, or -1.</summary>
    /// <param name="key">The keyword.</param>
    /// <returns>The 0-based index or -1.</returns>
    public int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string k = Normalise(key);
        for (int i = 0; i < _cards.Count; i++)
        {
            if (string.Equals(_cards[i].Key, k, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The first card with this key.</summary>
    /// <param name="key">The keyword.</param>
    /// <param name="card">The card, or null.</param>
    /// <returns>True when found.</returns>
    public bool TryGetCard(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FitsCard? card)
    {
        int i = IndexOf(key);
        card = i >= 0 ? _cards[i] : null;
        return card is not null;
    }

    /// <summary>The value of the first card with this key (see <see cref="FitsCard.Value"/>).</summary>
    /// <param name="key">The keyword.</param>
    /// <returns>The value, or null when the key is absent or undefined.</returns>
    public object? GetValue(string key) => TryGetCard(key, out FitsCard? c) ? c.Value : null;

    /// <summary>A numeric (integer or real) value.</summary>
    /// <param name="key">The keyword.</param>
    /// <param name="value">The value, or 0.</param>
    /// <returns>True when the key exists and holds a number.</returns>
    public bool TryGetDouble(string key, out double value)
    {
        value = 0;
        return TryGetCard(key, out FitsCard? c) && c.TryGetDouble(out value);
    }

    /// <summary>A numeric value that must be present.</summary>
    /// <param name="key">The keyword.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FitsException">The key is absent or does not hold a number.</exception>
    public double GetDouble(string key) => TryGetDouble(key, out double v) ? v : throw Missing(key, "a number");

    /// <summary>A numeric value, or a default when the key is absent.</summary>
    /// <param name="key">The keyword.</param>
    /// <param name="defaultValue">Returned when the key is absent or undefined.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FitsException">The key is present but holds something other than a number.</exception>
    public double GetDouble(string key, double defaultValue) =>
        TryGetCard(key, out FitsCard? c) && c.Kind != FitsValueKind.Undefined
            ? (c.TryGetDouble(out double v) ? v : throw Missing(key, "a number"))
            : defaultValue;

    /// <summary>An integer value that fits in 64 bits.</summary>
    /// <param name="key">The keyword.</param>
    /// <param name="value">The value, or 0.</param>
    /// <returns>True when the key exists and holds such an integer.</returns>
    public bool TryGetInt64(string key, out long value)
    {
        value = 0;
        return TryGetCard(key, out FitsCard? c) && c.TryGetInt64(out value);
    }

    /// <summary>An integer value that must be present.</summary>
    /// <param name="key">The keyword.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FitsException">The key is absent or does not hold a 64-bit integer.</exception>
    public long GetInt64(string key) => TryGetInt64(key, out long v) ? v : throw Missing(key, "an integer");

    /// <summary>An integer value, or a default when the key is absent.</summary>
    /// <param name="key">The keyword.</param>
    /// <param name="defaultValue">Returned when the key is absent or undefined.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FitsException">The key is present but holds something other than a 64-bit integer.</exception>
    public long GetInt64(string key, long defaultValue) =>
        TryGetCard(key, out FitsCard? c) && c.Kind != FitsValueKind.Undefined
            ? (c.TryGetInt64(out long v) ? v : throw Missing(key, "an integer"))
            : defaultValue;

    /// <summary>A string value.</summary>
    /// <param name="key">The keyword.</param>
    /// <param name="value">The value, or null.</param>
    /// <returns>True when the key exists and holds a string.</returns>
    public bool TryGetString(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        value = TryGetCard(key, out FitsCard? c) && c.Kind == FitsValueKind.String ? (string)c.Value! : null;
        return value is not null;
    }

    /// <summary>A string value that must be present.</summary>
    /// <param name="key">The keyword.</param>
    /// <returns>The value (trailing spaces removed).</returns>
    /// <exception cref="FitsException">The key is absent or does not hold a string.</exception>
    public string GetString(string key) => TryGetString(key, out string? v) ? v : throw Missing(key, "a string");

    /// <summary>A string value, or a default when the key is absent.</summary>
    /// <param name="key">The keyword.</param>
    /// <param name="defaultValue">Returned when the key is absent or undefined.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FitsException">The key is present but holds something other than a string.</exception>
    public string? GetString(string key, string? defaultValue) =>
        TryGetCard(key, out FitsCard? c) && c.Kind != FitsValueKind.Undefined
            ? (c.Kind == FitsValueKind.String ? (string)c.Value! : throw Missing(key, "a string"))
            : defaultValue;

    /// <summary>A logical value.</summary>
    /// <param name="key">The keyword.</param>
    /// <param name="value">The value, or false.</param>
    /// <returns>True when the key exists and holds T or F.</returns>
    public bool TryGetBool(string key, out bool value)
    {
        value = TryGetCard(key, out FitsCard? c) && c.Kind == FitsValueKind.Logical && (bool)c.Value!;
        return c is not null && c.Kind == FitsValueKind.Logical;
    }

    /// <summary>A logical value, or a default when the key is absent.</summary>
    /// <param name="key">The keyword.</param>
    /// <param name="defaultValue">Returned when the key is absent or undefined.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FitsException">The key is present but holds something other than T or F.</exception>
    public bool GetBool(string key, bool defaultValue) =>
        TryGetCard(key, out FitsCard? c) && c.Kind != FitsValueKind.Undefined
            ? (c.Kind == FitsValueKind.Logical ? (bool)c.Value! : throw Missing(key, "a logical value"))
            : defaultValue;

    /// <summary>
    /// Sets a keyword: replaces the first card with this key in place (keeping its comment when
    /// <paramref name="comment"/> is null), or appends a new card at the end.
    /// </summary>
    /// <param name="key">The keyword.</param>
    /// <param name="value">The value (see <see cref="FitsCard.Create"/>).</param>
    /// <param name="comment">The comment; null keeps the existing comment.</param>
    /// <returns>The card now in the header.</returns>
    public FitsCard Set(string key, object? value, string? comment = null)
    {
        int i = IndexOf(key);
        FitsCard card = FitsCard.Create(key, value, comment ?? (i >= 0 ? _cards[i].Comment : null));
        if (i >= 0)
        {
            _cards[i] = card;
        }
        else
        {
            _cards.Add(card);
        }

        return card;
    }

    /// <summary>
    /// Inserts a card right after the first card with key <paramref name="afterKey"/> (or appends it when that key
    /// is absent). An existing card with the new card's key is removed first, so the key stays unique.
    /// </summary>
    /// <param name="afterKey">The key to insert after.</param>
    /// <param name="key">The new keyword.</param>
    /// <param name="value">The value.</param>
    /// <param name="comment">The comment, or null.</param>
    /// <returns>The inserted card.</returns>
    public FitsCard InsertAfter(string afterKey, string key, object? value, string? comment = null)
    {
        FitsCard card = FitsCard.Create(key, value, comment);
        int old = IndexOf(card.Key);
        if (old >= 0)
        {
            _cards.RemoveAt(old);
        }

        int at = IndexOf(afterKey);
        _cards.Insert(at >= 0 ? at + 1 : _cards.Count, card);
        return card;
    }

    /// <summary>Inserts a card at a position.</summary>
    /// <param name="index">0-based position (0 .. Count).</param>
    /// <param name="card">The card.</param>
    public void Insert(int index, FitsCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        _cards.Insert(index, card);
    }

    /// <summary>Appends a card (duplicates allowed, as for COMMENT and HISTORY).</summary>
    /// <param name="card">The card.</param>
    public void Add(FitsCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        _cards.Add(card);
    }

    /// <summary>Appends commentary cards (COMMENT, HISTORY or blank key), splitting text longer than 72 characters.</summary>
    /// <param name="key">COMMENT, HISTORY or empty.</param>
    /// <param name="text">The text.</param>
    public void AddCommentary(string key, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.TrimEnd();
        if (text.Length == 0)
        {
            _cards.Add(FitsCard.Commentary(key, string.Empty));
            return;
        }

        for (int i = 0; i < text.Length; i += 72)
        {
            _cards.Add(FitsCard.Commentary(key, text.Substring(i, Math.Min(72, text.Length - i))));
        }
    }

    /// <summary>Removes the first card with this key.</summary>
    /// <param name="key">The keyword.</param>
    /// <returns>True when a card was removed.</returns>
    public bool Remove(string key)
    {
        int i = IndexOf(key);
        if (i < 0)
        {
            return false;
        }

        _cards.RemoveAt(i);
        return true;
    }

    /// <summary>Removes every card with this key.</summary>
    /// <param name="key">The keyword.</param>
    /// <returns>The number of cards removed.</returns>
    public int RemoveAll(string key)
    {
        string k = Normalise(key);
        return _cards.RemoveAll(c => string.Equals(c.Key, k, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Removes the card at a position.</summary>
    /// <param name="index">0-based position.</param>
    public void RemoveAt(int index) => _cards.RemoveAt(index);

    /// <summary>A copy that can be edited independently (cards are immutable and shared).</summary>
    /// <returns>The copy.</returns>
    public FitsHeader Clone() => new(_cards);

    /// <summary>The card images of the header, END excluded: 80 characters each.</summary>
    /// <returns>The images in order.</returns>
    public IEnumerable<string> ToCardImages()
    {
        foreach (FitsCard c in _cards)
        {
            for (int i = 0; i < c.RawText.Length; i += FitsCard.CardLength)
            {
                yield return c.RawText.Substring(i, FitsCard.CardLength);
            }
        }
    }

    /// <summary>The header as FITS bytes: the card images, END, and space padding to a multiple of 2880 bytes.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToBytes()
    {
        int images = CardImageCount;
        int blocks = (images * FitsCard.CardLength + FitsFile.BlockSize - 1) / FitsFile.BlockSize;
        byte[] bytes = new byte[blocks * FitsFile.BlockSize];
        bytes.AsSpan().Fill((byte)' ');
        int pos = 0;
        foreach (FitsCard c in _cards)
        {
            pos += Encoding.ASCII.GetBytes(c.RawText, bytes.AsSpan(pos));
        }

        "END"u8.CopyTo(bytes.AsSpan(pos));
        return bytes;
    }

    /// <summary>The header as text, one 80-character card per line, ending with END (the <c>.hdr</c> form).</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (string image in ToCardImages())
        {
            sb.Append(image).Append('\n');
        }

        sb.Append("END".PadRight(FitsCard.CardLength)).Append('\n');
        return sb.ToString();
    }

    /// <inheritdoc/>
    public IEnumerator<FitsCard> GetEnumerator() => _cards.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static bool IsEnd(ReadOnlySpan<byte> card)
    {
        if (!card.StartsWith("END"u8))
        {
            return false;
        }

        for (int i = 3; i < card.Length; i++)
        {
            if (card[i] != (byte)' ')
            {
                return false;
            }
        }

        return true;
    }

    internal static void CheckAscii(ReadOnlySpan<byte> card, int cardNumber)
    {
        int bad = card.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E);
        if (bad >= 0)
        {
            throw new FitsException($"byte 0x{card[bad]:x2} in column {bad + 1} is not printable ASCII, so this is not a header card (no END card before it)", cardNumber: cardNumber);
        }
    }

    private static string Normalise(string key)
    {
        key = key.Trim();
        return key.StartsWith("HIERARCH ", StringComparison.OrdinalIgnoreCase) ? key[9..].Trim() : key;
    }

    private FitsException Missing(string key, string what) => new(
        Contains(key) ? $"keyword {key} does not hold {what}" : $"header has no keyword {key}");
}
