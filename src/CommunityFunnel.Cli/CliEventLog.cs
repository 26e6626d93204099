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

    /// <summary>
    /// The replays' ordering options from <c>--memory-mb N</c> (the memory the ordering may hold events in, MiB) and
    /// <c>--temp-dir DIR</c> (an existing folder for the sorted runs spilled beyond it).
    /// </summary>
    public static EventOrderOptions OrderOptions(CliArguments args)
    {
        var megabytes = args.OptionalInt64("memory-mb", EventOrderOptions.MinMemoryMegabytes, EventOrderOptions.MaxMemoryMegabytes);
        var temp = args.Optional("temp-dir");
        if (temp is not null && (temp.Trim().Length == 0 || !Directory.Exists(temp)))
        {
            throw new CliUsageException($"--temp-dir: no such directory '{temp}'");
        }

        return new EventOrderOptions
        {
            MemoryMegabytes = megabytes is { } mb ? (int)mb : new EventOrderOptions().MemoryMegabytes,
            TempDirectory = temp,
        };
    }

    /// <summary>
    /// Says on standard error how the ordering went when the log had to be read twice or runs were spilled to
    /// temporary files (a log never further out of order than the memory budget prints nothing).
    /// </summary>
    public static void ReportOrdering(CliContext context, string command, EventOrderStatistics s)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (s.Passes > 1)
        {
            context.Err.WriteLine(string.Create(inv,
                $"community-funnel {command}: the log is further out of order than {s.MaxBuffered} events in memory (--memory-mb): it was replayed again from the start, ordered through temporary files"));
        }

        if (s.SpilledRuns == 0)
        {
            return;
        }

        context.Err.WriteLine(string.Create(inv,
            $"community-funnel {command}: ordered {s.Events} events with at most {s.MaxBuffered} in memory: sorted runs: {s.SpilledRuns} ({s.SpilledEvents} events, {s.SpilledBytes / (1 << 20)} MiB) spilled to temporary files and merged, {s.LateEvents} events later than the buffer held"));
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
