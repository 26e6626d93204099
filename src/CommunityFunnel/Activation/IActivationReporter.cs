using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>
/// The activation rate and funnel as a service: queries pre-filled from the host's options, and the calculators.
/// Registered by <c>AddCommunityFunnel</c>; a host may replace it with <c>UseActivationReporter</c>.
/// </summary>
public interface IActivationReporter
{
    /// <summary>A query as of <paramref name="asOf"/> with the configured window, zone, rejoin policy and qualifying types.</summary>
    /// <param name="asOf">Events at or after this instant are ignored.</param>
    ActivationQuery CreateQuery(DateTimeOffset asOf);

    /// <summary>A query as of the current time of the host's <see cref="TimeProvider"/>.</summary>
    ActivationQuery CreateQuery();

    /// <summary>A funnel query as of <paramref name="asOf"/> with the configured window, zone, rejoin policy and qualifying types.</summary>
    /// <param name="asOf">Events at or after this instant are ignored.</param>
    FunnelQuery CreateFunnelQuery(DateTimeOffset asOf);

    /// <summary>The activation report of <paramref name="query"/> over <paramref name="events"/> (any order).</summary>
    /// <param name="events">The events.</param>
    /// <param name="query">What to compute.</param>
    ActivationReport Calculate(IEnumerable<CommunityEvent> events, ActivationQuery query);

    /// <summary>The funnel report of <paramref name="query"/> over <paramref name="events"/> (any order).</summary>
    /// <param name="events">The events.</param>
    /// <param name="query">What to compute.</param>
    FunnelReport CalculateFunnel(IEnumerable<CommunityEvent> events, FunnelQuery query);

    /// <summary>A new streaming calculator with the configured window, rejoin policy and qualifying types.</summary>
    StreamingActivationCalculator CreateStreaming();
}
