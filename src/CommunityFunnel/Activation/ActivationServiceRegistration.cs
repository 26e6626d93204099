using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Activation;

/// <summary>The default services of the Activation part, added by <c>AddCommunityFunnel</c> with <c>TryAdd</c>.</summary>
internal static class ActivationServiceRegistration
{
    public static void AddDefaults(IServiceCollection services)
    {
        _ = services;
    }
}
