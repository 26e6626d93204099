namespace CommunityFunnel.Lottery;

/// <summary>
/// Persists draws and their entries. Every write is conditional so a SQL store can enforce the invariants
/// transactionally: a record is replaced only if its stored version is the expected one (an
/// <c>UPDATE ... WHERE version = @expected</c>), and an entry change is applied only while the draw is
/// <see cref="DrawState.Open"/>, checked in the same transaction as the write (so no entry lands after the close,
/// and a result is stored exactly once). Implementations must be safe for concurrent use.
/// </summary>
public interface IDrawStore
{
    /// <summary>Stores a new draw; false if a draw with that id exists.</summary>
    /// <param name="record">The new record (version 1).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it was stored.</returns>
    Task<bool> TryCreateAsync(DrawRecord record, CancellationToken cancellationToken);

    /// <summary>The draw's current record, or <see langword="null"/>.</summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record.</returns>
    Task<DrawRecord?> FindAsync(string drawId, CancellationToken cancellationToken);

    /// <summary>Replaces the record only if the stored version equals <paramref name="expectedVersion"/>.</summary>
    /// <param name="record">The new record, whose version is <paramref name="expectedVersion"/> + 1.</param>
    /// <param name="expectedVersion">The version the change was based on.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>False when another writer got there first (nothing written).</returns>
    Task<bool> TryUpdateAsync(DrawRecord record, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Applies an entry change atomically, only while the draw is open and within the change's limits.</summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="change">The change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What happened.</returns>
    Task<EntryChangeResult> ApplyEntryChangeAsync(string drawId, DrawEntryChange change, CancellationToken cancellationToken);

    /// <summary>The draw's entries (any order).</summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    Task<IReadOnlyList<DrawEntry>> GetEntriesAsync(string drawId, CancellationToken cancellationToken);
}
