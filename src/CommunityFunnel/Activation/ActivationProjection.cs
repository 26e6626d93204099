using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>The default <see cref="IActivationProjection"/>: the host's queries over its <see cref="IActivationStore"/>.</summary>
internal sealed class ActivationProjection(IActivationStore store, IActivationReporter reporter) : IActivationProjection
{
    public Task<bool> ApplyAsync(CommunityEvent communityEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        return store.ApplyAsync(communityEvent, cancellationToken);
    }

    public Task<ActivationReport> GetActivationReportAsync(DateTimeOffset asOf, ActivationBreakdownBy by, CancellationToken cancellationToken) =>
        store.GetReportAsync(reporter.CreateQuery(asOf) with { BreakdownBy = by }, cancellationToken);

    public Task<ActivationReport> GetActivationReportAsync(ActivationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return store.GetReportAsync(query, cancellationToken);
    }

    public Task<FunnelReport> GetFunnelReportAsync(DateTimeOffset asOf, ActivationBreakdownBy by, CancellationToken cancellationToken) =>
        store.GetFunnelReportAsync(reporter.CreateFunnelQuery(asOf) with { By = by }, cancellationToken);

    public Task<FunnelReport> GetFunnelReportAsync(FunnelQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return store.GetFunnelReportAsync(query, cancellationToken);
    }
}
