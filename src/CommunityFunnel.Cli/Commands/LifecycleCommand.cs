using System.Globalization;
using System.Text.Json.Nodes;
using CommunityFunnel.Cli.Lifecycle;
using CommunityFunnel.Members;

namespace CommunityFunnel.Cli.Commands;

/// <summary><c>community-funnel lifecycle</c>: replay member lifecycle policies over an event log; draw the state graph.</summary>
internal sealed class LifecycleCommand : ICliCommand
{
    public string Name => "lifecycle";

    public string Summary => "replay member lifecycle policies over an event log; draw the state graph";

    public string Usage =>
        """
        Usage:
          community-funnel lifecycle replay --events FILE --policy FILE --as-of ISO [--format json|table]
                                            [--memory-mb N] [--temp-dir DIR]
          community-funnel lifecycle graph --policy FILE [--format mermaid|dot]

        replay  applies the events before --as-of in time order with the policy file's rules and processes every
                deadline before --as-of; prints the members per state, the actions the host would have carried
                out, and each member's final state.
        graph   prints the states and transitions of the policy file's default policy (or --group's).

        Options:
          --events FILE   an event-log/v1 JSON Lines file
          --policy FILE   a lifecycle policy file (see docs/lifecycle.md)
          --as-of ISO     an instant with an offset, e.g. 2026-12-01T00:00:00+08:00
          --group ID      graph: the group whose policy to draw (default: the default policy)
          --format        replay: json (default) or table; graph: mermaid (default) or dot
          --memory-mb N   replay: memory for putting the events in time order, in MiB (default 256, about a
                          million events); a longer log is sorted in runs spilled to temporary files and merged
          --temp-dir DIR  replay: an existing folder for those runs (default: the system's temp folder); they
                          are deleted when the replay ends

        """.Replace("\r\n", "\n", StringComparison.Ordinal);

    public int Run(IReadOnlyList<string> args, CliContext context)
    {
        var parsed = CliArguments.Parse(args);
        var verb = parsed.Positional.Count > 0 ? parsed.Positional[0] : throw new CliUsageException("missing subcommand: replay or graph");
        return verb switch
        {
            "replay" => Replay(parsed, context),
            "graph" => Graph(parsed, context),
            _ => throw new CliUsageException($"unknown subcommand '{verb}': expected replay or graph"),
        };
    }

    internal static LifecycleOptions LoadPolicy(CliArguments args)
    {
        var path = args.Required("policy");
        if (!File.Exists(path))
        {
            throw new CliUsageException($"--policy: no such file '{path}'");
        }

        try
        {
            return LifecyclePolicyFile.Load(path);
        }
        catch (FormatException e)
        {
            throw new CliUsageException($"--policy {path}: {e.Message}");
        }
    }

    private static int Graph(CliArguments args, CliContext context)
    {
        var options = LoadPolicy(args);
        var group = args.Optional("group");
        var format = args.OptionalChoice("format", "mermaid", "dot") ?? "mermaid";
        args.EnsureAllConsumed(positionalAllowed: 1);
        var graph = LifecycleGraph.For(group is null ? options.DefaultPolicy : options.PolicyFor(group));
        context.Out.Write(format == "dot" ? graph.ToDot() : graph.ToMermaid());
        return CliApp.Success;
    }

    private static int Replay(CliArguments args, CliContext context)
    {
        var eventsPath = args.Required("events");
        var options = LoadPolicy(args);
        var asOf = args.RequiredInstant("as-of");
        var table = CliOutput.WantsTable(args);
        var ordering = CliEventLog.OrderOptions(args);
        args.EnsureAllConsumed(positionalAllowed: 1);

        var source = CliEventLog.Read(eventsPath, context, out var reader);
        var replay = LifecycleReplay.Run(source, options, asOf, ordering);
        CliEventLog.ReportOrdering(context, "lifecycle", replay.Ordering);
        var members = replay.Members();
        var counts = new int[5];
        foreach (var m in members)
        {
            counts[(int)m.State]++;
        }

        if (table)
        {
            WriteTables(context.Out, replay, members, counts, asOf);
        }
        else
        {
            CliOutput.WriteJson(context.Out, ToJson(replay, members, counts, asOf, reader.Statistics.Duplicates));
        }

        return CliApp.Success;
    }

    private static readonly MemberState[] States = [MemberState.Onboarding, MemberState.Active, MemberState.AtRisk, MemberState.Removed, MemberState.Left];

