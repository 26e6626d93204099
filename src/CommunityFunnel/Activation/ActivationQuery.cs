using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>
/// The parameters of an activation report (event-log/v1, "The 24-hour activation rate"): what was known at
/// <see cref="AsOf"/>, for joins in <c>[From, To)</c>, with window <see cref="Window"/>.
/// </summary>
public sealed record ActivationQuery
{
    /// <summary>Creates a query for the state known at <paramref name="asOf"/>, with every other parameter at its default.</summary>
    /// <param name="asOf">Events at or after this instant are ignored (rule 1).</param>
    public ActivationQuery(DateTimeOffset asOf) => AsOf = asOf;

    /// <summary>Events whose <c>at</c> is not before this instant are ignored (rule 1).</summary>
    public DateTimeOffset AsOf { get; init; }

    /// <summary>The activation window <c>W</c>: a join is activated by a qualifying event in <c>[joinAt, joinAt + W)</c>. Default 24 hours; must be positive.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The inclusive start of the cohort range on join time, or <see langword="null"/> for no lower bound.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>The exclusive end of the cohort range on join time, or <see langword="null"/> for no upper bound.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Which <c>joined</c> events count as joins. Default <see cref="RejoinPolicy.First"/>.</summary>
    public RejoinPolicy Rejoin { get; init; } = RejoinPolicy.First;

    /// <summary>The qualifying types <c>Q</c>. Default <see cref="QualifyingActivity.DefaultTypes"/>; must not be empty.</summary>
    public IReadOnlyCollection<EventType> QualifyingTypes { get; init; } = QualifyingActivity.DefaultTypes;

    /// <summary>How joins are grouped into breakdown rows. Default <see cref="ActivationBreakdownBy.None"/>.</summary>
    public ActivationBreakdownBy BreakdownBy { get; init; } = ActivationBreakdownBy.None;

    /// <summary>The IANA time zone whose calendar days key a <see cref="ActivationBreakdownBy.Day"/> breakdown. Default <c>Asia/Shanghai</c>.</summary>
    public string TimeZoneId { get; init; } = "Asia/Shanghai";

    /// <summary>Throws an <see cref="ArgumentException"/> naming every bad field of this query.</summary>
    /// <exception cref="ArgumentException">The window is not positive, the cohort range is empty, no qualifying type is given, an enum value is undefined or the time zone is unknown.</exception>
    public void Validate()
    {
        var failures = new List<string>();
        if (Window <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(Window)} must be positive; it is {Window}.");
        }

        if (From is { } f && To is { } t && f >= t)
        {
            failures.Add($"{nameof(From)} ({f:O}) must be before {nameof(To)} ({t:O}).");
        }

        if (QualifyingTypes is null || QualifyingTypes.Count == 0)
        {
            failures.Add($"{nameof(QualifyingTypes)} must name at least one event type.");
        }
        else
        {
            foreach (var type in QualifyingTypes)
            {
                if (!Enum.IsDefined(type))
                {
                    failures.Add($"{nameof(QualifyingTypes)} holds {type}, which is not an event type.");
                }
                else if (type == EventType.InviteViewed)
                {
                    failures.Add($"{nameof(QualifyingTypes)} holds {type}, which is a visitor's view, not a member's activity.");
                }
            }
        }

        if (!Enum.IsDefined(Rejoin))
        {
            failures.Add($"{nameof(Rejoin)} {Rejoin} is not a rejoin policy.");
        }

        if (!Enum.IsDefined(BreakdownBy))
        {
            failures.Add($"{nameof(BreakdownBy)} {BreakdownBy} is not a breakdown.");
        }

        if (string.IsNullOrWhiteSpace(TimeZoneId) || !TimeZones.TryFind(TimeZoneId, out _))
        {
            failures.Add($"{nameof(TimeZoneId)} '{TimeZoneId}' is not an IANA time zone known to this machine.");
        }

        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid activation query: " + string.Join(" ", failures));
        }
    }
}
