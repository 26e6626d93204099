using CommunityFunnel.Events;
using CommunityFunnel.Members;

namespace CommunityFunnel.Rewards;

/// <summary>
/// Applies the reward rules to events as they come and writes grants to the <see cref="IRewardLedger"/>. A host's
/// ledger and <see cref="IMemberDirectory"/> are awaited on the caller's flow, one call at a time, in order;
/// the engine never calls them from a thread it started.
/// </summary>
public interface IRewardEngine
{
    /// <summary>
    /// Processes one event: updates the member's task state and appends the grants (and reversals) it triggers.
    /// Safe to call from several threads (calls are taken one at a time); the same event twice never grants twice.
    /// When the ledger or directory fails, or the call is cancelled, the event is undone in the engine (the grants
    /// already appended stay, and processing the event again adds the rest).
    /// </summary>
    /// <param name="communityEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many ledger entries (grants and reversals) the event appended.</returns>
    Task<int> ProcessAsync(CommunityEvent communityEvent, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="ProcessAsync(CommunityEvent, CancellationToken)"/>, then awaits <paramref name="granted"/> with every
    /// grant of this event the ledger holds: the ones appended now, and the ones an earlier processing of the same
    /// event appended (the ledger answered that the key is there). Grants the ledger refused (budget, limit) and
    /// reversals are left out; it is called with an empty list when there are none. When <paramref name="granted"/>
    /// throws, the event is undone in the engine as when the ledger fails, so processing it again hands over the same
    /// grants again (the hosted runtime's grant notices rely on it). Awaited on the caller's flow.
    /// </summary>
    /// <param name="communityEvent">The event.</param>
    /// <param name="granted">Gets the event's grants, in the order the rules fired.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many ledger entries (grants and reversals) the event appended.</returns>
    /// <exception cref="NotSupportedException">The engine is a host's own that predates this overload.</exception>
    Task<int> ProcessWithGrantsAsync(CommunityEvent communityEvent, Func<IReadOnlyList<RewardLedgerEntry>, CancellationToken, Task> granted, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} does not report the grants of an event: grant notices need IRewardEngine.ProcessWithGrantsAsync");

    /// <summary>
    /// Processes <paramref name="events"/> in order, with the same grants, reversals, statistics and ledger (contents
    /// and order) as one <see cref="ProcessAsync"/> call per event, holding the engine for the whole batch. With the
    /// library's in-memory ledger and directory (which call no host code) a batch of 4 096 events or more runs them
    /// on a second thread behind the rules, strictly in order. A failure or cancellation stops the batch at an event:
    /// the events before it are processed, it and the later ones are not (process them again).
    /// </summary>
    /// <param name="events">The events, none of them null (checked before any is processed).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many ledger entries (grants and reversals) the batch appended.</returns>
    Task<int> ProcessBatchAsync(IReadOnlyList<CommunityEvent> events, CancellationToken cancellationToken = default);

    /// <summary>What the engine has done so far.</summary>
    RewardStatistics Statistics { get; }
}
