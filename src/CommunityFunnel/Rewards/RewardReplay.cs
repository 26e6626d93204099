using System.Runtime.InteropServices;
using CommunityFunnel.Events;
using CommunityFunnel.Fingerprints;
using CommunityFunnel.Members;

namespace CommunityFunnel.Rewards;

/// <summary>
/// Replays an event log through reward rules in event-time order: the same events, in any order of arrival and any
/// number of times, give the same ledger.
/// </summary>
public static class RewardReplay
{
    /// <summary>
    /// Replays <paramref name="events"/> as known at <paramref name="asOf"/> into a new in-memory ledger: events at
    /// or after it are left out, a repeated event id counts once (the first seen), and the rest are processed sorted
    /// by (instant, id ordinal). Member facts are learned from the replayed membership events. Calls no host code.
    /// </summary>
    /// <param name="events">The events, in any order.</param>
    /// <param name="rules">The rules and budgets.</param>
    /// <param name="asOf">Only events before this instant are replayed.</param>
    /// <param name="timeZoneId">The community's IANA time zone; default <see cref="RewardRuleSet.TimeZone"/>, else <c>Asia/Shanghai</c>.</param>
    /// <returns>The ledger and its summaries.</returns>
    public static RewardReplayResult Run(IEnumerable<CommunityEvent> events, RewardRuleSet rules, DateTimeOffset asOf, string? timeZoneId = null)
    {
        var (engine, ordered, duplicates) = Prepare(events, rules, asOf, timeZoneId, null, null);
        engine.ProcessBatch(CollectionsMarshal.AsSpan(ordered));
        return new RewardReplayResult(rules, engine.InMemoryLedger!, engine.Statistics, duplicates);
    }

    /// <summary>
    /// As <see cref="Run"/>, into a host's <paramref name="ledger"/> (replaying into a ledger that already holds the
    /// grants adds nothing), with member facts from <paramref name="directory"/> when given; both awaited on the
    /// caller's flow.
    /// </summary>
    /// <param name="events">The events, in any order.</param>
    /// <param name="rules">The rules and budgets.</param>
    /// <param name="asOf">Only events before this instant are replayed.</param>
    /// <param name="ledger">The ledger to write to.</param>
    /// <param name="directory">Member facts; default learned from the replayed membership events.</param>
    /// <param name="timeZoneId">The community's IANA time zone; default <see cref="RewardRuleSet.TimeZone"/>, else <c>Asia/Shanghai</c>.</param>
    /// <param name="cancellationToken">Cancels the replay between events; replaying again completes it.</param>
    /// <returns>The ledger's entries and their summaries.</returns>
    public static async Task<RewardReplayResult> RunAsync(
        IEnumerable<CommunityEvent> events,
        RewardRuleSet rules,
        DateTimeOffset asOf,
        IRewardLedger ledger,
        IMemberDirectory? directory = null,
        string? timeZoneId = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var (engine, ordered, duplicates) = Prepare(events, rules, asOf, timeZoneId, ledger, directory);
        await engine.ProcessBatchAsync(ordered, cancellationToken).ConfigureAwait(false);
        return await RewardReplayResult.ReadAsync(rules, ledger, engine.Statistics, duplicates, cancellationToken).ConfigureAwait(false);
    }

    private static (RewardEngine Engine, List<CommunityEvent> Ordered, long Duplicates) Prepare(
        IEnumerable<CommunityEvent> events,
        RewardRuleSet rules,
        DateTimeOffset asOf,
        string? timeZoneId,
        IRewardLedger? ledger,
        IMemberDirectory? directory)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(rules);
        var zone = TimeZones.Find(timeZoneId ?? rules.TimeZone ?? "Asia/Shanghai", nameof(timeZoneId));
        var engine = new RewardEngine(rules, zone, ledger ?? new InMemoryRewardLedger(), directory ?? new InMemoryMemberDirectory());
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
        return (engine, ordered, duplicates);
    }
}
