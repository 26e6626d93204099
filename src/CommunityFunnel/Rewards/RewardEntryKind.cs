using System.Text.Json.Serialization;

namespace CommunityFunnel.Rewards;

/// <summary>The kinds of ledger entry.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RewardEntryKind>))]
public enum RewardEntryKind
{
    /// <summary>Rewards given.</summary>
    Grant,

    /// <summary>A compensating entry that takes back an earlier grant and returns what it consumed.</summary>
    Reversal,
}
