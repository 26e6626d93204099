namespace CommunityFunnel.Lottery;

/// <summary>
/// Runs draws through their lifecycle: create (seed generated, commitment published) → open (entries) → closed
/// (entries frozen, root published) → public entropy supplied → drawn (proof) → forfeits with replacement draws.
/// A call made in the wrong state throws <see cref="DrawLifecycleException"/> naming the state and what is allowed.
/// </summary>
public interface IDrawService
{
    /// <summary>
    /// Creates a draw: generates its server seed, stores it secretly, publishes the commitment. With a drand source
    /// (<c>UseDrandEntropy</c>) the draw must close at a time; it names its round now and the commitment binds it.
    /// </summary>
    /// <param name="definition">The draw's id, tiers, schedule and entry rules.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new record (state <see cref="DrawState.Created"/>, with the commitment).</returns>
    Task<DrawRecord> CreateAsync(DrawDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Opens a created draw for entries.</summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated record.</returns>
    Task<DrawRecord> OpenAsync(string drawId, CancellationToken cancellationToken = default);

    /// <summary>Adds an entry with its first tickets; closes the draw when its entry-count schedule is reached.</summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="entryId">The entry's id.</param>
    /// <param name="tickets">Its tickets, at least 1.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry count and the entry's tickets.</returns>
    Task<EntryChangeResult> EnterAsync(string drawId, string entryId, long tickets = 1, CancellationToken cancellationToken = default);

    /// <summary>Gives an entry more tickets while the draw is open.</summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="entryId">The entry's id.</param>
    /// <param name="tickets">Tickets added, at least 1.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry count and the entry's tickets.</returns>
    Task<EntryChangeResult> AddTicketsAsync(string drawId, string entryId, long tickets, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets an entry's tickets while the draw is open, if it holds <paramref name="expected"/> now: entered when absent,
    /// withdrawn at 0. Two callers working from the same reading change it once; the one that lost gets
    /// <see cref="EntryChangeOutcome.Changed"/> (not an exception) and reads again. Closes the draw when its entry-count
    /// schedule is reached.
    /// </summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="entryId">The entry's id.</param>
    /// <param name="tickets">The tickets afterwards, at least 0.</param>
    /// <param name="expected">The tickets it must hold now (0: not entered).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome (<see cref="EntryChangeOutcome.Applied"/> or <see cref="EntryChangeOutcome.Changed"/>), the entry count and the entry's tickets.</returns>
    /// <exception cref="NotSupportedException">A host's own draw service that predates it.</exception>
    Task<EntryChangeResult> SetTicketsAsync(string drawId, string entryId, long tickets, long expected, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} does not implement IDrawService.SetTicketsAsync");

    /// <summary>Withdraws an entry while the draw is open.</summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="entryId">The entry's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry count afterwards.</returns>
    Task<EntryChangeResult> WithdrawAsync(string drawId, string entryId, CancellationToken cancellationToken = default);

    /// <summary>Closes the entries and publishes their root.</summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record with <see cref="DrawRecord.EntriesRoot"/>.</returns>
    Task<DrawRecord> CloseAsync(string drawId, CancellationToken cancellationToken = default);

    /// <summary>Supplies the public entropy (0 to 4096 bytes) of a closed draw.</summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="publicEntropy">The entropy, fixed after the close.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated record.</returns>
    Task<DrawRecord> SupplyEntropyAsync(string drawId, ReadOnlyMemory<byte> publicEntropy, CancellationToken cancellationToken = default);

    /// <summary>
    /// Fetches the public entropy of a closed draw from the registered <see cref="IPublicEntropySource"/>. A draw
    /// that named a drand round at creation (<see cref="DrawRecord.DrandRound"/>) fetches exactly that round.
    /// </summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated record.</returns>
    /// <exception cref="PublicEntropyNotYetException">The named drand round is not published yet; ask again at its time.</exception>
    /// <exception cref="DrawLifecycleException">The draw is not closed, or it closed after its named round was published (it cannot be drawn).</exception>
    Task<DrawRecord> FetchEntropyAsync(string drawId, CancellationToken cancellationToken = default);

    /// <summary>Draws the winners: reveals the seed and stores the proof. A draw has exactly one result.</summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The proof.</returns>
    Task<DrawProof> DrawAsync(string drawId, CancellationToken cancellationToken = default);

    /// <summary>Forfeits a current winner and draws the replacement, continuing the same stream (spec section 7).</summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="entryId">The winner who lost the prize.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The replacement (its entry is <see langword="null"/> when no entry was left).</returns>
    Task<DrawWinner> ForfeitAsync(string drawId, string entryId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies the schedule: closes when due, fetches entropy when a source is registered, then draws. Before a named
    /// drand round is published it stops at <see cref="DrawState.Closed"/> (not yet): call it again later.
    /// </summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record afterwards.</returns>
    Task<DrawRecord> AdvanceAsync(string drawId, CancellationToken cancellationToken = default);

    /// <summary>The draw's record, or <see langword="null"/>.</summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record.</returns>
    Task<DrawRecord?> GetAsync(string drawId, CancellationToken cancellationToken = default);
}
