using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>The parameters of a funnel report: attracted → joined → activated within <c>W</c> → converted (first order).</summary>
public sealed record FunnelQuery
{
    /// <summary>Creates a query for the state known at <paramref name="asOf"/>, by channel, with every other parameter at its default.</summary>
    /// <param name="asOf">Events at or after this instant are ignored.</param>
    public FunnelQuery(DateTimeOffset asOf) => AsOf = asOf;

    /// <summary>Events whose <c>at</c> is not before this instant are ignored.</summary>
    public DateTimeOffset AsOf { get; init; }

    /// <summary>The activation window <c>W</c>. Default 24 hours.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The rows: <see cref="ActivationBreakdownBy.Channel"/> (default) or <see cref="ActivationBreakdownBy.Group"/>.</summary>
    public ActivationBreakdownBy By { get; init; } = ActivationBreakdownBy.Channel;

    /// <summary>Which <c>joined</c> events count as joins. Default <see cref="RejoinPolicy.First"/>.</summary>
    public RejoinPolicy Rejoin { get; init; } = RejoinPolicy.First;

    /// <summary>The qualifying types <c>Q</c>. Default <see cref="QualifyingActivity.DefaultTypes"/>.</summary>
    public IReadOnlyCollection<EventType> QualifyingTypes { get; init; } = QualifyingActivity.DefaultTypes;

    /// <summary>The inclusive start of the cohort range on join time, or <see langword="null"/>.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>The exclusive end of the cohort range on join time, or <see langword="null"/>.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>The IANA time zone of the per-day cohort rows. Default <c>Asia/Shanghai</c>.</summary>
    public string TimeZoneId { get; init; } = "Asia/Shanghai";

    /// <summary>
    /// People the host saw scan or visit, by row key (channel or group id), when it has such numbers. A row
    /// without one counts its attracted people as its joined members.
    /// </summary>
    public IReadOnlyDictionary<string, long>? Attracted { get; init; }

    /// <summary>The activation query with the same window, cohort, policy, types and zone.</summary>
    /// <exception cref="ArgumentException">A field is invalid; the message names every one.</exception>
    public ActivationQuery ToActivationQuery()
    {
        var query = new ActivationQuery(AsOf)
        {
            Window = Window,
            Rejoin = Rejoin,
            QualifyingTypes = QualifyingTypes,
            From = From,
            To = To,
            TimeZoneId = TimeZoneId,
            BreakdownBy = By,
        };
        query.Validate();
        if (By is not (ActivationBreakdownBy.Channel or ActivationBreakdownBy.Group))
        {
            throw new ArgumentException($"Invalid funnel query: {nameof(By)} must be Channel or Group; it is {By}.");
        }

        if (Attracted?.FirstOrDefault(a => a.Value < 0) is { Key: { } key } bad)
        {
            throw new ArgumentException($"Invalid funnel query: {nameof(Attracted)}['{key}'] is {bad.Value}; counts must not be negative.");
        }

        return query;
    }
}
