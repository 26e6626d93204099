namespace CommunityFunnel.Storage.Sqlite;

/// <summary>SQLite's <c>synchronous</c> setting in WAL mode: how durable a commit is when it returns.</summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// <c>NORMAL</c>: a commit survives the process being killed, but the last commits may be lost if the machine
    /// loses power. Faster.
    /// </summary>
    Normal,

    /// <summary><c>FULL</c> (the default): the write-ahead log is synced at every commit; a commit survives a power loss.</summary>
    Full,
}
