using System.Text.Json.Serialization;

namespace CommunityFunnel.Rewards;

/// <summary>The outcome of <see cref="IRewardLedger.TryReverseAsync"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RewardReverseResult>))]
public enum RewardReverseResult
{
    /// <summary>A compensating entry was appended and the grant's counters returned.</summary>
    Reversed,

    /// <summary>The grant was already reversed; nothing changed.</summary>
    AlreadyReversed,

    /// <summary>No grant has that key; nothing changed.</summary>
    NotFound,
}
