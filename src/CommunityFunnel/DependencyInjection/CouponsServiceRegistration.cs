using CommunityFunnel.Rewards;
using CommunityFunnel.Rewards.Coupons;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.DependencyInjection;

/// <summary>The default services of coupons, added by <c>AddCommunityFunnel</c> with <c>TryAdd</c>.</summary>
internal static class CouponsServiceRegistration
{
    public static void AddDefaults(IServiceCollection services)
    {
        services.AddOptions<CouponsOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CouponsOptions>, CouponsOptionsValidator>());
        services.TryAddSingleton<ICouponService>(sp => new CouponService(
            sp.GetStore<ICouponStore>(),
            sp.GetRequiredService<IOptions<CouponsOptions>>().Value,
            sp.GetTimeProvider(),
            rules: sp.GetRequiredService<IOptions<RewardsOptions>>().Value.ToRuleSet()));
    }
}
