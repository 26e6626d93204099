using System.Text.Json.Serialization;

namespace CommunityFunnel.Rewards;

/// <summary>The outcome of <see cref="IRewardLedger.TryAppendAsync"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RewardAppendResult>))]
public enum RewardAppendResult
{
    /// <summary>The grant was appended and its counters consumed.</summary>
    Granted,

    /// <summary>A grant with the same idempotency key is already in the ledger; nothing changed.</summary>
    AlreadyGranted,

    /// <summary>A budget counter would go over its limit; nothing changed.</summary>
    BudgetExhausted,

    /// <summary>A per-member or per-rule cap would go over its limit; nothing changed.</summary>
    LimitReached,
}
