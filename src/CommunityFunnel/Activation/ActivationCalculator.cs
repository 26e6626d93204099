using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>
/// Computes the activation rate of an event sequence in one pass (event-log/v1, "The 24-hour activation rate").
/// Events may come in any order; an event whose id was seen earlier in the sequence is ignored and counted in
/// <see cref="ActivationReport.Duplicates"/>.
/// </summary>
/// <remarks>
/// <see cref="Calculate"/> enumerates the events on the caller's thread. For large inputs it checks part of their
/// ids for duplicates on a thread-pool thread, a chunk ahead of the caller: that thread reads only the ids of events
/// already taken from the sequence and calls no host code.
/// </remarks>
public static class ActivationCalculator
{
    /// <summary>Computes the report of <paramref name="query"/> over <paramref name="events"/>.</summary>
    /// <param name="events">The events, in any order.</param>
    /// <param name="query">What to compute.</param>
    /// <returns>The totals, the rate with its Wilson interval, and the breakdown the query asks for.</returns>
    /// <exception cref="ArgumentException">A field of <paramref name="query"/> is invalid; the message names it.</exception>
    public static ActivationReport Calculate(IEnumerable<CommunityEvent> events, ActivationQuery query)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var engine = new ActivationEngine(query.Window, query.Rejoin, query.QualifyingTypes, compact: true, trackOrders: false, expectedEvents: EstimatedEvents.Of(events));
        // Rule 1 at the door: later events cannot change the report, so they need no state (ids still count as seen).
        engine.AddAll(events, query.AsOf.UtcTicks);
        return ActivationReportBuilder.Build(engine, query);
    }
}
