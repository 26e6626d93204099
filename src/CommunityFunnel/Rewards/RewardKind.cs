using System.Text.Json.Serialization;

namespace CommunityFunnel.Rewards;

/// <summary>What a member receives.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RewardKind>))]
public enum RewardKind
{
    /// <summary>Loyalty points.</summary>
    Points,

    /// <summary>Lottery tickets for a named draw: the weight of the member's entry.</summary>
    Tickets,

    /// <summary>A coupon (see <see cref="RewardCoupon"/>).</summary>
    Coupon,

    /// <summary>A physical prize, described by <see cref="RewardSpec.Prize"/> (a draw's first prize: the newest lipstick).</summary>
    Prize,
}
