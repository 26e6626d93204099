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
