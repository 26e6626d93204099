using CommunityFunnel.Activation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.DependencyInjection;

/// <summary>The default services of the Activation part, added by <c>AddCommunityFunnel</c> with <c>TryAdd</c>.</summary>
internal static class ActivationServiceRegistration
{
    public static void AddDefaults(IServiceCollection services)
    {
        services.AddOptions<ActivationOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ActivationOptions>, ActivationOptionsValidator>());
        services.TryAddSingleton<IActivationReporter>(sp => new ActivationReporter(
            sp.GetRequiredService<IOptions<CommunityFunnelOptions>>(),
            sp.GetRequiredService<IOptions<ActivationOptions>>(),
            sp.GetTimeProvider()));
    }
}
