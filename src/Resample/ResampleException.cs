namespace TweakDrizzle.Resample;

/// <summary>
/// A caller's mistake detected by the resampling engine (mismatched shapes, bad option values,
/// a pixmap without valid pixels, ...). The message is one line in plain words; outputs are untouched.
/// </summary>
public sealed class ResampleException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    /// <param name="message">What is wrong, in plain words.</param>
    public ResampleException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What is wrong, in plain words.</param>
    /// <param name="inner">The underlying exception.</param>
    public ResampleException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ResampleException()
        : base("invalid resampling input")
    {
    }
}
