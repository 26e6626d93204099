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
    /// and order) as one <see cref="Process"/> call per event, holding the engine for the whole batch. A host's
    /// <see cref="IRewardLedger"/> and <see cref="IRewardMemberDirectory"/> (a durable store, say) are called only
    /// on the caller's thread, in order. With the library's in-memory ledger and directory (and more than one
    /// processor), the default engine runs them for a batch of 4 096 events or more on a second thread behind the
    /// rules (strictly in order, one call at a time, no host code on it), so an exception from them may surface after
    /// the rules have run for later events of the batch.
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
