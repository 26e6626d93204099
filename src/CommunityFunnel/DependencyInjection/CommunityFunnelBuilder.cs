namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <see cref="CommunityFunnelServiceCollectionExtensions.AddCommunityFunnel"/>: the place where
/// stores, handlers and other plug-ins are added with <c>Use…</c>/<c>Add…</c> extension methods.
/// </summary>
public sealed class CommunityFunnelBuilder
{
    internal CommunityFunnelBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection CommunityFunnel registers into.</summary>
    public IServiceCollection Services { get; }
}
