using System.Text.Json.Serialization;

namespace CommunityFunnel.Rewards;

/// <summary>A calendar period in the community's time zone.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RewardPeriod>))]
public enum RewardPeriod
{
    /// <summary>A local calendar day.</summary>
    Day,

    /// <summary>An ISO week, Monday to Sunday, in local dates.</summary>
    Week,

    /// <summary>A local calendar month.</summary>
    Month,

    /// <summary>All time.</summary>
    Ever,
}