    private static JsonObject ToJson(LifecycleReplay replay, List<MemberRecord> members, int[] counts, DateTimeOffset asOf, long duplicates)
    {
        var states = new JsonObject();
        foreach (var s in States)
        {
            states[LifecycleNames.State(s)] = counts[(int)s];
        }

        var actions = new JsonArray();
        foreach (var a in replay.Actions)
        {
            actions.Add(new JsonObject
            {
                ["at"] = Instant(a.At),
                ["kind"] = LifecycleNames.Action(a.Kind),
                ["group"] = a.Group,
                ["member"] = a.Member,
                ["reason"] = a.Reason == LifecycleReason.None ? null : LifecycleNames.Reason(a.Reason),
                ["task"] = a.Task,
                ["deadline"] = a.Deadline is { } d ? Instant(d) : null,
            });
        }

        var list = new JsonArray();
        foreach (var m in members)
        {
            list.Add(new JsonObject
            {
                ["group"] = m.Group,
                ["member"] = m.Member,
                ["state"] = LifecycleNames.State(m.State),
                ["joinedAt"] = Optional(m.JoinedAt),
                ["firstActivityAt"] = Optional(m.FirstActivityAt),
                ["activatedWithinWindow"] = m.ActivatedWithinWindow,
                ["convertedAt"] = Optional(m.ConvertedAt),
                ["joinedBeforeTracking"] = m.JoinedBeforeTracking,
                ["protected"] = m.Protected,
                ["riskReason"] = m.RiskReason == LifecycleReason.None ? null : LifecycleNames.Reason(m.RiskReason),
                ["removalDeadline"] = Optional(m.RemovalDeadline),
            });
        }

        return new JsonObject
        {
            ["asOf"] = Instant(asOf),
            ["events"] = replay.Events,
            ["duplicates"] = duplicates,
            ["ignoredAfterAsOf"] = replay.IgnoredAfterAsOf,
            ["members"] = members.Count,
            ["states"] = states,
            ["actionCounts"] = ActionCounts(replay.Actions),
            ["actions"] = actions,
            ["finalStates"] = list,
        };
    }

    private static JsonObject ActionCounts(List<MemberAction> actions)
    {
        var counts = new JsonObject();
        foreach (var kind in Enum.GetValues<MemberActionKind>())
        {
            counts[LifecycleNames.Action(kind)] = actions.Count(a => a.Kind == kind);
        }

        return counts;
    }

    private static void WriteTables(TextWriter output, LifecycleReplay replay, List<MemberRecord> members, int[] counts, DateTimeOffset asOf)
    {
        output.WriteLine($"Lifecycle as of {Instant(asOf)}: {replay.Events.ToString(CultureInfo.InvariantCulture)} events, {members.Count.ToString(CultureInfo.InvariantCulture)} members, {replay.Actions.Count.ToString(CultureInfo.InvariantCulture)} actions");
        output.WriteLine();
        var stateRows = new List<string[]> { new[] { "state", "members" } };
        stateRows.AddRange(States.Select(s => new[] { LifecycleNames.State(s), counts[(int)s].ToString(CultureInfo.InvariantCulture) }));
        CliOutput.WriteTable(output, stateRows);
        output.WriteLine();
        var actionRows = new List<string[]> { new[] { "at", "action", "group", "member", "reason", "task", "deadline" } };
        actionRows.AddRange(replay.Actions.Select(a => new[]
        {
            Instant(a.At), LifecycleNames.Action(a.Kind), a.Group, a.Member,
            a.Reason == LifecycleReason.None ? "" : LifecycleNames.Reason(a.Reason), a.Task ?? "", a.Deadline is { } d ? Instant(d) : "",
        }));
        CliOutput.WriteTable(output, actionRows);
        output.WriteLine();
        var memberRows = new List<string[]> { new[] { "group", "member", "state", "joined", "activated", "converted", "flags" } };
        memberRows.AddRange(members.Select(m => new[]
        {
            m.Group, m.Member, LifecycleNames.State(m.State), m.JoinedAt is { } j ? Instant(j) : "",
            m.ActivatedWithinWindow ? "yes" : "no", m.ConvertedAt is { } c ? Instant(c) : "",
            string.Join(",", new[] { m.JoinedBeforeTracking ? "before-tracking" : null, m.Protected ? "protected" : null }.OfType<string>()),
        }));
        CliOutput.WriteTable(output, memberRows);
    }

    private static string Instant(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static string? Optional(DateTimeOffset? value) => value is { } v ? Instant(v) : null;
}
