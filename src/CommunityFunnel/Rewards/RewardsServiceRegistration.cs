using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Rewards;

/// <summary>The default services of the Rewards part, added by <c>AddCommunityFunnel</c> with <c>TryAdd</c>.</summary>
internal static class RewardsServiceRegistration
{
    public static void AddDefaults(IServiceCollection services)
    {
        _ = services;
    }
}
