using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>
/// The activation report as a query over the online projection (<see cref="IActivationStore"/>), with the host's
/// window, time zone, rejoin policy and qualifying types (as <see cref="IActivationReporter.CreateQuery(DateTimeOffset)"/>).
/// The hosted runtime's intake applies every new event to it; a host without the runtime calls
/// <see cref="ApplyAsync"/> itself. Registered by <c>AddCommunityFunnel</c>; it needs an <see cref="IActivationStore"/>
/// (<c>UseInMemoryStores()</c>, <c>UseSqliteStores(..)</c>, <c>UsePostgreSqlStores(..)</c> or <c>UseActivationStore&lt;T&gt;()</c>).
/// </summary>
public interface IActivationProjection
{
    /// <summary>Applies one event to the projection (idempotent by event id; any order).</summary>
    /// <param name="communityEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> if it was new; <see langword="false"/> if its id was applied before.</returns>
    Task<bool> ApplyAsync(CommunityEvent communityEvent, CancellationToken cancellationToken);

    /// <summary>The activation report as of <paramref name="asOf"/> with the host's settings, broken down <paramref name="by"/>.</summary>
    /// <param name="asOf">Events at or after this instant are ignored (rule 1).</param>
    /// <param name="by">The breakdown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report, equal to <see cref="ActivationCalculator"/> over the events applied.</returns>
    Task<ActivationReport> GetActivationReportAsync(DateTimeOffset asOf, ActivationBreakdownBy by, CancellationToken cancellationToken);

    /// <summary>The activation report of <paramref name="query"/> (e.g. one from <see cref="IActivationReporter.CreateQuery(DateTimeOffset)"/> with a cohort range).</summary>
    /// <param name="query">What to report; its window and qualifying types must be the host's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">The query is invalid or asks for another window or other qualifying types.</exception>
    Task<ActivationReport> GetActivationReportAsync(ActivationQuery query, CancellationToken cancellationToken);

    /// <summary>The funnel report as of <paramref name="asOf"/> with the host's settings, one row per <paramref name="by"/> key.</summary>
    /// <param name="asOf">Events at or after this instant are ignored.</param>
    /// <param name="by">The rows: <see cref="ActivationBreakdownBy.Channel"/> or <see cref="ActivationBreakdownBy.Group"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report, equal to <see cref="FunnelCalculator"/> over the events applied.</returns>
    /// <exception cref="ArgumentException"><paramref name="by"/> is neither channel nor group.</exception>
    Task<FunnelReport> GetFunnelReportAsync(DateTimeOffset asOf, ActivationBreakdownBy by, CancellationToken cancellationToken);

    /// <summary>The funnel report of <paramref name="query"/> (e.g. one from <see cref="IActivationReporter.CreateFunnelQuery"/>).</summary>
    /// <param name="query">What to report; its window and qualifying types must be the host's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">The query is invalid or asks for another window or other qualifying types.</exception>
    Task<FunnelReport> GetFunnelReportAsync(FunnelQuery query, CancellationToken cancellationToken);
}
