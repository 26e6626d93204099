using CommunityFunnel.Events;

namespace CommunityFunnel.Cli;

/// <summary>Reads an event log file for a command, with a progress bar on a terminal.</summary>
internal static class CliEventLog
{
    /// <summary>
    /// Streams the events of <paramref name="path"/>; <paramref name="reader"/>'s statistics count duplicates.
    /// A bad line throws <see cref="EventLogException"/> (exit code 2 with its line number). With
    /// <paramref name="ignoreDuplicates"/> false the reader passes duplicate ids on, for a caller that drops them itself.
    /// </summary>
    public static IEnumerable<CommunityEvent> Read(string path, CliContext context, out EventLogReader reader, bool ignoreDuplicates = true)
    {
        if (!File.Exists(path))
        {
            throw new CliUsageException($"--events: no such file '{path}'");
        }

        reader = new EventLogReader(new EventLogReaderOptions { IgnoreDuplicates = ignoreDuplicates });
        return new EstimatedEvents(ReadCore(path, context, reader), EstimatedEvents.LinesIn(new FileInfo(path).Length));
    }

    private static IEnumerable<CommunityEvent> ReadCore(string path, CliContext context, EventLogReader reader)
    {
        var length = new FileInfo(path).Length;
        using var progress = context.Progress("reading " + Path.GetFileName(path), () => reader.Statistics.BytesRead, length);
        var n = 0;
        foreach (var e in reader.ReadFileEvents(path))
        {
            if ((++n & 0x3FFF) == 0)
            {
                progress.Tick();
            }

            yield return e;
        }
    }
}
