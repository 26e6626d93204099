using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.DependencyInjection;

/// <summary>The default services of the Rewards part, added by <c>AddCommunityFunnel</c> with <c>TryAdd</c>.</summary>
internal static class RewardsServiceRegistration
{
    public static void AddDefaults(IServiceCollection services)
    {
        services.AddOptions<RewardsOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RewardsOptions>, RewardsOptionsValidator>());
        services.TryAddSingleton<IRewardEngine>(CreateEngine);
    }

    private static RewardEngine CreateEngine(IServiceProvider provider)
    {
        var rules = provider.GetRequiredService<IOptions<RewardsOptions>>().Value.ToRuleSet();
        var zoneId = provider.GetRequiredService<IOptions<CommunityFunnelOptions>>().Value.TimeZoneId;
        return new RewardEngine(
            rules,
            TimeZones.Find(zoneId, nameof(CommunityFunnelOptions.TimeZoneId)),
            provider.GetStore<IRewardLedger>(),
            provider.GetStore<IMemberDirectory>());
    }
}
