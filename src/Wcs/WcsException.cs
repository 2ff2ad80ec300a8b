namespace TweakDrizzle.Wcs;

/// <summary>
/// A world coordinate system that cannot be read, built or used: missing or contradictory keywords, an
/// unsupported projection, a singular CD matrix. The message is one line in plain words.
/// </summary>
public sealed class WcsException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    /// <param name="message">What is wrong, in plain words.</param>
    public WcsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and the exception that caused it.</summary>
    /// <param name="message">What is wrong, in plain words.</param>
    /// <param name="innerException">The cause.</param>
    public WcsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public WcsException()
        : base("invalid world coordinate system")
    {
    }
}
