namespace TweakDrizzle.Fits;

/// <summary>An open FITS file.</summary>
public sealed partial class FitsFile
{
    /// <summary>The FITS block size in bytes.</summary>
    public const int BlockSize = 2880;
}
