using System.Runtime.InteropServices;
using CommunityFunnel.Events;
using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Rewards;

/// <summary>
/// Replays an event log through reward rules in event-time order: the same events, in any order of arrival and any
/// number of times, give the same ledger.
/// </summary>
public static class RewardReplay
{
    /// <summary>
    /// Replays <paramref name="events"/> as known at <paramref name="asOf"/>: events at or after it are left out,
    /// a repeated event id counts once (the first seen), and the rest are processed sorted by (instant, id ordinal).
    /// </summary>
    /// <param name="events">The events, in any order.</param>
    /// <param name="rules">The rules and budgets.</param>
    /// <param name="asOf">Only events before this instant are replayed.</param>
    /// <param name="timeZoneId">The community's IANA time zone; default <see cref="RewardRuleSet.TimeZone"/>, else <c>Asia/Shanghai</c>.</param>
    /// <param name="ledger">The ledger to write to; default a new in-memory ledger. Replaying into a ledger that already holds the grants adds nothing.</param>
    /// <param name="directory">Member facts; default learned from the replayed membership events.</param>
    public static RewardReplayResult Run(
        IEnumerable<CommunityEvent> events,
        RewardRuleSet rules,
        DateTimeOffset asOf,
        string? timeZoneId = null,
        IRewardLedger? ledger = null,
        IRewardMemberDirectory? directory = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(rules);
        var zone = TimeZones.Find(timeZoneId ?? rules.TimeZone ?? "Asia/Shanghai", nameof(timeZoneId));
        ledger ??= new InMemoryRewardLedger();
        var engine = new RewardEngine(rules, zone, ledger, directory ?? new EventRewardMemberDirectory());
        var seen = new FingerprintSet(); // as the event log reader: keyed 128-bit fingerprints of the ids
        var ordered = new List<CommunityEvent>();
        long duplicates = 0;
        var limit = asOf.UtcTicks;
        foreach (var e in events)
        {
            if (e.AtUtcTicks >= limit)
            {
                continue;
            }

            if (!seen.Add(e.Id))
            {
                duplicates++;
                continue;
            }

            ordered.Add(e);
        }

        ordered.Sort(static (a, b) => a.AtUtcTicks != b.AtUtcTicks ? a.AtUtcTicks.CompareTo(b.AtUtcTicks) : string.CompareOrdinal(a.Id, b.Id));
        engine.ProcessBatch(CollectionsMarshal.AsSpan(ordered));

        return new RewardReplayResult(rules, ledger, engine.Statistics, duplicates);
    }
}
