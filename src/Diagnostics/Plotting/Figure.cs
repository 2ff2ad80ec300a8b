using TweakDrizzle.Diagnostics.Rendering;

namespace TweakDrizzle.Diagnostics.Plotting;

/// <summary>
/// A figure: a title, an optional subtitle and a grid of <see cref="Axes"/> panels, drawn through cairo to
/// PNG, SVG or PDF from one drawing path. Sizes are in points (1/72 inch).
/// </summary>
/// <remarks>Not thread-safe while it is being built; rendering does not change it.</remarks>
public sealed class Figure
{
    private readonly Axes[] _panels;

    /// <summary>Creates an empty figure with a grid of panels.</summary>
    /// <param name="width">Width in points.</param>
    /// <param name="height">Height in points.</param>
    /// <param name="rows">Panel rows.</param>
    /// <param name="columns">Panel columns.</param>
    public Figure(double width = 640, double height = 480, int rows = 1, int columns = 1)
    {
        if (!(width >= 50 && width <= 20000) || !(height >= 50 && height <= 20000))
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"A figure must be 50 to 20000 points on each side (got {width} × {height}).");
        }

        if (rows < 1 || columns < 1 || rows * columns > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"A figure needs 1 to 64 panels (got {rows} × {columns}).");
        }

        Width = width;
        Height = height;
        Rows = rows;
        Columns = columns;
        _panels = new Axes[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                _panels[(r * columns) + c] = new Axes(r, c);
            }
        }
    }

    /// <summary>Width in points.</summary>
    public double Width { get; }

    /// <summary>Height in points.</summary>
    public double Height { get; }

    /// <summary>Rows of panels.</summary>
    public int Rows { get; }

    /// <summary>Columns of panels.</summary>
    public int Columns { get; }

    /// <summary>Title at the top of the figure.</summary>
    public string? Title { get; set; }

    /// <summary>A second line under the title in lighter type (fit geometry, RMS figures, ...).</summary>
    public string? Subtitle { get; set; }

    /// <summary>PNG resolution in pixels per point (1.5 gives 108 dpi; a 640 × 480 pt figure is 960 × 720 pixels).</summary>
    public double PixelsPerPoint { get; set; } = 1.5;

    /// <summary>All panels, row by row.</summary>
    public IReadOnlyList<Axes> Panels => _panels;

    /// <summary>The first (or only) panel.</summary>
    public Axes Panel => _panels[0];

    /// <summary>The panel in a grid cell.</summary>
    /// <param name="row">Row, 0 at the top.</param>
    /// <param name="column">Column, 0 at the left.</param>
    /// <returns>The panel.</returns>
    public Axes this[int row, int column]
    {
        get
        {
            if ((uint)row >= (uint)Rows || (uint)column >= (uint)Columns)
            {
                throw new ArgumentOutOfRangeException(nameof(row), $"No panel ({row}, {column}) in a {Rows} × {Columns} figure.");
            }

            return _panels[(row * Columns) + column];
        }
    }

    /// <summary>Size of the PNG in pixels.</summary>
    public (int Width, int Height) PixelSize =>
        (CairoOutput.PixelSize(Width, PixelsPerPoint), CairoOutput.PixelSize(Height, PixelsPerPoint));

    /// <summary>Draws the figure and returns the file's bytes.</summary>
    /// <param name="format">PNG, SVG or PDF.</param>
    /// <returns>The encoded figure.</returns>
    /// <exception cref="CairoNotFoundException">The cairo library is not installed.</exception>
    public byte[] Render(PlotFormat format) =>
        CairoOutput.Render(format, Width, Height, PixelsPerPoint, Title, canvas => FigureRenderer.Draw(this, canvas));

    /// <summary>Draws the figure and writes it atomically (temporary file, then rename) to <paramref name="path"/>.</summary>
    /// <param name="path">The output file; its extension (.png, .svg, .pdf) gives the format.</param>
    /// <exception cref="CairoNotFoundException">The cairo library is not installed.</exception>
    /// <exception cref="ArgumentException">The extension is not .png, .svg or .pdf.</exception>
    public void Save(string path) => Save(path, FormatFromPath(path));

    /// <summary>Draws the figure in <paramref name="format"/> and writes it atomically to <paramref name="path"/>.</summary>
    /// <param name="path">The output file.</param>
    /// <param name="format">The format.</param>
    /// <exception cref="CairoNotFoundException">The cairo library is not installed.</exception>
    public void Save(string path, PlotFormat format) => AtomicFile.WriteAllBytes(path, Render(format));

    /// <summary>The format named by a file extension.</summary>
    /// <param name="path">A path ending in .png, .svg or .pdf (any case).</param>
    /// <returns>The format.</returns>
    /// <exception cref="ArgumentException">Any other extension.</exception>
    public static PlotFormat FormatFromPath(string path) => Path.GetExtension(path ?? string.Empty).ToUpperInvariant() switch
    {
        ".PNG" => PlotFormat.Png,
        ".SVG" => PlotFormat.Svg,
        ".PDF" => PlotFormat.Pdf,
        _ => throw new ArgumentException($"Cannot tell the plot format of '{path}': use a .png, .svg or .pdf file name.", nameof(path)),
    };

    /// <summary>Renders to raw pixels (0xAARRGGBB, top row first) at <see cref="PixelsPerPoint"/>, for checks.</summary>
    internal uint[] RenderPixels()
    {
        (int w, int h) = PixelSize;
        return CairoOutput.RenderPixels(w, h, PixelsPerPoint, canvas => FigureRenderer.Draw(this, canvas));
    }
}

/// <summary>Writes files through a temporary file in the same folder and a rename, so readers never see half a file.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically, creating the folder if needed.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="bytes">The content.</param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                fs.Write(bytes);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Writes text as UTF-8 (no byte-order mark) atomically.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="text">The content.</param>
    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text ?? string.Empty));
}
