namespace CommunityFunnel.Platforms.Tests;

/// <summary>The payload files under Fixtures/, copied next to the test assembly.</summary>
internal static class Fixture
{
    public static string Read(string platform, string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", platform, name));
}
