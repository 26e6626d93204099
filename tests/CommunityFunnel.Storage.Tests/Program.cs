using CommunityFunnel.Storage.Tests.Sqlite;

namespace CommunityFunnel.Storage.Tests;

/// <summary>The entry point when the test assembly runs as a child process (the test host never calls it).</summary>
public static class Program
{
    public static async Task<int> Main(string[] args) => args switch
    {
        ["grant-child", var connectionString, var count] => await GrantChild.Run(connectionString, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture)),
        _ => 2,
    };
}
