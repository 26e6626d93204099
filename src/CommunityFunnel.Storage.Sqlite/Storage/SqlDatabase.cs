using System.Data.Common;

namespace CommunityFunnel.Storage;

/// <summary>
/// What a SQL dialect gives the shared stores: connections, write transactions and the schema's migrations. The
/// schema is created and upgraded the first time a connection is asked for (a version table; re-running is
/// harmless; two processes migrating at once are serialized by the database).
/// </summary>
internal abstract class SqlDatabase(TimeProvider time)
{
    private readonly object _migrateGate = new();
    private volatile bool _migrated;

    /// <summary>Appended to a SELECT of a row the transaction will write: a row lock where the database needs one.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>" FOR UPDATE SKIP LOCKED" where rows can be locked (PostgreSQL), else empty (SQLite's single writer).</summary>
    public string ForUpdateSkipLocked => ForUpdate.Length == 0 ? string.Empty : ForUpdate + " SKIP LOCKED";

    /// <summary>The migrations, oldest first: migration <c>i</c> takes the schema from version <c>i</c> to <c>i + 1</c>.</summary>
    public abstract IReadOnlyList<string> Migrations { get; }

    /// <summary>Creates the version table if it is missing (runs inside the migration transaction).</summary>
    protected abstract string CreateVersionTableSql { get; }

    /// <summary>An opened connection, the schema migrated.</summary>
    public DbConnection Open()
    {
        EnsureMigrated();
        return OpenRaw();
    }

    /// <summary>An opened connection, the schema migrated.</summary>
    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        EnsureMigrated();
        var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            OnOpened(connection);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts a transaction that will write: it serializes with other writers of the same rows.</summary>
    public abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>Applies the migrations not yet applied. Called by <see cref="Open"/> once per instance.</summary>
    public void EnsureMigrated()
    {
        if (_migrated)
        {
            return;
        }

        lock (_migrateGate)
        {
            if (_migrated)
            {
                return;
            }

            using var connection = OpenRaw();
            Migrate(connection);
            _migrated = true;
        }
    }

    /// <summary>A new, closed connection.</summary>
    protected abstract DbConnection CreateConnection();

    /// <summary>Per-connection settings (e.g. SQLite pragmas).</summary>
    protected virtual void OnOpened(DbConnection connection)
    {
    }

    /// <summary>Runs before the migration transaction (e.g. switching SQLite to WAL).</summary>
    protected virtual void BeforeMigrate(DbConnection connection)
    {
    }

    /// <summary>Serializes concurrent migrations (PostgreSQL: an advisory lock held until the transaction ends).</summary>
    protected virtual void LockMigrations(DbConnection connection, DbTransaction transaction)
    {
    }

    private DbConnection OpenRaw()
    {
        var connection = CreateConnection();
        try
        {
            connection.Open();
            OnOpened(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Migrate(DbConnection connection)
    {
        BeforeMigrate(connection);
        using var tx = BeginWrite(connection);
        LockMigrations(connection, tx);
        Sql.Execute(connection, tx, CreateVersionTableSql);
        var current = Sql.ToInt64(Sql.Scalar(connection, tx, "SELECT COALESCE(MAX(version), 0) FROM cf_schema_version"));
        if (current > Migrations.Count)
        {
            throw new InvalidOperationException(
                $"The database schema is at version {current}, newer than this package knows ({Migrations.Count}); upgrade the CommunityFunnel storage package.");
        }

        for (var i = (int)current; i < Migrations.Count; i++)
        {
            Sql.Execute(connection, tx, Migrations[i]);
            Sql.Execute(connection, tx, "INSERT INTO cf_schema_version (version, applied) VALUES (@v, @a)", ("v", (long)(i + 1)), ("a", time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        }

        tx.Commit();
    }
}
