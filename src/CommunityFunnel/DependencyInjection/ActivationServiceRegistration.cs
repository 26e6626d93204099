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
        services.TryAddSingleton<IActivationProjection>(sp => new ActivationProjection(
            sp.GetService<IActivationStore>() ?? throw new InvalidOperationException(
                "The activation projection has no store (IActivationStore): choose one on AddCommunityFunnel() with UseInMemoryStores(),"
                + " UseSqliteStores(...), UsePostgreSqlStores(...) or UseActivationStore<T>()."),
            sp.GetRequiredService<IActivationReporter>()));
    }

    /// <summary>The in-memory projection store, its rows kept for the host's window and qualifying types.</summary>
    public static InMemoryActivationStore InMemoryStore(IServiceProvider provider) => new(
        provider.GetRequiredService<IOptions<CommunityFunnelOptions>>().Value.ActivationWindow,
        [.. provider.GetRequiredService<IOptions<ActivationOptions>>().Value.QualifyingTypes]);
}
