using System.Reflection;
using System.Runtime.InteropServices;

namespace TweakDrizzle.Diagnostics.Rendering;

/// <summary>
/// Finds and loads the system cairo library once per process. The plots need it; image previews, reports
/// and everything else in TweakDrizzle do not.
/// </summary>
/// <remarks>Thread-safe: the library is loaded lazily, exactly once.</remarks>
public static class CairoLibrary
{
    /// <summary>File names tried in order: the Linux soname, then the macOS and Windows names.</summary>
    internal static readonly string[] Candidates = ["libcairo.so.2", "libcairo.2.dylib", "libcairo-2.dll"];

    private static readonly Lazy<nint> Handle = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when the cairo library can be loaded, so plots can be drawn.</summary>
    public static bool IsAvailable => Handle.Value != 0;

    /// <summary>The cairo version string (for example <c>1.16.0</c>), or null when cairo is missing.</summary>
    public static string? Version => IsAvailable ? Marshal.PtrToStringUTF8(CairoNative.cairo_version_string()) : null;

    /// <summary>Throws <see cref="CairoNotFoundException"/> unless cairo is loaded.</summary>
    /// <exception cref="CairoNotFoundException">The cairo library is not installed.</exception>
    public static void EnsureLoaded()
    {
        if (Handle.Value == 0)
        {
            throw new CairoNotFoundException();
        }
    }

    /// <summary>Loads the first of <paramref name="candidates"/> that exists; 0 when none does.</summary>
    internal static nint TryLoad(IEnumerable<string> candidates)
    {
        foreach (string name in candidates)
        {
            if (NativeLibrary.TryLoad(name, out nint handle))
            {
                return handle;
            }
        }

        return 0;
    }

    private static nint Load()
    {
        nint handle = TryLoad(Candidates);
        if (handle != 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(CairoLibrary).Assembly, Resolve);
        }

        return handle;
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == CairoNative.Lib ? Handle.Value : 0;
}

/// <summary>The cairo graphics library, which draws the plots, is not installed.</summary>
public sealed class CairoNotFoundException : Exception
{
    /// <summary>The one-line message telling the user what to install.</summary>
    public const string Hint =
        "Plotting needs the cairo graphics library (libcairo.so.2), which was not found. On Debian/Ubuntu: apt-get install libcairo2";

    /// <summary>Creates the exception with <see cref="Hint"/> as its message.</summary>
    public CairoNotFoundException()
        : base(Hint)
    {
    }
}
