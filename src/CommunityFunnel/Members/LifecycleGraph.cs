using System.Globalization;
using System.Text;

namespace CommunityFunnel.Members;

/// <summary>
/// The states and transitions a <see cref="LifecyclePolicy"/> gives, as data: inspect it, or render it as a
/// Mermaid or Graphviz DOT diagram. Only transitions the policy makes possible are listed.
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

    /// <summary>The graph of <paramref name="policy"/>.</summary>
    public static LifecycleGraph For(LifecyclePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var states = new List<LifecycleStateInfo>
        {
            new(MemberState.Onboarding, "onboarding", "joined, nickname not yet in the required format"),
            new(MemberState.Active, "active", "in good standing"),
            new(MemberState.AtRisk, "at_risk", "a requirement is overdue, reminded"),
            new(MemberState.Removed, "removed", "removed by a rule or an admin"),
            new(MemberState.Left, "left", "left by themselves"),
        };

        var hasNickname = policy.NicknamePattern is not null;
        var t = new List<LifecycleTransitionInfo>();
        if (hasNickname)
        {
            t.Add(new(null, MemberState.Onboarding, "joined"));
            t.Add(new(null, MemberState.Active, "joined (staff, bot or allow-listed)"));
        }
        else
        {
            t.Add(new(null, MemberState.Active, "joined"));
        }

        t.Add(new(null, MemberState.Active, "activity (joined before tracking)"));
        t.Add(new(null, MemberState.Left, "left (joined before tracking)"));
        t.Add(new(null, MemberState.Removed, "removed (joined before tracking)"));
        if (hasNickname)
        {
            t.Add(new(MemberState.Onboarding, MemberState.Active, "nickname_changed (matches)"));
            t.Add(new(MemberState.Onboarding, MemberState.AtRisk, $"deadline: nickname ({Duration(policy.OnboardingGrace)})"));
            t.Add(new(MemberState.Active, MemberState.AtRisk, "nickname_changed (no longer matches)"));
        }

        var overdue = new List<string>();
        for (var i = 0; i < policy.RequiredTasks.Count; i++)
        {
            var task = policy.RequiredTasks[i];
            overdue.Add($"deadline: task {task.Id} ({Duration(task.Within)})");
        }

        if (policy.SpeakEveryDays is { } days)
        {
            overdue.Add($"deadline: inactive ({days.ToString(CultureInfo.InvariantCulture)}d)");
        }

        foreach (var label in overdue)
        {
            if (hasNickname)
            {
                t.Add(new(MemberState.Onboarding, MemberState.AtRisk, label));
            }

            t.Add(new(MemberState.Active, MemberState.AtRisk, label));
        }

        if (policy.RequiredTasks.Count > 0)
        {
            t.Add(new(MemberState.Active, MemberState.AtRisk, "task_rejected (past deadline)"));
        }

        if (hasNickname || overdue.Count > 0)
        {
            t.Add(new(MemberState.AtRisk, MemberState.Active, "requirement met"));
            t.Add(new(MemberState.AtRisk, MemberState.Removed, $"deadline: warning ({Duration(policy.WarningGrace)})"));
        }

        foreach (var from in new[] { MemberState.Onboarding, MemberState.Active, MemberState.AtRisk })
        {
            if (from == MemberState.Onboarding && !hasNickname)
            {
                continue;
            }

            if (from == MemberState.AtRisk && !hasNickname && overdue.Count == 0)
            {
                continue;
            }

            t.Add(new(from, MemberState.Left, "left"));
            t.Add(new(from, MemberState.Removed, "removed"));
        }

        t.Add(new(MemberState.Left, MemberState.Removed, "removed"));
        var rejoinTarget = hasNickname && policy.RejoinAfterLeaving == RejoinMode.Onboarding ? MemberState.Onboarding : MemberState.Active;
        t.Add(new(MemberState.Left, rejoinTarget, "joined (rejoin)"));
        if (hasNickname && rejoinTarget == MemberState.Active)
        {
            t.Add(new(MemberState.Left, MemberState.Onboarding, "joined (rejoin, onboarding never completed)"));
        }

        if (policy.RejoinBan is not { } ban || ban > TimeSpan.Zero)
        {
            var banText = policy.RejoinBan is { } b ? $"within {Duration(b)}" : "forever";
            t.Add(new(MemberState.Removed, MemberState.Removed, $"joined (banned {banText}): removal"));
        }

        if (policy.RejoinBan is not null)
        {
            t.Add(new(MemberState.Removed, hasNickname ? MemberState.Onboarding : MemberState.Active, "joined (ban over)"));
        }

        t.Add(new(MemberState.Left, MemberState.Active, "joined (staff, bot or allow-listed)"));
        t.Add(new(MemberState.Removed, MemberState.Active, "joined (staff, bot or allow-listed)"));

        // Only the states the policy can reach.
        states.RemoveAll(s => !t.Exists(x => x.To == s.State || x.From == s.State));
        return new LifecycleGraph(states, t);
    }

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

    /// <summary>A duration as <c>3d</c>, <c>48h</c>, <c>90m</c> or <c>45s</c>.</summary>
    internal static string Duration(TimeSpan value)
    {
        if (value.Ticks % TimeSpan.TicksPerDay == 0 && value.TotalDays >= 3)
        {
            return ((long)value.TotalDays).ToString(CultureInfo.InvariantCulture) + "d";
        }

        if (value.Ticks % TimeSpan.TicksPerHour == 0)
        {
            return ((long)value.TotalHours).ToString(CultureInfo.InvariantCulture) + "h";
        }

        if (value.Ticks % TimeSpan.TicksPerMinute == 0)
        {
            return ((long)value.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "m";
        }

        return ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
    }
}
