namespace CommunityFunnel.Lottery;

/// <summary>
/// A due-time index over a draw store: the draws the scheduler must advance now, found without listing every draw. The
/// in-memory, SQLite and PostgreSQL draw stores implement it; the hosted runtime's scheduler advances what it lists on
/// every tick (<see cref="IDrawService.AdvanceAsync"/>, whose conditional writes keep each step single across
/// instances).
/// </summary>
public interface IDrawDueIndex
{
    /// <summary>
    /// Up to <paramref name="max"/> draws due at <paramref name="now"/>: open ones whose scheduled close
    /// (<see cref="DrawSchedule.ClosesAt"/>) is at or before <paramref name="now"/>, earliest first, then the closed ones
    /// not drawn yet (waiting for their entropy, or for the draw itself), oldest close first; ties by draw id (ordinal).
    /// </summary>
    /// <param name="now">Now.</param>
    /// <param name="max">At most this many (at least 1).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The draw ids.</returns>
    Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);
}
