using CommunityFunnel.Events;
using CommunityFunnel.Simulation;

namespace CommunityFunnel.Tests.Simulation;

/// <summary>One simulated month of 6 000 members, generated once and shared by the realism tests.</summary>
public sealed class SimulatedCommunityFixture
{
    public SimulatedCommunityFixture()
    {
        using var stream = new MemoryStream();
        Lines = CommunitySimulator.WriteTo(stream, Options);
        Bytes = stream.ToArray();
        Raw = CommunitySimulator.Generate(Options).ToList();
        var reader = new EventLogReader();
        Events = reader.Read(new MemoryStream(Bytes)).ToList();
        Statistics = reader.Statistics;
        Zone = TimeZoneInfo.FindSystemTimeZoneById(Options.TimeZoneId);
        Start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        End = Start.AddDays(Options.Days);
    }

    public SimulationOptions Options { get; } = new() { Members = 6_000, Days = 30, Seed = 20261101 };

    public long Lines { get; }

    public byte[] Bytes { get; }

    /// <summary>Every event as generated, duplicates included, in output order.</summary>
    public List<CommunityEvent> Raw { get; }

    /// <summary>The log as read back by <see cref="EventLogReader"/> (duplicates ignored).</summary>
    public List<CommunityEvent> Events { get; }

    public EventLogReadStatistics Statistics { get; }

    public TimeZoneInfo Zone { get; }

    public DateTimeOffset Start { get; }

    public DateTimeOffset End { get; }
}
