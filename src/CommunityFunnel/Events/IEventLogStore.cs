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
}
