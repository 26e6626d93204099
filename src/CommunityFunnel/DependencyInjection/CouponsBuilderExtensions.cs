using CommunityFunnel.Rewards.Coupons;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Coupon plug-ins for <see cref="CommunityFunnelBuilder"/>.</summary>
public static class CouponsBuilderExtensions
{
    /// <summary>Changes the coupon options (code pattern, reservation time), validated when the host starts.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The changes.</param>
    /// <returns>The builder.</returns>
    public static CommunityFunnelBuilder ConfigureCoupons(this CommunityFunnelBuilder builder, Action<CouponsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Uses the host's coupon store (a singleton that gives the guarantees of <see cref="ICouponStore"/>).</summary>
    /// <typeparam name="TStore">The store.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static CommunityFunnelBuilder UseCouponStore<TStore>(this CommunityFunnelBuilder builder)
        where TStore : class, ICouponStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<ICouponStore, TStore>());
        return builder;
    }
}
