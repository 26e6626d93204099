using CommunityFunnel.Events;
using CommunityFunnel.Simulation;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// The replay benchmarks' data: the simulator's month in the order its JSON Lines file has it (arrival order: by
/// time apart from about 1% late lines and 0.2% repeated ids), the day after the month as the as-of instant, and
/// the example files in docs/examples.
/// </summary>
internal static class ReplayBenchmarkData
{
    /// <summary>The day after the simulated month (the simulator starts on 2026-11-01 in Asia/Shanghai, 30 days).</summary>
    public static readonly DateTimeOffset AsOf = new(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>
    /// The sizes the replay benchmarks run at: 1M events by default; <c>CF_REPLAY_EVENTS=1000000,10000000</c> in the
    /// environment adds 10M (BenchmarkDotNet's child processes inherit it).
    /// </summary>
    public static IEnumerable<int> Sizes()
    {
        var text = Environment.GetEnvironmentVariable("CF_REPLAY_EVENTS");
        if (string.IsNullOrWhiteSpace(text))
        {
            return [1_000_000];
        }

        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
    }

    /// <summary>
    /// Exactly <paramref name="count"/> events of a simulated month of <c>count / 13</c> members (the simulator gives
    /// about 13.3 lines a member a month, invitation views included), in arrival order: the file's order, late lines
    /// and repeated ids included, so the replays have to order and deduplicate as they do on a real export.
    /// </summary>
    public static CommunityEvent[] ArrivalOrder(int count, int seed)
    {
        var options = new SimulationOptions { Members = Math.Max(1, count / 13), Days = 30, Seed = (ulong)seed };
        var events = CommunitySimulator.Generate(options).Take(count).ToArray();
        if (events.Length != count)
        {
            throw new InvalidOperationException($"The simulation gave {events.Length} events, not {count}.");
        }

        return events;
    }

    /// <summary>
    /// What the replays feed their engines: the events before <paramref name="asOf"/>, the first of each id, sorted by
    /// (instant, id ordinal); the naive way, everything in one list (memory O(events)).
    /// </summary>
    public static List<CommunityEvent> FilterDedupeSort(IEnumerable<CommunityEvent> events, DateTimeOffset asOf) =>
        FilterDedupeSort(events, asOf, out _);

    /// <summary>As <see cref="FilterDedupeSort(IEnumerable{CommunityEvent}, DateTimeOffset)"/>, counting the repeated ids left out.</summary>
    public static List<CommunityEvent> FilterDedupeSort(IEnumerable<CommunityEvent> events, DateTimeOffset asOf, out long duplicates)
    {
        duplicates = 0;
        var limit = asOf.UtcTicks;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<CommunityEvent>();
        foreach (var e in events)
        {
            if (e.AtUtcTicks >= limit)
            {
                continue;
            }

            if (seen.Add(e.Id))
            {
                list.Add(e);
            }
            else
            {
                duplicates++;
            }
        }

        // (instant, id) is unique once ids are: the unstable sort gives the stable sort's order.
        list.Sort(static (a, b) => a.AtUtcTicks != b.AtUtcTicks ? a.AtUtcTicks.CompareTo(b.AtUtcTicks) : string.CompareOrdinal(a.Id, b.Id));
        return list;
    }

    /// <summary>A file of the repository (found by walking up from the program to CommunityFunnel.sln).</summary>
    public static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CommunityFunnel.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new FileNotFoundException($"CommunityFunnel.sln not found above {AppContext.BaseDirectory}: run the benchmarks from the repository.");
    }
}
