namespace CommunityFunnel.Events;

/// <summary>
/// The durable record of the events a host received: every event once, deduplicated by its id by the store itself
/// (a unique key), readable back by time. The hosted runtime (CommunityFunnel.Hosting's <c>IEventIntake</c>) appends to
/// it before it applies an event. <c>UseInMemoryStores()</c>, <c>UseSqliteStores(..)</c> and <c>UsePostgreSqlStores(..)</c> register one.
/// </summary>
public interface IEventLogStore
{
    /// <summary>
    /// Appends <paramref name="communityEvent"/> unless an event with the same id is stored already. Atomic: of two
    /// concurrent calls with the same id (in one process or in two sharing the store), exactly one returns <c>true</c>.
    /// </summary>
    /// <param name="communityEvent">The event to store.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><c>true</c> if it was appended; <c>false</c> if its id was stored before.</returns>
    Task<bool> TryAppendAsync(CommunityEvent communityEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Streams the stored events whose time is in [<paramref name="from"/>, <paramref name="to"/>), ordered by time,
    /// then by the order they were appended. Memory does not grow with the range.
    /// </summary>
    /// <param name="from">The first instant included.</param>
    /// <param name="to">The first instant excluded.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The events.</returns>
    IAsyncEnumerable<CommunityEvent> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>The distinct groups of the stored events, in ordinal order (the scheduler's catch-up at start uses it).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The groups.</returns>
    Task<IReadOnlyList<string>> ListGroupsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="TryAppendAsync(CommunityEvent, CancellationToken)"/>, and in the same write marks the new event
    /// as not applied yet, appended at <paramref name="appendedAt"/>, until <see cref="MarkAppliedAsync"/>. The hosted
    /// runtime's intake appends this way, so an event stored by an instance that crashed before applying it is found by
    /// <see cref="ListUnappliedAsync"/> and applied by another. Stores that keep no such mark (the default
    /// implementation) append as the other overload does.
    /// </summary>
    /// <param name="communityEvent">The event to store.</param>
    /// <param name="appendedAt">Now, on the appending host's clock.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><c>true</c> if it was appended; <c>false</c> if its id was stored before (its mark is left as it is).</returns>
    Task<bool> TryAppendAsync(CommunityEvent communityEvent, DateTimeOffset appendedAt, CancellationToken cancellationToken) =>
        TryAppendAsync(communityEvent, cancellationToken);

    /// <summary>Clears the "not applied yet" mark of a stored event (nothing happens when it has none).</summary>
    /// <param name="eventId">The event's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the mark is cleared.</returns>
    Task MarkAppliedAsync(string eventId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Up to <paramref name="max"/> stored events still marked not applied that were appended before
    /// <paramref name="appendedBefore"/>, ordered by event time, then by the order they were appended. Empty for stores
    /// that keep no mark (the default implementation).
    /// </summary>
    /// <param name="appendedBefore">Only events appended before this instant.</param>
    /// <param name="max">At most this many (at least 1).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The events.</returns>
    Task<IReadOnlyList<CommunityEvent>> ListUnappliedAsync(DateTimeOffset appendedBefore, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CommunityEvent>>([]);
}
