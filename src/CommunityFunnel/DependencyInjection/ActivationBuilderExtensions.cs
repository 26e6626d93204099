using CommunityFunnel.Activation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Host plug-ins of the Activation part.</summary>
public static class ActivationBuilderExtensions
{
    /// <summary>Replaces the default <see cref="IActivationReporter"/> with <typeparamref name="TReporter"/> (a singleton).</summary>
    /// <typeparam name="TReporter">The host's reporter, e.g. one that queries its own store.</typeparam>
    /// <param name="builder">The builder from <c>AddCommunityFunnel</c>.</param>
    /// <returns>The same builder.</returns>
    public static CommunityFunnelBuilder UseActivationReporter<TReporter>(this CommunityFunnelBuilder builder)
        where TReporter : class, IActivationReporter
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IActivationReporter, TReporter>());
        return builder;
    }

    /// <summary>
    /// Chooses <typeparamref name="TStore"/> (a singleton) as the activation projection's store, over the one
    /// <c>UseInMemoryStores()</c>, <c>UseSqliteStores(..)</c> or <c>UsePostgreSqlStores(..)</c> registers.
    /// </summary>
    /// <typeparam name="TStore">The host's store.</typeparam>
    /// <param name="builder">The builder from <c>AddCommunityFunnel</c>.</param>
    /// <returns>The same builder.</returns>
    public static CommunityFunnelBuilder UseActivationStore<TStore>(this CommunityFunnelBuilder builder)
        where TStore : class, IActivationStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IActivationStore, TStore>());
        return builder;
    }

    /// <summary>Changes the <see cref="ActivationOptions"/> (rejoin policy, qualifying types).</summary>
    /// <param name="builder">The builder from <c>AddCommunityFunnel</c>.</param>
    /// <param name="configure">The change.</param>
    /// <returns>The same builder.</returns>
    public static CommunityFunnelBuilder ConfigureActivation(this CommunityFunnelBuilder builder, Action<ActivationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}
