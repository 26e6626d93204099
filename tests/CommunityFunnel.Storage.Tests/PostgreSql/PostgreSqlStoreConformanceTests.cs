using System.Data.Common;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Storage.PostgreSql;
using CommunityFunnel.Storage.Tests.Conformance;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CommunityFunnel.Storage.Tests.PostgreSql;

/// <summary>
/// The conformance suite on PostgreSQL, a fresh schema per test. "Another host" is another service provider with
/// its own data source and connections, as a second host instance would have.
/// </summary>
[RequiresPostgreSql]
public sealed class PostgreSqlStoreConformanceTests : SqlStoreConformanceTests
{
    private readonly string _connectionString;
    private readonly string _schema;

    public PostgreSqlStoreConformanceTests() => _connectionString = PostgreSqlServer.CreateSchema(out _schema);

    protected override void UseStores(CommunityFunnelBuilder builder) => builder.UsePostgreSqlStores(_connectionString);

    protected override Task<IReadOnlyList<RewardAppendResult>> AppendAll(IRewardLedger ledger, IReadOnlyList<RewardLedgerEntry> grants) =>
        PostgreSqlBatch.TryAppendAllAsync(ledger, grants);

    protected override Task<IReadOnlyList<bool>> SaveAll(IMemberStore store, IReadOnlyList<(MemberRecord Record, long ExpectedVersion, IReadOnlyList<MemberTransition> Transitions)> saves) =>
        PostgreSqlBatch.SaveAllAsync(store, saves);

    protected override DbConnection OpenRaw()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    protected override void DropDatabase() => PostgreSqlServer.DropSchema(_schema);

    [StoreFact]
    public async Task TwoHostsStartingAtOnce_MigrateOnce()
    {
        var connectionString = PostgreSqlServer.CreateSchema(out var schema);
        try
        {
            var providers = Enumerable.Range(0, 4).Select(_ =>
            {
                var services = new ServiceCollection();
                services.AddCommunityFunnel().UsePostgreSqlStores(connectionString);
                return services.BuildServiceProvider();
            }).ToList();
            await Task.WhenAll(providers.Select(p => Task.Run(() => p.GetRequiredService<IRewardLedger>().GetCounterAsync("x", CancellationToken.None))));
            Assert.Equal(0, await providers[0].GetRequiredService<IRewardLedger>().GetCounterAsync("x", CancellationToken.None));
            providers.ForEach(p => p.Dispose());
        }
        finally
        {
            PostgreSqlServer.DropSchema(schema);
        }
    }
}
