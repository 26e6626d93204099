using System.Data.Common;
using CommunityFunnel.Storage;
using Microsoft.Data.Sqlite;

namespace CommunityFunnel.Storage.Sqlite;

/// <summary>
/// The SQLite file behind the stores: WAL mode, one pooled connection per operation, write transactions
/// <c>BEGIN IMMEDIATE</c> (SQLite's single writer, waiting up to the busy timeout), foreign keys on.
/// </summary>
internal sealed class SqliteDatabase : SqlDatabase, IDisposable
{
    private readonly string _connectionString;
    private readonly string _pragmas;

    public SqliteDatabase(SqliteStoreOptions options, TimeProvider time)
        : base(time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString) { Pooling = true };
        _connectionString = builder.ToString();
        var synchronous = options.Synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL";
        _pragmas = $"PRAGMA synchronous = {synchronous}; PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON;";
    }

    public override string ForUpdate => string.Empty;

    public override IReadOnlyList<string> Migrations => SqliteMigrations.All;

    protected override string CreateVersionTableSql => "CREATE TABLE IF NOT EXISTS cf_schema_version (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)";

    public override DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    /// <summary>Closes the pooled connections to the file (so it can be copied, moved or deleted).</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    protected override DbConnection CreateConnection() => new SqliteConnection(_connectionString);

    protected override void OnOpened(DbConnection connection) => Sql.Execute(connection, null, _pragmas);

    protected override void BeforeMigrate(DbConnection connection) => Sql.Execute(connection, null, "PRAGMA journal_mode = WAL");
}
