using System.Globalization;
using CommunityFunnel.Cli.Lifecycle;
using CommunityFunnel.Events;
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
                                            [--actions FILE] [--members FILE] [--memory-mb N] [--temp-dir DIR]
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
          --actions FILE  replay: write the actions as JSON Lines to FILE as they are decided, one object a line
                          (the fields of the report's "actions"), and leave them out of the report
          --members FILE  replay: write the final states as JSON Lines to FILE (the fields of the report's
                          "finalStates", by group then member) and leave them out of the report
          --memory-mb N   replay: memory for putting the events in time order, in MiB (default 256, about a
                          million events). Events are applied as they leave it; a log further out of order
                          than that is replayed again from the start, sorted in runs spilled to temporary
                          files and merged
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
        var actionsPath = OutputFile(args, "actions");
        var membersPath = OutputFile(args, "members");
        args.EnsureAllConsumed(positionalAllowed: 1);

        EventLogReader? reader = null;

        // Opened again (from nothing) only when the log is further out of order than the ordering's buffer.
        IEnumerable<CommunityEvent> Open()
        {
            var events = CliEventLog.Read(eventsPath, context, out var opened);
            reader = opened;
            return events;
        }

        using (var actions = new LifecycleActionLog(keep: actionsPath is null, actionsPath))
        {
            var replay = LifecycleReplay.RunStreaming(Open, options, asOf, ordering, actions);
            CliEventLog.ReportOrdering(context, "lifecycle", replay.Ordering);
            var members = replay.Members();
            var counts = new int[5];
            foreach (var m in members)
            {
                counts[(int)m.State]++;
            }

            if (membersPath is not null)
            {
                LifecycleJson.WriteMemberLines(membersPath, members);
            }

            var shown = membersPath is null ? members : null;
            if (table)
            {
                WriteTables(context.Out, replay, actions, members.Count, shown, counts, asOf);
            }
            else
            {
                WriteJson(context.Out, replay, actions, members.Count, shown, counts, asOf, reader!.Statistics.Duplicates);
            }

            if (actionsPath is not null)
            {
                context.Err.WriteLine(string.Create(CultureInfo.InvariantCulture, $"community-funnel lifecycle: wrote {actions.Count} actions to {actionsPath}"));
            }

            if (membersPath is not null)
            {
                context.Err.WriteLine(string.Create(CultureInfo.InvariantCulture, $"community-funnel lifecycle: wrote the final states of {members.Count} members to {membersPath}"));
            }
        }

        return CliApp.Success;
    }

    /// <summary>An output file option: when given, not empty and in an existing folder.</summary>
    private static string? OutputFile(CliArguments args, string name)
    {
        var path = args.Optional(name);
        if (path is null)
        {
            return null;
        }

        if (path.Trim().Length == 0)
        {
            throw new CliUsageException($"--{name}: the file name must not be empty");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new CliUsageException($"--{name}: no such directory '{folder}'");
        }

        return path;
    }

    private static readonly MemberState[] States = [MemberState.Onboarding, MemberState.Active, MemberState.AtRisk, MemberState.Removed, MemberState.Left];

    /// <summary>The report as one JSON object, streamed: the actions and final states are not held as JSON.</summary>
    private static void WriteJson(TextWriter output, LifecycleReplay replay, LifecycleActionLog actions, int memberCount, List<MemberRecord>? members, int[] counts, DateTimeOffset asOf, long duplicates)
    {
        using (var json = CliOutput.StreamJson(output))
        {
            WriteReport(json, replay, actions, memberCount, members, counts, asOf, duplicates);
        }

        output.WriteLine();
    }

    private static void WriteReport(CliOutput.JsonPieces json, LifecycleReplay replay, LifecycleActionLog actions, int memberCount, List<MemberRecord>? members, int[] counts, DateTimeOffset asOf, long duplicates)
    {
        var w = json.Writer;
        w.WriteStartObject();
        w.WriteString("asOf", Instant(asOf));
        w.WriteNumber("events", replay.Events);
        w.WriteNumber("duplicates", duplicates);
        w.WriteNumber("ignoredAfterAsOf", replay.IgnoredAfterAsOf);
        w.WriteNumber("members", memberCount);
        w.WriteStartObject("states");
        foreach (var s in States)
        {
            w.WriteNumber(LifecycleNames.State(s), counts[(int)s]);
        }

        w.WriteEndObject();
        w.WriteStartObject("actionCounts");
        foreach (var kind in Enum.GetValues<MemberActionKind>())
        {
            w.WriteNumber(LifecycleNames.Action(kind), actions.CountOf(kind));
        }

        w.WriteEndObject();
        if (actions.Kept is { } kept)
        {
            w.WriteStartArray("actions");
            foreach (var a in kept)
            {
                LifecycleJson.WriteAction(w, a);
                json.Pace();
            }

            w.WriteEndArray();
        }

        if (members is not null)
        {
            w.WriteStartArray("finalStates");
            foreach (var m in members)
            {
                LifecycleJson.WriteMember(w, m);
                json.Pace();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteTables(TextWriter output, LifecycleReplay replay, LifecycleActionLog actions, int memberCount, List<MemberRecord>? members, int[] counts, DateTimeOffset asOf)
    {
        output.WriteLine($"Lifecycle as of {Instant(asOf)}: {replay.Events.ToString(CultureInfo.InvariantCulture)} events, {memberCount.ToString(CultureInfo.InvariantCulture)} members, {actions.Count.ToString(CultureInfo.InvariantCulture)} actions");
        output.WriteLine();
        var stateRows = new List<string[]> { new[] { "state", "members" } };
        stateRows.AddRange(States.Select(s => new[] { LifecycleNames.State(s), counts[(int)s].ToString(CultureInfo.InvariantCulture) }));
        CliOutput.WriteTable(output, stateRows);
        if (actions.Kept is { } kept)
        {
            output.WriteLine();
            var actionRows = new List<string[]> { new[] { "at", "action", "group", "member", "reason", "task", "deadline" } };
            actionRows.AddRange(kept.Select(a => new[]
            {
                Instant(a.At), LifecycleNames.Action(a.Kind), a.Group, a.Member,
                a.Reason == LifecycleReason.None ? "" : LifecycleNames.Reason(a.Reason), a.Task ?? "", a.Deadline is { } d ? Instant(d) : "",
            }));
            CliOutput.WriteTable(output, actionRows);
        }

        if (members is not null)
        {
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
    }

    private static string Instant(DateTimeOffset value) => LifecycleJson.Instant(value);
}
