namespace CommunityFunnel.Storage.Tests.Sqlite;

/// <summary>Throwaway database files under the temp directory.</summary>
internal static class SqliteFiles
{
    public static string NewPath()
    {
        var dir = Path.Combine(Path.GetTempPath(), "communityfunnel-store-tests");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, Guid.NewGuid().ToString("N") + ".db");
    }

    public static void Delete(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // still open somewhere: the temp directory is cleaned by the OS
            }
        }
    }
}
