using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Storage.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Storage.Tests.PostgreSql;

/// <summary>Registration and options: no server needed.</summary>
public sealed class PostgreSqlStoreTests
{
    [Fact]
    public void UsePostgreSqlStores_ReplacesEveryInMemoryDefault()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UsePostgreSqlStores("Host=127.0.0.1;Database=community");
        foreach (var type in new[] { typeof(IMemberStore), typeof(IRewardLedger), typeof(IMemberDirectory), typeof(IDrawStore), typeof(IDrawSecretStore) })
        {
            var descriptor = Assert.Single(services, d => d.ServiceType == type);
            Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
            Assert.NotNull(descriptor.ImplementationFactory);
        }

        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<PostgreSqlStoreOptions>));
    }

    [Fact]
    public void BadOptions_AreReportedWhenTheStoresAreFirstUsed()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UsePostgreSqlStores("");
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRewardLedger>());
        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
    }
}
