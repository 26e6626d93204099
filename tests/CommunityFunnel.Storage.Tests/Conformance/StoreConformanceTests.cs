using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

/// <summary>
/// The contract of the core's store interfaces, run unchanged against every store: the in-memory defaults (the
/// reference semantics), SQLite and PostgreSQL. A subclass says how a host plugs its stores in.
/// </summary>
public abstract partial class StoreConformanceTests : IDisposable
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    private readonly List<ServiceProvider> _providers = [];
    private ServiceProvider? _host;

    protected FakeTimeProvider Clock { get; } = new(T0);

    /// <summary>Whether two providers see the same data (durable stores); the in-memory one is per provider.</summary>
    protected abstract bool Durable { get; }

    protected IServiceProvider Host => _host ??= NewProvider();

    protected IMemberStore Members => Host.GetRequiredService<IMemberStore>();

    protected IRewardLedger Ledger => Host.GetRequiredService<IRewardLedger>();

    protected IDrawStore Draws => Host.GetRequiredService<IDrawStore>();

    protected IDrawSecretStore Secrets => Host.GetRequiredService<IDrawSecretStore>();

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        DropDatabase();
        GC.SuppressFinalize(this);
    }

    /// <summary>Plugs the stores under test into a host's builder (nothing for the in-memory defaults).</summary>
    protected abstract void UseStores(CommunityFunnelBuilder builder);

    /// <summary>Deletes this test's database.</summary>
    protected virtual void DropDatabase()
    {
    }

    /// <summary>Another host instance on the same database (its own provider, connections and pools), or the same host in memory.</summary>
    protected IServiceProvider OtherHost() => Durable ? NewProvider() : Host;

    protected ServiceProvider NewProvider(Action<IServiceCollection, CommunityFunnelBuilder>? more = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        var builder = services.AddCommunityFunnel();
        UseStores(builder);
        more?.Invoke(services, builder);
        var provider = services.BuildServiceProvider(validateScopes: true);
        _providers.Add(provider);
        return provider;
    }

    /// <summary>The in-memory stores: the reference the property tests compare with.</summary>
    protected static ServiceProvider Reference()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores();
        return services.BuildServiceProvider();
    }

    /// <summary>Closes every provider (a host stopping); the next <see cref="Host"/> starts a new one.</summary>
    protected void Restart()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        _providers.Clear();
        _host = null;
    }
}
