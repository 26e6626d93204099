using System.Text.Json.Serialization;

namespace CommunityFunnel.Rewards;

/// <summary>The kinds of coupon.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CouponKind>))]
public enum CouponKind
{
    /// <summary>A percentage off ("8折" is 20% off).</summary>
    PercentOff,

    /// <summary>A fixed amount off, in minor units.</summary>
    AmountOff,

    /// <summary>Spend at least <see cref="RewardCoupon.MinSpend"/> and get <see cref="RewardCoupon.Gift"/>.</summary>
    SpendGetGift,

    /// <summary>The order is free.</summary>
    FreeOrder,
}
