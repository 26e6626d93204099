using System.Text.RegularExpressions;

namespace CommunityFunnel.Tests.Conventions;

/// <summary>
/// The core's folders form layers without cycles: Fingerprints (the low-level tables and memory helpers) depends on
/// no other folder; the feature folders depend on Events, Fingerprints and the root; DependencyInjection, the
/// composition layer, depends on the features and nothing depends on it. Read from the source: a folder uses
/// another when it names one of that folder's top-level types.
/// </summary>
public sealed partial class LayeringTests
{
    private static readonly string Root = FindCore();

    [Fact]
    public void TheCoresFolders_HaveNoDependencyCycle()
    {
        var edges = Edges();
        var cycles = new List<string>();
        foreach (var start in edges.Keys)
        {
            var path = new Stack<string>();
            Visit(start, start, edges, path, new HashSet<string>(), cycles);
        }

        Assert.True(cycles.Count == 0, "Folder cycles:\n" + string.Join("\n", cycles.Distinct()));
    }

    [Fact]
    public void Fingerprints_DependsOnNoOtherFolder_AndNothingDependsOnDependencyInjection()
    {
        var edges = Edges();
        Assert.Empty(edges.GetValueOrDefault("Fingerprints") ?? []);
        Assert.DoesNotContain(edges, e => e.Key != "DependencyInjection" && e.Value.Contains("DependencyInjection"));
        Assert.Contains("Members", edges["DependencyInjection"]); // the check sees references at all
    }

    private static void Visit(string start, string at, Dictionary<string, HashSet<string>> edges, Stack<string> path, HashSet<string> seen, List<string> cycles)
    {
        path.Push(at);
        foreach (var next in edges.GetValueOrDefault(at) ?? [])
        {
            if (next == start)
            {
                cycles.Add(string.Join(" -> ", path.Reverse().Append(start)));
            }
            else if (seen.Add(next))
            {
                Visit(start, next, edges, path, seen, cycles);
            }
        }

        path.Pop();
    }

    /// <summary>Folder → the folders whose top-level types its files name (comments left out).</summary>
    private static Dictionary<string, HashSet<string>> Edges()
    {
        var files = Directory.EnumerateFiles(Root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Folder: FolderOf(f), Code: Comment().Replace(File.ReadAllText(f), string.Empty)))
            .ToList();
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (folder, code) in files)
        {
            foreach (Match m in TopLevelType().Matches(code))
            {
                owner.TryAdd(m.Groups[1].Value, folder);
            }
        }

        var edges = files.Select(f => f.Folder).Distinct().ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal));
        foreach (var (folder, code) in files)
        {
            foreach (Match m in Identifier().Matches(code))
            {
                if (owner.TryGetValue(m.Value, out var other) && other != folder && other != "(root)")
                {
                    edges[folder].Add(other);
                }
            }
        }

        return edges;
    }

    private static string FolderOf(string file)
    {
        var relative = Path.GetRelativePath(Root, file).Split(Path.DirectorySeparatorChar);
        return relative.Length == 1 ? "(root)" : relative[0];
    }

    private static string FindCore()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CommunityFunnel.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return Path.Combine(dir.FullName, "src", "CommunityFunnel");
    }

    [GeneratedRegex(@"^(?:public |internal )?(?:static |sealed |abstract |readonly |partial )*(?:class|record|struct|enum|interface)\s+(?:struct\s+|class\s+)?(\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    [GeneratedRegex(@"\b[A-Z]\w+\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex Comment();
}
