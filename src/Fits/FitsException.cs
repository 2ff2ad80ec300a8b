using System.Globalization;
using System.Text;

namespace TweakDrizzle.Fits;

/// <summary>
/// The one exception type raised for a malformed, truncated or unreadable FITS file, and for a header that lacks
/// a keyword or holds a value of the wrong type.
/// </summary>
/// <remarks>
/// <see cref="Exception.Message"/> is a single line: where (file, HDU, card, byte offset, whichever are known)
/// followed by the plain-words <see cref="Reason"/>, e.g.
/// <c>img.fits: HDU 2: data truncated: header declares 16384 data bytes from byte 2880, the file ends at byte 7880</c>.
/// </remarks>
public sealed class FitsException : Exception
{
    /// <summary>Creates an exception with a reason and whatever location is known.</summary>
    /// <param name="reason">What is wrong, in plain words.</param>
    /// <param name="fileName">The file, or null when not known (e.g. a header parsed from memory).</param>
    /// <param name="hduIndex">The 0-based HDU number, or null.</param>
    /// <param name="cardNumber">The 1-based card number inside the header, or null.</param>
    /// <param name="byteOffset">The byte offset in the file, or null.</param>
    /// <param name="innerException">The underlying exception (e.g. an I/O error), or null.</param>
    public FitsException(string reason, string? fileName = null, int? hduIndex = null, int? cardNumber = null,
        long? byteOffset = null, Exception? innerException = null)
        : base(Compose(reason, fileName, hduIndex, cardNumber, byteOffset), innerException)
    {
        Reason = reason;
        FileName = fileName;
        HduIndex = hduIndex;
        CardNumber = cardNumber;
        ByteOffset = byteOffset;
    }

    /// <summary>What is wrong, in plain words, without the location.</summary>
    public string Reason { get; }

    /// <summary>The file concerned, or null.</summary>
    public string? FileName { get; }

    /// <summary>The 0-based HDU number, or null.</summary>
    public int? HduIndex { get; }

    /// <summary>The 1-based card number inside the HDU's header, or null.</summary>
    public int? CardNumber { get; }

    /// <summary>The byte offset in the file of the card concerned, or of the HDU's header, or null.</summary>
    public long? ByteOffset { get; }

    /// <summary>Returns a copy with the file name and HDU filled in where this exception did not know them.</summary>
    internal FitsException WithLocation(string? fileName, int? hduIndex, long? headerOffset = null) =>
        new(Reason, FileName ?? fileName, HduIndex ?? hduIndex, CardNumber,
            ByteOffset ?? (CardNumber is int c && headerOffset is long h ? h + ((c - 1) * 80L) : headerOffset), InnerException);

    private static string Compose(string reason, string? fileName, int? hdu, int? card, long? offset)
    {
        var sb = new StringBuilder();
        if (!string.IsNullOrEmpty(fileName))
        {
            sb.Append(Path.GetFileName(fileName)).Append(": ");
        }

        if (hdu is int h)
        {
            sb.Append(CultureInfo.InvariantCulture, $"HDU {h}: ");
        }

        if (card is int c)
        {
            sb.Append(CultureInfo.InvariantCulture, $"card {c}: ");
        }
        else if (offset is long o && hdu is null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"at byte {o}: ");
        }

        sb.Append(reason);
        return sb.ToString().Replace('\n', ' ').Replace('\r', ' ');
    }
}
