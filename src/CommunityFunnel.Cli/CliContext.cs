namespace CommunityFunnel.Cli;

/// <summary>Where a command writes: standard output for data, standard error for errors and progress.</summary>
internal sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, bool progressOnTerminal = false)
    {
        Out = output;
        Err = error;
        ShowProgress = progressOnTerminal;
    }

    public TextWriter Out { get; }

    public TextWriter Err { get; }

    /// <summary>Whether to draw a progress bar: only when standard error is a terminal.</summary>
    public bool ShowProgress { get; }

    public static CliContext FromConsole() =>
        new(Console.Out, Console.Error, progressOnTerminal: !Console.IsErrorRedirected);

    /// <summary>A progress bar over a stream's length on standard error, or nothing when it is not a terminal.</summary>
    public ProgressBar Progress(string label, Func<long> position, long total) =>
        new(ShowProgress ? Err : null, label, position, total);
}
