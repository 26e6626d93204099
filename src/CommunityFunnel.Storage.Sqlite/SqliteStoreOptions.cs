namespace CommunityFunnel.Storage.Sqlite;

/// <summary>Settings of the SQLite stores (validated when the host starts).</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>A Microsoft.Data.Sqlite connection string naming a file, e.g. <c>Data Source=community.db</c>.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>How durable a commit is. Default <see cref="SqliteSynchronous.Full"/>.</summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>How long a writer waits for another writer's transaction (SQLite has one writer at a time). Default 30 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
