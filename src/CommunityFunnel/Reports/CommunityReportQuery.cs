using CommunityFunnel.Events;

namespace CommunityFunnel.Reports;

/// <summary>The parameters of a <see cref="CommunityReport"/>: the cohort views operators read (docs/reports.md).</summary>
public sealed record CommunityReportQuery
{
    /// <summary>Creates a query for the state known at <paramref name="asOf"/>, every other parameter at its default.</summary>
    /// <param name="asOf">Events at or after this instant are ignored.</param>
    public CommunityReportQuery(DateTimeOffset asOf) => AsOf = asOf;

    /// <summary>Events whose <c>at</c> is not before this instant are ignored.</summary>
    public DateTimeOffset AsOf { get; init; }

    /// <summary>The IANA time zone whose calendar weeks (Monday first), days and hours the views use. Default <c>Asia/Shanghai</c>.</summary>
    public string TimeZoneId { get; init; } = "Asia/Shanghai";

    /// <summary>The event types that make a member active in a week. Default <see cref="QualifyingActivity.DefaultTypes"/>.</summary>
    public IReadOnlyCollection<EventType> ActivityTypes { get; init; } = QualifyingActivity.DefaultTypes;

    /// <summary>How many weeks after the join week the retention matrix reaches. Default 12.</summary>
    public int MaxWeeksLater { get; init; } = 12;

    /// <summary>How many inviters <see cref="CommunityReport.TopInviters"/> lists. Default 10.</summary>
    public int TopInviters { get; init; } = 10;

    /// <summary>Checks every field.</summary>
    /// <exception cref="ArgumentException">A field is invalid; the message names every one.</exception>
    public void Validate()
    {
        var failures = new List<string>();
        if (AsOf < CommunityEvent.MinAt || AsOf > CommunityEvent.MaxAt)
        {
            failures.Add($"{nameof(AsOf)} must be from {CommunityEvent.MinAt:O} to {CommunityEvent.MaxAt:O}.");
        }

        if (!TimeZones.TryFind(TimeZoneId ?? string.Empty, out _))
        {
            failures.Add($"{nameof(TimeZoneId)} '{TimeZoneId}' is not an IANA time zone known to this machine.");
        }

        if (ActivityTypes is null || ActivityTypes.Count == 0)
        {
            failures.Add($"{nameof(ActivityTypes)} must name at least one event type.");
        }
        else
        {
            foreach (var type in ActivityTypes)
            {
                if (!Enum.IsDefined(type) || type is EventType.InviteViewed or EventType.Joined or EventType.Left or EventType.Removed)
                {
                    failures.Add($"{nameof(ActivityTypes)} holds {type}, which is not a member's activity.");
                }
            }
        }

        if (MaxWeeksLater is < 0 or > 520)
        {
            failures.Add($"{nameof(MaxWeeksLater)} must be from 0 to 520; it is {MaxWeeksLater}.");
        }

        if (TopInviters is < 0 or > 10_000)
        {
            failures.Add($"{nameof(TopInviters)} must be from 0 to 10000; it is {TopInviters}.");
        }

        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid community report query: " + string.Join(" ", failures));
        }
    }
}
