using System.Data.Common;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Storage.Sqlite;
using CommunityFunnel.Storage.Tests.Conformance;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Sqlite;

/// <summary>The conformance suite on a fresh SQLite file per test (WAL, synchronous=FULL: the defaults).</summary>
public sealed class SqliteStoreConformanceTests : SqlStoreConformanceTests
{
    private readonly string _path = SqliteFiles.NewPath();

    protected override void UseStores(CommunityFunnelBuilder builder) => builder.UseSqliteStores($"Data Source={_path}");

    protected override Task<IReadOnlyList<RewardAppendResult>> AppendAll(IRewardLedger ledger, IReadOnlyList<RewardLedgerEntry> grants) =>
        SqliteBatch.TryAppendAllAsync(ledger, grants);

    protected override Task<IReadOnlyList<bool>> SaveAll(IMemberStore store, IReadOnlyList<(MemberRecord Record, long ExpectedVersion, IReadOnlyList<MemberTransition> Transitions)> saves) =>
        SqliteBatch.SaveAllAsync(store, saves);

    protected override DbConnection OpenRaw()
    {
        var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        return connection;
    }

    protected override void DropDatabase() => SqliteFiles.Delete(_path);
}
