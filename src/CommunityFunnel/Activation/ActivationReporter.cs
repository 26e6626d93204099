using CommunityFunnel.Events;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Activation;

/// <summary>The default <see cref="IActivationReporter"/>: the in-process calculators with the host's options.</summary>
internal sealed class ActivationReporter(IOptions<CommunityFunnelOptions> shared, IOptions<ActivationOptions> activation, TimeProvider time) : IActivationReporter
{
    public ActivationQuery CreateQuery(DateTimeOffset asOf) => new(asOf)
    {
        Window = shared.Value.ActivationWindow,
        TimeZoneId = shared.Value.TimeZoneId,
        Rejoin = activation.Value.Rejoin,
        QualifyingTypes = [.. activation.Value.QualifyingTypes],
    };

    public ActivationQuery CreateQuery() => CreateQuery(time.GetUtcNow());

    public FunnelQuery CreateFunnelQuery(DateTimeOffset asOf) => new(asOf)
    {
        Window = shared.Value.ActivationWindow,
        TimeZoneId = shared.Value.TimeZoneId,
        Rejoin = activation.Value.Rejoin,
        QualifyingTypes = [.. activation.Value.QualifyingTypes],
    };

    public ActivationReport Calculate(IEnumerable<CommunityEvent> events, ActivationQuery query) => ActivationCalculator.Calculate(events, query);

    public FunnelReport CalculateFunnel(IEnumerable<CommunityEvent> events, FunnelQuery query) => FunnelCalculator.Calculate(events, query);

    public StreamingActivationCalculator CreateStreaming() =>
        new(shared.Value.ActivationWindow, activation.Value.Rejoin, [.. activation.Value.QualifyingTypes]);
}
