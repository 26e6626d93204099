using System.Text.Json.Serialization;

namespace CommunityFunnel.Activation;

/// <summary>How the joins of an activation report are grouped into breakdown rows (event-log/v1, rule 7).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ActivationBreakdownBy>))]
public enum ActivationBreakdownBy
{
    /// <summary>No breakdown: totals only.</summary>
    None,

    /// <summary>By the <c>channel</c> of the join; a join without one is keyed <c>(none)</c>.</summary>
    Channel,

    /// <summary>By the group id.</summary>
    Group,

    /// <summary>By the calendar day of the join time in the query's time zone, keyed <c>yyyy-MM-dd</c>.</summary>
    Day,
}
