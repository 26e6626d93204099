using System.Data.Common;
using CommunityFunnel.Storage.Tests.Conformance;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Sqlite;

/// <summary>The conformance suite on a fresh SQLite file per test (WAL, synchronous=FULL: the defaults).</summary>
public sealed class SqliteStoreConformanceTests : SqlStoreConformanceTests
{
    private readonly string _path = SqliteFiles.NewPath();

    protected override void UseStores(CommunityFunnelBuilder builder) => builder.UseSqliteStores($"Data Source={_path}");

    protected override DbConnection OpenRaw()
    {
        var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        return connection;
    }

    protected override void DropDatabase() => SqliteFiles.Delete(_path);
}
