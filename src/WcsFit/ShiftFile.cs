using System.Globalization;
using System.Text;

namespace TweakDrizzle.WcsFit;

/// <summary>One row of a TweakReg shiftfile: the fit of one exposure in TweakReg's convention.</summary>
/// <param name="Name">Exposure file name as written (e.g. <c>j8ny01szq_flc.fits</c>).</param>
/// <param name="XSh">XSH, pixels.</param>
/// <param name="YSh">YSH, pixels.</param>
/// <param name="Rot">ROT, degrees.</param>
/// <param name="Scale">SCALE.</param>
/// <param name="XRms">XRMS, pixels.</param>
/// <param name="YRms">YRMS, pixels.</param>
public sealed record ShiftFileRow(string Name, double XSh, double YSh, double Rot, double Scale, double XRms, double YRms)
{
    /// <summary>The reference exposure's row: <c>0 0 0 1 0 0</c>.</summary>
    /// <param name="name">File name.</param>
    /// <returns>The row.</returns>
    public static ShiftFileRow Reference(string name) => new(name, 0, 0, 0, 1, 0, 0);

    /// <summary>Row of an exposure that could not be aligned: every figure NaN (written <c>nan</c>, as TweakReg).</summary>
    /// <param name="name">File name.</param>
    /// <returns>The row.</returns>
    public static ShiftFileRow Unmatched(string name) => new(name, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>The row of a successful fit.</summary>
    /// <param name="name">File name.</param>
    /// <param name="fit">The fit.</param>
    /// <returns>The row.</returns>
    public static ShiftFileRow FromFit(string name, FitResult fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return fit.Status == FitStatus.Success ? new(name, fit.XSh, fit.YSh, fit.Rot, fit.Scale, fit.XRms, fit.YRms) : Unmatched(name);
    }
}

/// <summary>
/// TweakReg's shiftfile (<c>shiftfile=True</c>, <c>outshifts</c>): four header lines, then one row per exposure
/// written with <c>'%s    %0.6f  %0.6f    %0.6f     %0.6f   %0.6f  %0.6f'</c>.
/// </summary>
public static class ShiftFile
{
    /// <summary>The text of a shiftfile.</summary>
    /// <param name="rows">Rows in output order.</param>
    /// <param name="refImage">Value of the <c># refimage:</c> line (TweakReg: <c>shifts_wcs.fits[wcs]</c>).</param>
    /// <returns>The text, with <c>\n</c> line ends.</returns>
    public static string Format(IEnumerable<ShiftFileRow> rows, string refImage = "shifts_wcs.fits[wcs]")
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder();
        sb.Append("# frame: output\n");
        sb.Append("# refimage: ").Append(refImage).Append('\n');
        sb.Append("# form: delta\n");
        sb.Append("# units: pixels\n");
        foreach (ShiftFileRow r in rows)
        {
            sb.Append(r.Name).Append("    ").Append(F(r.XSh)).Append("  ").Append(F(r.YSh)).Append("    ").Append(F(r.Rot))
              .Append("     ").Append(F(r.Scale)).Append("   ").Append(F(r.XRms)).Append("  ").Append(F(r.YRms)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Writes the shiftfile atomically (temporary file, then rename). Nothing is written when there are no rows.</summary>
    /// <param name="path">Output path.</param>
    /// <param name="rows">Rows in output order.</param>
    /// <param name="refImage">Value of the <c># refimage:</c> line.</param>
    /// <returns>True when the file was written.</returns>
    public static bool Write(string path, IReadOnlyCollection<ShiftFileRow> rows, string refImage = "shifts_wcs.fits[wcs]")
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return false;
        }

        string full = Path.GetFullPath(path);
        string tmp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            File.WriteAllText(tmp, Format(rows, refImage), new UTF8Encoding(false));
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WcsFitException($"cannot write shiftfile '{path}': {e.Message}", e);
        }
        finally
        {
            if (File.Exists(tmp))
            {
                File.Delete(tmp);
            }
        }

        return true;
    }

    /// <summary>Reads the rows of a shiftfile (header lines starting with <c>#</c> are skipped).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The rows.</returns>
    /// <exception cref="WcsFitException">Missing file or a malformed row.</exception>
    public static IReadOnlyList<ShiftFileRow> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WcsFitException($"cannot read shiftfile '{path}': {e.Message}", e);
        }

        var rows = new List<ShiftFileRow>();
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 7)
            {
                throw new WcsFitException($"shiftfile '{path}' line {n + 1}: expected 7 fields (name XSH YSH ROT SCALE XRMS YRMS), found {f.Length}");
            }

            var v = new double[6];
            for (int k = 0; k < 6; k++)
            {
                if (!double.TryParse(f[k + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out v[k]) &&
                    !string.Equals(f[k + 1], "nan", StringComparison.OrdinalIgnoreCase))
                {
                    throw new WcsFitException($"shiftfile '{path}' line {n + 1}: field {k + 2} is not a number");
                }

                if (string.Equals(f[k + 1], "nan", StringComparison.OrdinalIgnoreCase))
                {
                    v[k] = double.NaN;
                }
            }

            rows.Add(new ShiftFileRow(f[0], v[0], v[1], v[2], v[3], v[4], v[5]));
        }

        return rows;
    }

    /// <summary>Python's <c>'%0.6f'</c>: 6 decimals, <c>nan</c>/<c>inf</c>/<c>-inf</c> for non-finite values.</summary>
    private static string F(double v) =>
        double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : v.ToString("F6", CultureInfo.InvariantCulture);
}
