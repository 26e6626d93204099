using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Lottery;

/// <summary>The default services of the Lottery part, added by <c>AddCommunityFunnel</c> with <c>TryAdd</c>.</summary>
internal static class LotteryServiceRegistration
{
    public static void AddDefaults(IServiceCollection services)
    {
        _ = services;
    }
}
