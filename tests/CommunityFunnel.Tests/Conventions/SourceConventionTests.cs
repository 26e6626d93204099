using System.Text.RegularExpressions;

namespace CommunityFunnel.Tests.Conventions;

/// <summary>House rules checked on the library's own source: time comes from a TimeProvider, randomness is explicit.</summary>
public sealed partial class SourceConventionTests
{
    [Fact]
    public void LibraryCode_NeverReadsTheWallClockDirectly()
    {
        var offenders = LibrarySources()
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => WallClock().IsMatch(x.line) && !x.line.TrimStart().StartsWith("///", StringComparison.Ordinal))
            .Select(x => $"{Path.GetFileName(x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();

        Assert.True(offenders.Count == 0, "Use TimeProvider instead of:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void TheSourceTree_IsFound()
    {
        Assert.Contains(LibrarySources(), f => f.EndsWith("CommunityEvent.cs", StringComparison.Ordinal));
    }

    private static IEnumerable<string> LibrarySources()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CommunityFunnel.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return Directory.EnumerateDirectories(Path.Combine(dir.FullName, "src"))
            .SelectMany(p => Directory.EnumerateFiles(p, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\bDateTime(Offset)?\.(Now|UtcNow|Today)\b")]
    private static partial Regex WallClock();
}
