using CommunityFunnel.Events;
using CommunityFunnel.Members;

namespace CommunityFunnel.Tests.Members;

public sealed class LifecycleGraphTests
{
    [Fact]
    public void Mermaid_OfTheSeedArticlesGroup_IsExact()
    {
        const string expected = """
        stateDiagram-v2
            onboarding : joined, nickname not yet in the required format
            active : in good standing
            at_risk : a requirement is overdue, reminded
            removed : removed by a rule or an admin
            left : left by themselves
            [*] --> onboarding : joined
            [*] --> active : joined (staff, bot or allow-listed)
            [*] --> active : other event (joined before tracking)
            [*] --> left : left (joined before tracking)
            [*] --> removed : removed (joined before tracking)
            onboarding --> active : nickname_changed (matches)
            onboarding --> at_risk : deadline - nickname (24h)
            onboarding --> at_risk : deadline - inactive (3d)
            onboarding --> left : left
            onboarding --> removed : removed
            active --> at_risk : deadline - nickname (24h)
            active --> at_risk : deadline - task share (48h)
            active --> at_risk : deadline - inactive (3d)
            active --> at_risk : nickname_changed (no longer matches) or task_rejected (past deadline)
            active --> left : left
            active --> removed : removed
            at_risk --> active : requirement met
            at_risk --> removed : deadline - warning (48h) - removal
            at_risk --> active : deadline - warning (48h), nothing overdue any more
            at_risk --> left : left
            at_risk --> removed : removed
            left --> removed : removed
            left --> onboarding : joined (rejoin)
            left --> active : joined (staff, bot or allow-listed)
            removed --> removed : joined (banned forever) - removal
            removed --> active : joined (staff, bot or allow-listed)
        """ + "\n";
        Assert.Equal(expected, LifecycleGraph.For(LifecycleTestKit.SeedPolicy()).ToMermaid());
    }

    [Fact]
    public void Dot_OfTheSeedArticlesGroup_IsExact()
    {
        const string expected = """
        digraph lifecycle {
            rankdir=LR;
            node [shape=box, style=rounded];
            start [shape=point];
            onboarding [label="onboarding\njoined, nickname not yet in the required format"];
            active [label="active\nin good standing"];
            at_risk [label="at_risk\na requirement is overdue, reminded"];
            removed [label="removed\nremoved by a rule or an admin"];
            left [label="left\nleft by themselves"];
            start -> onboarding [label="joined"];
            start -> active [label="joined (staff, bot or allow-listed)"];
            start -> active [label="other event (joined before tracking)"];
            start -> left [label="left (joined before tracking)"];
            start -> removed [label="removed (joined before tracking)"];
            onboarding -> active [label="nickname_changed (matches)"];
            onboarding -> at_risk [label="deadline: nickname (24h)"];
            onboarding -> at_risk [label="deadline: inactive (3d)"];
            onboarding -> left [label="left"];
            onboarding -> removed [label="removed"];
            active -> at_risk [label="deadline: nickname (24h)"];
            active -> at_risk [label="deadline: task share (48h)"];
            active -> at_risk [label="deadline: inactive (3d)"];
            active -> at_risk [label="nickname_changed (no longer matches) or task_rejected (past deadline)"];
            active -> left [label="left"];
            active -> removed [label="removed"];
            at_risk -> active [label="requirement met"];
            at_risk -> removed [label="deadline: warning (48h): removal"];
            at_risk -> active [label="deadline: warning (48h), nothing overdue any more"];
            at_risk -> left [label="left"];
            at_risk -> removed [label="removed"];
            left -> removed [label="removed"];
            left -> onboarding [label="joined (rejoin)"];
            left -> active [label="joined (staff, bot or allow-listed)"];
            removed -> removed [label="joined (banned forever): removal"];
            removed -> active [label="joined (staff, bot or allow-listed)"];
        }
        """ + "\n";
        Assert.Equal(expected, LifecycleGraph.For(LifecycleTestKit.SeedPolicy()).ToDot());
    }

