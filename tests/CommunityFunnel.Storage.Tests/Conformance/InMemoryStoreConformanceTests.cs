using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

/// <summary>The in-memory defaults: the suite's reference semantics, run like every other store.</summary>
public sealed class InMemoryStoreConformanceTests : StoreConformanceTests
{
    protected override bool Durable => false;

    protected override void UseStores(CommunityFunnelBuilder builder) => builder.UseInMemoryStores();
}
