using System.Globalization;
using System.Text;

namespace CommunityFunnel.Members;

/// <summary>
/// The states and transitions a <see cref="LifecyclePolicy"/> gives, as data: inspect it, or render it as a
/// Mermaid or Graphviz DOT diagram. It is drawn from the transition table the lifecycle itself runs, so it lists
/// exactly the transitions the policy makes possible, and every transition a member takes is one of them.
/// </summary>
public sealed class LifecycleGraph
{
    private LifecycleGraph(IReadOnlyList<LifecycleStateInfo> states, IReadOnlyList<LifecycleTransitionInfo> transitions)
    {
        States = states;
        Transitions = transitions;
    }

    /// <summary>Every state the policy can reach, in lifecycle order.</summary>
    public IReadOnlyList<LifecycleStateInfo> States { get; }

    /// <summary>Every transition the policy makes possible.</summary>
    public IReadOnlyList<LifecycleTransitionInfo> Transitions { get; }

    /// <summary>
    /// The graph of <paramref name="policy"/>: the transition table the lifecycle runs for it (the same rows, in
    /// the same order), with the states a member can reach and the transitions out of them.
    /// </summary>
    public static LifecycleGraph For(LifecyclePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var rows = LifecycleTable.For(policy).Rows;

        // The states reachable from "first seen": the table also holds the rows of states this policy never leads to.
        var reachable = new bool[5];
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var row in rows)
            {
                if (row.Shown && (row.From is not { } f || reachable[(int)f]) && !reachable[(int)row.To])
                {
                    reachable[(int)row.To] = true;
                    changed = true;
                }
            }
        }

        var transitions = new List<LifecycleTransitionInfo>();
        foreach (var row in rows)
        {
            if (row.Shown && (row.From is not { } f || reachable[(int)f]))
            {
                transitions.Add(new LifecycleTransitionInfo(row.From, row.To, row.Label) { Events = row.Events, Deadlines = row.Deadlines });
            }
        }

        var states = new List<LifecycleStateInfo>();
        foreach (var (state, description) in Descriptions)
        {
            if (reachable[(int)state])
            {
                states.Add(new LifecycleStateInfo(state, LifecycleNames.State(state), description));
            }
        }

        return new LifecycleGraph(states, transitions);
    }

    private static readonly (MemberState State, string Description)[] Descriptions =
    [
        (MemberState.Onboarding, "joined, nickname not yet in the required format"),
        (MemberState.Active, "in good standing"),
        (MemberState.AtRisk, "a requirement is overdue, reminded"),
        (MemberState.Removed, "removed by a rule or an admin"),
        (MemberState.Left, "left by themselves"),
    ];

    /// <summary>The graph as a Mermaid <c>stateDiagram-v2</c> (lines end in <c>\n</c>).</summary>
    public string ToMermaid()
    {
        var text = new StringBuilder();
        text.Append("stateDiagram-v2\n");
        foreach (var s in States)
        {
            text.Append(CultureInfo.InvariantCulture, $"    {s.Name} : {s.Description}\n");
        }

        foreach (var tr in Transitions)
        {
            var from = tr.From is { } f ? LifecycleNames.State(f) : "[*]";
            text.Append(CultureInfo.InvariantCulture, $"    {from} --> {LifecycleNames.State(tr.To)} : {tr.Trigger.Replace(":", " -", StringComparison.Ordinal)}\n");
        }

        return text.ToString();
    }

    /// <summary>The graph as a Graphviz DOT digraph (lines end in <c>\n</c>).</summary>
    public string ToDot()
    {
        var text = new StringBuilder();
        text.Append("digraph lifecycle {\n");
        text.Append("    rankdir=LR;\n");
        text.Append("    node [shape=box, style=rounded];\n");
        text.Append("    start [shape=point];\n");
        foreach (var s in States)
        {
            text.Append(CultureInfo.InvariantCulture, $"    {s.Name} [label=\"{s.Name}\\n{s.Description}\"];\n");
        }

        foreach (var tr in Transitions)
        {
            var from = tr.From is { } f ? LifecycleNames.State(f) : "start";
            var label = tr.Trigger.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
            text.Append(CultureInfo.InvariantCulture, $"    {from} -> {LifecycleNames.State(tr.To)} [label=\"{label}\"];\n");
        }

        text.Append("}\n");
        return text.ToString();
    }
}
