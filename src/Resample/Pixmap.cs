namespace TweakDrizzle.Resample;

/// <summary>
/// A pixel map: for every input pixel centre (i, j) its position (X, Y) in the output frame, 0-based with pixel
/// centres at integers. Stored as two planes indexed <c>j * Width + i</c>; NaN means "not mapped".
/// </summary>
/// <remarks>The arrays are shared, not copied: do not modify them while a drizzle or blot uses the pixmap.</remarks>
public sealed class Pixmap
{
    /// <summary>Wraps two planes of a pixmap.</summary>
    /// <param name="width">Number of input columns (NAXIS1).</param>
    /// <param name="height">Number of input rows (NAXIS2).</param>
    /// <param name="x">Output x of every input pixel, row-major, length width*height.</param>
    /// <param name="y">Output y of every input pixel, row-major, length width*height.</param>
    /// <exception cref="ResampleException">The sizes do not agree.</exception>
    public Pixmap(int width, int height, double[] x, double[] y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (width < 1 || height < 1)
        {
            throw new ResampleException($"pixmap shape {width}x{height} is empty");
        }

        long n = (long)width * height;
        if (x.LongLength != n || y.LongLength != n)
        {
            throw new ResampleException(
                $"pixmap planes hold {x.LongLength} and {y.LongLength} values but the shape {width}x{height} needs {n}");
        }

        Width = width;
        Height = height;
        X = x;
        Y = y;
    }

    /// <summary>Number of input columns.</summary>
    public int Width { get; }

    /// <summary>Number of input rows.</summary>
    public int Height { get; }

    /// <summary>Output x of each input pixel centre, index <c>j * Width + i</c>.</summary>
    public double[] X { get; }

    /// <summary>Output y of each input pixel centre, index <c>j * Width + i</c>.</summary>
    public double[] Y { get; }

    /// <summary>The identity map of a width x height image.</summary>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <returns>A pixmap with X = i, Y = j.</returns>
    public static Pixmap Identity(int width, int height)
    {
        var x = new double[(long)width * height];
        var y = new double[x.Length];
        for (int j = 0; j < height; j++)
        {
            for (int i = 0; i < width; i++)
            {
                x[((long)j * width) + i] = i;
                y[((long)j * width) + i] = j;
            }
        }

        return new Pixmap(width, height, x, y);
    }

    /// <summary>Builds a pixmap from a numpy-style interleaved array of shape (height, width, 2).</summary>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="interleaved">Values x0, y0, x1, y1, ... row-major.</param>
    /// <returns>The pixmap.</returns>
    public static Pixmap FromInterleaved(int width, int height, ReadOnlySpan<double> interleaved)
    {
        long n = (long)width * height;
        if (interleaved.Length != 2 * n)
        {
            throw new ResampleException($"interleaved pixmap holds {interleaved.Length} values, expected {2 * n}");
        }

        var x = new double[n];
        var y = new double[n];
        for (long k = 0; k < n; k++)
        {
            x[k] = interleaved[(int)(2 * k)];
            y[k] = interleaved[(int)((2 * k) + 1)];
        }

        return new Pixmap(width, height, x, y);
    }

    /// <summary>Counts the input pixels whose mapped position is finite in both coordinates.</summary>
    /// <returns>The number of valid (mapped) pixels.</returns>
    public long CountValid()
    {
        long n = 0;
        for (long k = 0; k < X.LongLength; k++)
        {
            if (!double.IsNaN(X[k]) && !double.IsNaN(Y[k]))
            {
                n++;
            }
        }

        return n;
    }
}
