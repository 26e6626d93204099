using CommunityFunnel.Events;

namespace CommunityFunnel.Rewards;

/// <summary>Applies the reward rules to events as they come and writes grants to the <see cref="IRewardLedger"/>.</summary>
public interface IRewardEngine
{
    /// <summary>
    /// Processes one event: updates the member's task state and appends the grants (and reversals) it triggers.
    /// Safe to call from several threads; the same event twice never grants twice.
    /// </summary>
    /// <returns>How many ledger entries (grants and reversals) the event appended.</returns>
    int Process(CommunityEvent communityEvent);

    /// <summary>
    /// Processes <paramref name="events"/> in order, with the same grants, reversals, statistics and ledger (contents
    /// and order) as one <see cref="Process"/> call per event, holding the engine for the whole batch. The default
    /// engine runs the member directory, eligibility and the ledger of a large batch on a second thread behind the
    /// rules (strictly in order, one call at a time), so an exception from the ledger or the directory may surface
    /// after the rules have run for later events of the batch.
    /// </summary>
    /// <param name="events">The events, none of them null (checked before any is processed).</param>
    /// <returns>How many ledger entries (grants and reversals) the batch appended.</returns>
    int ProcessBatch(ReadOnlySpan<CommunityEvent> events)
    {
        EventBatch.ThrowIfAnyNull(events, nameof(events));
        var appended = 0;
        foreach (var e in events)
        {
            appended += Process(e);
        }

        return appended;
    }

    /// <summary>What the engine has done so far.</summary>
    RewardStatistics Statistics { get; }
}