    [Fact]
    public void Mermaid_WithoutRules_LeavesOutUnreachableStates()
    {
        const string expected = """
        stateDiagram-v2
            active : in good standing
            removed : removed by a rule or an admin
            left : left by themselves
            [*] --> active : joined
            [*] --> active : joined (staff, bot or allow-listed)
            [*] --> active : other event (joined before tracking)
            [*] --> left : left (joined before tracking)
            [*] --> removed : removed (joined before tracking)
            active --> left : left
            active --> removed : removed
            left --> removed : removed
            left --> active : joined (rejoin)
            left --> active : joined (staff, bot or allow-listed)
            removed --> removed : joined (banned forever) - removal
            removed --> active : joined (staff, bot or allow-listed)
        """ + "\n";
        var graph = LifecycleGraph.For(new LifecyclePolicy());
        Assert.Equal(expected, graph.ToMermaid());
        Assert.Equal([MemberState.Active, MemberState.Removed, MemberState.Left], graph.States.Select(s => s.State));
    }

    [Fact]
    public void Dot_WithoutRules_IsExact()
    {
        const string expected = """
        digraph lifecycle {
            rankdir=LR;
            node [shape=box, style=rounded];
            start [shape=point];
            active [label="active\nin good standing"];
            removed [label="removed\nremoved by a rule or an admin"];
            left [label="left\nleft by themselves"];
            start -> active [label="joined"];
            start -> active [label="joined (staff, bot or allow-listed)"];
            start -> active [label="other event (joined before tracking)"];
            start -> left [label="left (joined before tracking)"];
            start -> removed [label="removed (joined before tracking)"];
            active -> left [label="left"];
            active -> removed [label="removed"];
            left -> removed [label="removed"];
            left -> active [label="joined (rejoin)"];
            left -> active [label="joined (staff, bot or allow-listed)"];
            removed -> removed [label="joined (banned forever): removal"];
            removed -> active [label="joined (staff, bot or allow-listed)"];
        }
        """ + "\n";
        Assert.Equal(expected, LifecycleGraph.For(new LifecyclePolicy()).ToDot());
    }

    [Fact]
    public void Mermaid_WithANicknameOnly_ABanOf30DaysAndRejoinActive_IsExact()
    {
        const string expected = """
        stateDiagram-v2
            onboarding : joined, nickname not yet in the required format
            active : in good standing
            at_risk : a requirement is overdue, reminded
            removed : removed by a rule or an admin
            left : left by themselves
            [*] --> onboarding : joined
            [*] --> active : joined (staff, bot or allow-listed)
            [*] --> active : other event (joined before tracking)
            [*] --> left : left (joined before tracking)
            [*] --> removed : removed (joined before tracking)
            onboarding --> active : nickname_changed (matches)
            onboarding --> at_risk : deadline - nickname (24h)
            onboarding --> left : left
            onboarding --> removed : removed
            active --> at_risk : deadline - nickname (24h)
            active --> at_risk : nickname_changed (no longer matches)
            active --> left : left
            active --> removed : removed
            at_risk --> active : requirement met
            at_risk --> removed : deadline - warning (48h) - removal
            at_risk --> left : left
            at_risk --> removed : removed
            left --> removed : removed
            left --> onboarding : joined (rejoin, nickname not in the format)
            left --> active : joined (rejoin)
            left --> active : joined (staff, bot or allow-listed)
            removed --> removed : joined (banned within 30d) - removal
            removed --> onboarding : joined (ban over)
            removed --> active : joined (staff, bot or allow-listed)
        """ + "\n";
        var policy = new LifecyclePolicy { NicknamePattern = "x", RejoinBan = TimeSpan.FromDays(30), RejoinAfterLeaving = RejoinMode.Active };
        Assert.Equal(expected, LifecycleGraph.For(policy).ToMermaid());
    }

