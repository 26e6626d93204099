using System.Data;
using System.Data.Common;
using CommunityFunnel.Storage;
using Npgsql;

namespace CommunityFunnel.Storage.PostgreSql;

/// <summary>
/// The PostgreSQL database behind the stores: a pooled <see cref="NpgsqlDataSource"/>, READ COMMITTED write
/// transactions with row locks (<c>SELECT … FOR UPDATE</c>) and conditional updates, migrations serialized by an
/// advisory lock so several host instances can start at once.
/// </summary>
internal sealed class PostgreSqlDatabase : SqlDatabase, IDisposable
{
    private readonly NpgsqlDataSource _source;

    public PostgreSqlDatabase(PostgreSqlStoreOptions options, TimeProvider time)
        : base(time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _source = NpgsqlDataSource.Create(options.ConnectionString);
    }

    public override string ForUpdate => " FOR UPDATE";

    public override IReadOnlyList<string> Migrations => PostgreSqlMigrations.All;

    protected override string CreateVersionTableSql => "CREATE TABLE IF NOT EXISTS cf_schema_version (version bigint PRIMARY KEY, applied text NOT NULL)";

    public override DbTransaction BeginWrite(DbConnection connection) => ((NpgsqlConnection)connection).BeginTransaction(IsolationLevel.ReadCommitted);

    public void Dispose() => _source.Dispose();

    protected override DbConnection CreateConnection() => _source.CreateConnection();

    protected override void LockMigrations(DbConnection connection, DbTransaction transaction) =>
        Sql.Execute(connection, transaction, "SELECT pg_advisory_xact_lock(7268501, hashtext(current_schema()))");
}
