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
            [*] --> active : activity (joined before tracking)
            [*] --> left : left (joined before tracking)
            [*] --> removed : removed (joined before tracking)
            onboarding --> active : nickname_changed (matches)
            onboarding --> at_risk : deadline - nickname (24h)
            active --> at_risk : nickname_changed (no longer matches)
            onboarding --> at_risk : deadline - task share (48h)
            active --> at_risk : deadline - task share (48h)
            onboarding --> at_risk : deadline - inactive (3d)
            active --> at_risk : deadline - inactive (3d)
            active --> at_risk : task_rejected (past deadline)
            at_risk --> active : requirement met
            at_risk --> removed : deadline - warning (48h)
            onboarding --> left : left
            onboarding --> removed : removed
            active --> left : left
            active --> removed : removed
            at_risk --> left : left
            at_risk --> removed : removed
            left --> removed : removed
            left --> onboarding : joined (rejoin)
            removed --> removed : joined (banned forever) - removal
            left --> active : joined (staff, bot or allow-listed)
            removed --> active : joined (staff, bot or allow-listed)
        """ + "\n";
        Assert.Equal(expected, LifecycleGraph.For(LifecycleTestKit.SeedPolicy()).ToMermaid());
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
            [*] --> active : activity (joined before tracking)
            [*] --> left : left (joined before tracking)
            [*] --> removed : removed (joined before tracking)
            active --> left : left
            active --> removed : removed
            left --> removed : removed
            left --> active : joined (rejoin)
            removed --> removed : joined (banned forever) - removal
            left --> active : joined (staff, bot or allow-listed)
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
            start -> active [label="activity (joined before tracking)"];
            start -> left [label="left (joined before tracking)"];
            start -> removed [label="removed (joined before tracking)"];
            active -> left [label="left"];
            active -> removed [label="removed"];
            left -> removed [label="removed"];
            left -> active [label="joined (rejoin)"];
            removed -> removed [label="joined (banned forever): removal"];
            left -> active [label="joined (staff, bot or allow-listed)"];
            removed -> active [label="joined (staff, bot or allow-listed)"];
        }
        """ + "\n";
        Assert.Equal(expected, LifecycleGraph.For(new LifecyclePolicy()).ToDot());
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
