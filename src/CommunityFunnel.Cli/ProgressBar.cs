using System.Globalization;
using System.Diagnostics;

namespace CommunityFunnel.Cli;

/// <summary>
/// A one-line progress bar redrawn on standard error at most ten times a second. Draws nothing when standard
/// error is redirected, so piped and captured output stays clean.
/// </summary>
internal sealed class ProgressBar : IDisposable
{
    private const int Width = 30;
    private readonly TextWriter? _writer;
    private readonly string _label;
    private readonly Func<long> _position;
    private readonly long _total;
    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private bool _drawn;

    public ProgressBar(TextWriter? writer, string label, Func<long> position, long total)
    {
        _writer = writer;
        _label = label;
        _position = position;
        _total = total;
    }

    /// <summary>Call often; redraws only when 100 ms have passed since the last draw.</summary>
    public void Tick()
    {
        if (_writer is null || _sinceDraw.ElapsedMilliseconds < 100)
        {
            return;
        }

        _sinceDraw.Restart();
        Draw(_position());
    }

    public void Dispose()
    {
        if (_writer is null)
        {
            return;
        }

        if (_drawn)
        {
            Draw(_total);
            _writer.WriteLine();
        }
    }

    private void Draw(long position)
    {
        var fraction = _total <= 0 ? 1d : Math.Clamp((double)position / _total, 0d, 1d);
        var filled = (int)(fraction * Width);
        _writer!.Write(string.Create(CultureInfo.InvariantCulture, $"\r{_label} [{new string('#', filled)}{new string('-', Width - filled)}] {fraction,6:P1}"));
        _writer.Flush();
        _drawn = true;
    }
}
