using CommunityFunnel.Events;

namespace CommunityFunnel.Platforms.Tests;

/// <summary>Mapped events through the event log and back, as a host keeps them: the re-delivery tests' common step.</summary>
internal static class EventLogRoundTrip
{
    /// <summary>The events as event-log/v1 JSON Lines.</summary>
    public static byte[] Log(IEnumerable<CommunityEvent> events)
    {
        using var stream = new MemoryStream();
        using (var writer = new EventLogWriter(stream, leaveOpen: true))
        {
            foreach (var e in events)
            {
                writer.Write(e);
            }
        }

        return stream.ToArray();
    }

    /// <summary>The log read back with the reader's dedupe; <paramref name="duplicates"/> is how many lines it dropped.</summary>
    public static List<CommunityEvent> Read(byte[] log, out long duplicates)
    {
        var reader = new EventLogReader();
        var events = reader.Read(new MemoryStream(log)).ToList();
        duplicates = reader.Statistics.Duplicates;
        return events;
    }
}
