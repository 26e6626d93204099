using System.Data.Common;
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

    protected override DbConnection OpenRaw()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    protected override void DropDatabase() => PostgreSqlServer.DropSchema(_schema);
}
