using CommunityFunnel.Lottery;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Host plug-ins for the Lottery part: stores, the secret store, the public entropy source, limits.</summary>
public static class LotteryBuilderExtensions
{
    /// <summary>Replaces the in-memory draw store with <typeparamref name="TStore"/> (a singleton).</summary>
    /// <typeparam name="TStore">The host's store, e.g. a SQL store with conditional writes.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static CommunityFunnelBuilder UseDrawStore<TStore>(this CommunityFunnelBuilder builder)
        where TStore : class, IDrawStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IDrawStore, TStore>());
        return builder;
    }

    /// <summary>Replaces the in-memory secret store with <typeparamref name="TStore"/> (a singleton).</summary>
    /// <typeparam name="TStore">The host's secret store, e.g. a vault client.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static CommunityFunnelBuilder UseDrawSecretStore<TStore>(this CommunityFunnelBuilder builder)
        where TStore : class, IDrawSecretStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IDrawSecretStore, TStore>());
        return builder;
    }

    /// <summary>Uses <typeparamref name="TSource"/> (a singleton) for public entropy after each close.</summary>
    /// <typeparam name="TSource">A beacon client, a lottery-results reader, a block-hash reader.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static CommunityFunnelBuilder UsePublicEntropySource<TSource>(this CommunityFunnelBuilder builder)
        where TSource : class, IPublicEntropySource
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IPublicEntropySource, TSource>());
        return builder;
    }

    /// <summary>Uses <paramref name="source"/> for public entropy after each close.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="source">The source instance.</param>
    /// <returns>The builder.</returns>
    public static CommunityFunnelBuilder UsePublicEntropySource(this CommunityFunnelBuilder builder, IPublicEntropySource source)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(source);
        builder.Services.Replace(ServiceDescriptor.Singleton(source));
        return builder;
    }

    /// <summary>
    /// Uses a drand beacon as the public entropy source (<see cref="DrandEntropy"/>): each draw names, when it is
    /// created, the first round published at or after its scheduled close plus <paramref name="safetyMargin"/>, binds
    /// it into its commitment, and takes that round's randomness after the close (fair-draw/v1.1 proofs). Draws must
    /// then close at a time (<see cref="DrawSchedule.At"/>). The <see cref="HttpClient"/> is the
    /// host's, resolved from the container (register one, e.g. with its relay as base address); the clock is the
    /// host's <see cref="TimeProvider"/> when registered.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="chain">The chain, e.g. <see cref="DrandChain.Quicknet"/>.</param>
    /// <param name="safetyMargin">
    /// How long after the scheduled close the round may be published at the earliest: 0 to 1 day;
    /// <see cref="DrandEntropy.DefaultSafetyMargin"/> (60 s) when null. Checked here.
    /// </param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The margin is negative or longer than a day.</exception>
    public static CommunityFunnelBuilder UseDrandEntropy(this CommunityFunnelBuilder builder, DrandChain chain, TimeSpan? safetyMargin = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(chain);
        var margin = safetyMargin ?? DrandEntropy.DefaultSafetyMargin;
        if (margin < TimeSpan.Zero || margin > DrandEntropy.MaxSafetyMargin)
        {
            throw new ArgumentOutOfRangeException(nameof(safetyMargin), margin, "the drand safety margin is 0 to 1 day (default 60 s)");
        }

        builder.Services.Replace(ServiceDescriptor.Singleton<IPublicEntropySource>(sp => new DrandEntropy(
            (HttpClient?)sp.GetService(typeof(HttpClient))
                ?? throw new InvalidOperationException("UseDrandEntropy: register the HttpClient to fetch drand rounds with"),
            chain,
            margin,
            (TimeProvider?)sp.GetService(typeof(TimeProvider)))));
        return builder;
    }

    /// <summary>Changes the draw service's limits (validated when the host starts).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The change.</param>
    /// <returns>The builder.</returns>
    public static CommunityFunnelBuilder ConfigureLottery(this CommunityFunnelBuilder builder, Action<LotteryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}