    [Fact]
    public void Transitions_SayWhichEventsAndDeadlinesTakeThem()
    {
        var graph = LifecycleGraph.For(LifecycleTestKit.SeedPolicy());

        var join = graph.Transitions.First(t => t.From is null && t.To == MemberState.Onboarding);
        Assert.Equal([EventType.Joined], join.Events);
        Assert.Empty(join.Deadlines);
        var task = graph.Transitions.First(t => t.From == MemberState.Active && t.Trigger == "deadline: task share (48h)");
        Assert.Equal(["task_overdue", "task_rejected"], task.Deadlines);
        Assert.Empty(task.Events);
        var overdue = graph.Transitions.Single(t => t.From == MemberState.Active && t.To == MemberState.AtRisk && t.Events.Count > 0);
        Assert.Equal([EventType.NicknameChanged, EventType.TaskRejected], overdue.Events);

        // Onboarding ends at the nickname deadline: only a task due before it can fall due, or be rejected past it, while onboarding.
        Assert.DoesNotContain(graph.Transitions, t => t.From == MemberState.Onboarding && t.Trigger.StartsWith("deadline: task", StringComparison.Ordinal));
        var quick = LifecycleTestKit.SeedPolicy();
        quick.RequiredTasks.Add(new LifecycleTask { Id = "hello", Within = TimeSpan.FromHours(2) });
        var onboarding = LifecycleGraph.For(quick).Transitions.Where(t => t.From == MemberState.Onboarding && t.To == MemberState.AtRisk).ToList();
        Assert.Contains(onboarding, t => t.Trigger == "deadline: task hello (2h)");
        Assert.DoesNotContain(onboarding, t => t.Trigger == "deadline: task share (48h)");
        Assert.Equal([EventType.TaskRejected], Assert.Single(onboarding, t => t.Events.Count > 0).Events);

        // Without a speak rule nothing an event can do leaves a member at risk with nothing overdue when the grace ends.
        Assert.DoesNotContain(LifecycleGraph.For(new LifecyclePolicy { NicknamePattern = "x" }).Transitions, t => t.Trigger.Contains("nothing overdue", StringComparison.Ordinal));
        Assert.Equal(["removal"], graph.Transitions.Single(t => t.From == MemberState.AtRisk && t.To == MemberState.Removed && t.Deadlines.Count > 0).Deadlines);
    }

    [Fact]
    public void Graph_FollowsThePolicy_BanDurationAndRejoinMode()
    {
        var policy = new LifecyclePolicy { NicknamePattern = "x", RejoinBan = TimeSpan.FromDays(30), RejoinAfterLeaving = RejoinMode.Active };
        var triggers = LifecycleGraph.For(policy).Transitions.Select(t => $"{t.From}->{t.To}: {t.Trigger}").ToList();

        Assert.Contains("Removed->Removed: joined (banned within 30d): removal", triggers);
        Assert.Contains("Removed->Onboarding: joined (ban over)", triggers);
        Assert.Contains("Left->Active: joined (rejoin)", triggers);
        Assert.DoesNotContain(triggers, t => t.Contains("inactive", StringComparison.Ordinal));

        var noBan = LifecycleGraph.For(new LifecyclePolicy { RejoinBan = TimeSpan.Zero }).Transitions;
        Assert.DoesNotContain(noBan, t => t.From == MemberState.Removed && t.To == MemberState.Removed);
    }

    [Fact]
    public void Dot_EscapesQuotesInLabels()
    {
        var policy = new LifecyclePolicy { SpeakEveryDays = 2 };
        policy.RequiredTasks.Add(new LifecycleTask { Id = "say \"hi\"", Within = TimeSpan.FromMinutes(90) });
        Assert.Contains("[label=\"deadline: task say \\\"hi\\\" (90m)\"]", LifecycleGraph.For(policy).ToDot(), StringComparison.Ordinal);
    }
}
