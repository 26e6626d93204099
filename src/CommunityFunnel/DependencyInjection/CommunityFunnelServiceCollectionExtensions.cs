using CommunityFunnel;
using CommunityFunnel.Activation;
using CommunityFunnel.DependencyInjection;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CommunityFunnel with a host's <see cref="IServiceCollection"/>.</summary>
public static class CommunityFunnelServiceCollectionExtensions
{
    /// <summary>
    /// Registers CommunityFunnel's services with their in-memory defaults. Defaults are added with <c>TryAdd</c>,
    /// so a host's own registration (made before or after) wins; calling this twice is harmless.
    /// Options are validated when the host starts; a <see cref="TimeProvider"/> the host registered is used,
    /// else <see cref="TimeProvider.System"/>.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Optional changes to the shared <see cref="CommunityFunnelOptions"/>.</param>
    /// <returns>A builder for adding stores and plug-ins.</returns>
    public static CommunityFunnelBuilder AddCommunityFunnel(
        this IServiceCollection services,
        Action<CommunityFunnelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<CommunityFunnelOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<CommunityFunnelOptions>, CommunityFunnelOptionsValidator>());

        LotteryServiceRegistration.AddDefaults(services);
        ActivationServiceRegistration.AddDefaults(services);
        MembersServiceRegistration.AddDefaults(services);
        RewardsServiceRegistration.AddDefaults(services);

        return new CommunityFunnelBuilder(services);
    }

    /// <summary>The host's <see cref="TimeProvider"/> if it registered one, else <see cref="TimeProvider.System"/>.</summary>
    internal static TimeProvider GetTimeProvider(this IServiceProvider provider) =>
        provider.GetService<TimeProvider>() ?? TimeProvider.System;
}
