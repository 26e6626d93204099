using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>
/// The online activation projection's store (docs/activation-rate.md, "Online projection"): one row per join with
/// its outcome as far as known, kept as events arrive, so that the activation report as of any instant is a query
/// over join rows instead of a re-read of the event log. Its reports equal <see cref="ActivationCalculator"/> over
/// the events applied. The rows are kept for one activation window and one set of qualifying types (the host's
/// <see cref="CommunityFunnelOptions.ActivationWindow"/> and <see cref="ActivationOptions.QualifyingTypes"/>); a
/// report may ask for either rejoin policy, any cohort range, breakdown and time zone.
/// <c>UseInMemoryStores()</c>, <c>UseSqliteStores(..)</c> and <c>UsePostgreSqlStores(..)</c> register one.
/// </summary>
public interface IActivationStore
{
    /// <summary>
    /// Applies one event, in any order (late events included, as event-log/v1 allows). Idempotent: an event whose
    /// id was applied before changes nothing but the duplicate count. Atomic: of two concurrent calls with the same
    /// id (in one process or in two sharing the store), exactly one returns <see langword="true"/>.
    /// </summary>
    /// <param name="communityEvent">The event; types that are neither joins nor qualifying only have their id kept.</param>
    /// <param name="cancellationToken">Cancels the call (nothing is applied then).</param>
    /// <returns><see langword="true"/> if the event was new; <see langword="false"/> if its id was applied before.</returns>
    Task<bool> ApplyAsync(CommunityEvent communityEvent, CancellationToken cancellationToken);

    /// <summary>
    /// The activation report of <paramref name="query"/> from the join rows before its <c>AsOf</c>: the numbers
    /// <see cref="ActivationCalculator.Calculate"/> gives over the events applied (<see cref="ActivationReport.Duplicates"/>:
    /// the duplicate ids this store was given).
    /// </summary>
    /// <param name="query">What to report; its window and qualifying types must be the store's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">The query is invalid, or asks for another window or other qualifying types.</exception>
    Task<ActivationReport> GetReportAsync(ActivationQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// The funnel report of <paramref name="query"/> (attracted → joined → activated → converted) from the same join
    /// rows and the invite views kept: the numbers <see cref="FunnelCalculator.Calculate"/> gives over the events applied.
    /// </summary>
    /// <param name="query">What to report; its window and qualifying types must be the store's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">The query is invalid, or asks for another window or other qualifying types.</exception>
    Task<FunnelReport> GetFunnelReportAsync(FunnelQuery query, CancellationToken cancellationToken);
}
