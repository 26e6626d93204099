using CommunityFunnel.Lottery;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.DependencyInjection;

/// <summary>The default services of the Lottery part, added by <c>AddCommunityFunnel</c> with <c>TryAdd</c>.</summary>
internal static class LotteryServiceRegistration
{
    public static void AddDefaults(IServiceCollection services)
    {
        services.AddOptions<LotteryOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LotteryOptions>, LotteryOptionsValidator>());
        services.TryAddSingleton<IDrawService>(sp => new DrawService(
            sp.GetStore<IDrawStore>(),
            sp.GetStore<IDrawSecretStore>(),
            sp.GetService<IPublicEntropySource>(),
            sp.GetRequiredService<IOptions<LotteryOptions>>(),
            sp.GetTimeProvider(),
            sp.GetService<DrawSeedSource>()));
    }
}
