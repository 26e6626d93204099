using CommunityFunnel.Events;
using CommunityFunnel;
using CommunityFunnel.Activation;
using CommunityFunnel.DependencyInjection;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Rewards.Coupons;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CommunityFunnel with a host's <see cref="IServiceCollection"/>.</summary>
public static class CommunityFunnelServiceCollectionExtensions
{
    /// <summary>
    /// Registers CommunityFunnel's services. It registers no store: choose them on the returned builder with
    /// <see cref="UseInMemoryStores"/> (tests and demos), <c>UseSqliteStores(...)</c> or <c>UsePostgreSqlStores(...)</c>
    /// (the CommunityFunnel.Storage.* packages), or one by one (<c>UseMemberStore&lt;T&gt;()</c>, ...). A host
    /// that starts without a store fails at start, and a service that needs one fails when resolved, with a
    /// message that names the missing stores and what to add.
    /// Services are added with <c>TryAdd</c>, so a host's own registration (made before or after) wins; calling this
    /// twice is harmless. Options are validated when the host starts; a <see cref="TimeProvider"/> the host
    /// registered is used, else <see cref="TimeProvider.System"/>.
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
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<CommunityFunnelOptions>, CommunityFunnelStores.Validator>());

        LotteryServiceRegistration.AddDefaults(services);
        ActivationServiceRegistration.AddDefaults(services);
        MembersServiceRegistration.AddDefaults(services);
        RewardsServiceRegistration.AddDefaults(services);
        CouponsServiceRegistration.AddDefaults(services);

        return new CommunityFunnelBuilder(services);
    }

    /// <summary>
    /// Chooses the in-memory stores for every store the host has not chosen: members and their action outbox, the reward ledger and budgets,
    /// the member facts rewards check, draws and entries, draw seeds, coupons, the event log and the activation projection
    /// (<see cref="InMemoryActivationStore"/>). For tests, demos and one-off replays:
    /// everything is lost when the process ends. A store chosen before or after (e.g. <c>UseMemberStore&lt;T&gt;()</c>)
    /// wins over the in-memory one.
    /// </summary>
    /// <param name="builder">The builder <see cref="AddCommunityFunnel"/> returned.</param>
    /// <returns>The same builder.</returns>
    public static CommunityFunnelBuilder UseInMemoryStores(this CommunityFunnelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton<InMemoryActionOutbox>();
        services.TryAddSingleton<IMemberStore>(sp => new InMemoryMemberStore(sp.GetRequiredService<InMemoryActionOutbox>()));
        services.TryAddSingleton<IActionOutbox>(sp => sp.GetRequiredService<InMemoryActionOutbox>());
        services.TryAddSingleton<IRewardLedger, InMemoryRewardLedger>();
        services.TryAddSingleton<IMemberDirectory, InMemoryMemberDirectory>();
        services.TryAddSingleton<IDrawStore, InMemoryDrawStore>();
        services.TryAddSingleton<IDrawSecretStore, InMemoryDrawSecretStore>();
        services.TryAddSingleton<ICouponStore, InMemoryCouponStore>();
        services.TryAddSingleton<IEventLogStore, InMemoryEventLogStore>();
        services.TryAddSingleton<IActivationStore>(ActivationServiceRegistration.InMemoryStore);
        return builder;
    }

    /// <summary>The host's <see cref="TimeProvider"/> if it registered one, else <see cref="TimeProvider.System"/>.</summary>
    internal static TimeProvider GetTimeProvider(this IServiceProvider provider) =>
        provider.GetService<TimeProvider>() ?? TimeProvider.System;
}
