using CommunityFunnel.Lottery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Tests.Lottery;

public sealed class LotteryRegistrationTests
{
    [Fact]
    public void Defaults_AreInMemorySingletons_AddedWithTryAdd()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores();
        services.AddCommunityFunnel().UseInMemoryStores();

        var store = Assert.Single(services, d => d.ServiceType == typeof(IDrawStore));
        Assert.Equal(typeof(InMemoryDrawStore), store.ImplementationType);
        Assert.Equal(ServiceLifetime.Singleton, store.Lifetime);
        var secrets = Assert.Single(services, d => d.ServiceType == typeof(IDrawSecretStore));
        Assert.Equal(typeof(InMemoryDrawSecretStore), secrets.ImplementationType);
        Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == typeof(IDrawService)).Lifetime);
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<LotteryOptions>));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IPublicEntropySource));
    }

    [Fact]
    public void HostRegistrations_WinOverDefaults_BeforeOrAfter()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IDrawSecretStore, HostSecrets>();
        services.AddCommunityFunnel().UseInMemoryStores().UseDrawStore<HostStore>().UsePublicEntropySource<HostEntropy>();

        using var provider = services.BuildServiceProvider(validateScopes: true);

        Assert.IsType<HostStore>(provider.GetRequiredService<IDrawStore>());
        Assert.IsType<HostSecrets>(provider.GetRequiredService<IDrawSecretStore>());
        Assert.IsType<HostEntropy>(provider.GetRequiredService<IPublicEntropySource>());
        Assert.Single(services, d => d.ServiceType == typeof(IDrawStore));
        Assert.NotNull(provider.GetRequiredService<IDrawService>());
    }

    [Fact]
    public void BadOptions_AreReported_AllInOneMessage()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores().ConfigureLottery(o =>
        {
            o.MaxEntriesPerDraw = 0;
            o.MaxSlotsPerDraw = 100_001;
            o.ConflictRetries = 0;
        });
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LotteryOptions>>().Value);

        Assert.Contains("MaxEntriesPerDraw", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaxSlotsPerDraw", e.Message, StringComparison.Ordinal);
        Assert.Contains("ConflictRetries", e.Message, StringComparison.Ordinal);
    }

    private sealed class HostStore : IDrawStore
    {
        public Task<bool> TryCreateAsync(DrawRecord record, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<DrawRecord?> FindAsync(string drawId, CancellationToken cancellationToken) => Task.FromResult<DrawRecord?>(null);

        public Task<bool> TryUpdateAsync(DrawRecord record, long expectedVersion, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<EntryChangeResult> ApplyEntryChangeAsync(string drawId, DrawEntryChange change, CancellationToken cancellationToken) =>
            Task.FromResult(new EntryChangeResult(EntryChangeOutcome.DrawNotFound, 0, 0));

        public Task<IReadOnlyList<DrawEntry>> GetEntriesAsync(string drawId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DrawEntry>>([]);
    }

    private sealed class HostSecrets : IDrawSecretStore
    {
        public Task StoreSeedAsync(string drawId, ReadOnlyMemory<byte> serverSeed, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<byte[]?> GetSeedAsync(string drawId, CancellationToken cancellationToken) => Task.FromResult<byte[]?>(null);
    }

    private sealed class HostEntropy : IPublicEntropySource
    {
        public Task<byte[]> GetEntropyAsync(PublicEntropyRequest request, CancellationToken cancellationToken) => Task.FromResult(Array.Empty<byte>());
    }
}
