using System.Globalization;

namespace TweakDrizzle.Cli;

/// <summary>
/// A one-line progress bar on standard error for the long steps (<c>step [#####.....]  45%</c>), redrawn in place.
/// Log lines written through <see cref="WriteLine"/> go above it. When standard error is not a terminal (a pipe or a
/// file, as in CI), nothing is drawn: the log lines alone record the progress.
/// </summary>
internal sealed class ConsoleProgress : IProgress<(string Step, double Fraction)>
{
    private const int BarWidth = 30;
    private readonly TextWriter _writer;
    private readonly bool _live;
    private readonly Lock _lock = new();
    private string _step = string.Empty;
    private int _percent = -1;
    private int _shownLength;

    public ConsoleProgress(TextWriter writer, bool live)
    {
        _writer = writer;
        _live = live;
    }

    /// <summary>A bar on the process's standard error, drawn only when it is a terminal and <paramref name="quiet"/> is false.</summary>
    public static ConsoleProgress ForStandardError(bool quiet) => new(Console.Error, !quiet && !Console.IsErrorRedirected);

    public void Report((string Step, double Fraction) value)
    {
        if (!_live)
        {
            return;
        }

        int percent = (int)Math.Clamp(Math.Floor(value.Fraction * 100), 0, 100);
        lock (_lock)
        {
            if (value.Step == _step && percent == _percent)
            {
                return;
            }

            _step = value.Step;
            _percent = percent;
            Draw();
        }
    }

    /// <summary>Writes a log line above the bar (or just the line when no bar is drawn).</summary>
    public void WriteLine(string line)
    {
        lock (_lock)
        {
            Clear();
            _writer.WriteLine(line);
            if (_live && _percent >= 0)
            {
                Draw();
            }
        }
    }

    /// <summary>Removes the bar (at the end of the command).</summary>
    public void Finish()
    {
        lock (_lock)
        {
            Clear();
            _percent = -1;
        }
    }

    private void Draw()
    {
        int filled = _percent * BarWidth / 100;
        string text = string.Create(CultureInfo.InvariantCulture,
            $"{_step,-16} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {_percent,3}%");
        _writer.Write("\r" + text);
        _writer.Flush();
        _shownLength = text.Length;
    }

    private void Clear()
    {
        if (_shownLength > 0)
        {
            _writer.Write("\r" + new string(' ', _shownLength) + "\r");
            _shownLength = 0;
        }
    }
}
