using System.Runtime.InteropServices;

namespace CommunityFunnel.Members;

/// <summary>
/// The state of one member in one group as plain values (UTC ticks, 0 = none): what the pure transition
/// function reads and writes. No allocation is needed to update it.
/// </summary>
/// <remarks>
/// Laid out by hand: everything an activity event of a member in good standing touches (the watermark ids, the
/// watermark, the next deadline, the last activity, state and flags) sits in the first 64 bytes, so the hot path
/// reads one cache line per event (two at worst, depending on the element's alignment).
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct MemberData
{
    /// <summary>Ids of the events applied at exactly <see cref="Watermark"/>: two inline, more in an overflow array (null-terminated).</summary>
    [FieldOffset(0)] public string? Recent0;
    [FieldOffset(8)] public string? Recent1;
    [FieldOffset(16)] public string?[]? RecentMore;

    /// <summary>The latest instant applied (event or deadline): an event before it is "old".</summary>
    [FieldOffset(24)] public long Watermark;

    /// <summary>A lower bound of the next instant something may fall due; 0 = nothing.</summary>
    [FieldOffset(32)] public long NextDeadline;
    [FieldOffset(40)] public long LastActivityAt;

    /// <summary>When the member was first seen at all; 0 = no such member yet.</summary>
    [FieldOffset(48)] public long FirstSeenAt;
    [FieldOffset(56)] public MemberState State;
    [FieldOffset(57)] public MemberFlags Flags;
    [FieldOffset(58)] public LifecycleReason RiskReason;
    [FieldOffset(59)] public sbyte RiskTask;
    [FieldOffset(60)] public ushort PolicyIndex;

    [FieldOffset(64)] public long FirstActivityAt;

    /// <summary>First join seen (the funnel milestone).</summary>
    [FieldOffset(72)] public long JoinedAt;

    /// <summary>Latest join seen: onboarding and task deadlines count from it.</summary>
    [FieldOffset(80)] public long LastJoinAt;
    [FieldOffset(88)] public long ConvertedAt;
    [FieldOffset(96)] public long RemovedAt;
    [FieldOffset(104)] public long RemovalDeadline;
    [FieldOffset(112)] public int TasksSubmitted;
    [FieldOffset(116)] public int TasksApproved;
    [FieldOffset(120)] public int TasksRejected;

    public readonly bool Has(MemberFlags flag) => (Flags & flag) != 0;

    /// <summary>Whether every field equals <paramref name="other"/>'s (the watermark ids by reference: an apply that changes nothing keeps them).</summary>
    public readonly bool SameAs(in MemberData other) =>
        ReferenceEquals(Recent0, other.Recent0) && ReferenceEquals(Recent1, other.Recent1) && ReferenceEquals(RecentMore, other.RecentMore)
        && Watermark == other.Watermark && NextDeadline == other.NextDeadline && LastActivityAt == other.LastActivityAt
        && FirstSeenAt == other.FirstSeenAt && State == other.State && Flags == other.Flags && RiskReason == other.RiskReason
        && RiskTask == other.RiskTask && PolicyIndex == other.PolicyIndex && FirstActivityAt == other.FirstActivityAt
        && JoinedAt == other.JoinedAt && LastJoinAt == other.LastJoinAt && ConvertedAt == other.ConvertedAt && RemovedAt == other.RemovedAt
        && RemovalDeadline == other.RemovalDeadline && TasksSubmitted == other.TasksSubmitted && TasksApproved == other.TasksApproved
        && TasksRejected == other.TasksRejected;

    public readonly bool IsPresent => State is MemberState.Onboarding or MemberState.Active or MemberState.AtRisk;

    public readonly bool SeenAtWatermark(string id)
    {
        if (Recent0 is null)
        {
            return false;
        }

        if (string.Equals(Recent0, id, StringComparison.Ordinal) || string.Equals(Recent1, id, StringComparison.Ordinal))
        {
            return true;
        }

        if (RecentMore is { } more)
        {
            foreach (var seen in more)
            {
                if (seen is null)
                {
                    break;
                }

                if (string.Equals(seen, id, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Moves the watermark to <paramref name="ticks"/> (forgetting older ids) and remembers <paramref name="id"/>.</summary>
    public void Mark(long ticks, string? id)
    {
        if (ticks > Watermark)
        {
            Watermark = ticks;
            Recent0 = id;
            if (Recent1 is not null)
            {
                Recent1 = null;
            }

            if (RecentMore is not null)
            {
                RecentMore = null;
            }

            return;
        }

        if (id is null)
        {
            return;
        }

        if (Recent0 is null)
        {
            Recent0 = id;
            return;
        }

        if (Recent1 is null)
        {
            Recent1 = id;
            return;
        }

        var more = RecentMore ??= new string?[4];
        var at = Array.IndexOf(more, null);
        if (at < 0)
        {
            at = more.Length;
            Array.Resize(ref more, more.Length * 2);
            RecentMore = more;
        }

        more[at] = id;
    }

    /// <summary>The ids remembered at the watermark.</summary>
    public readonly string[] RecentIds()
    {
        var ids = new List<string>();
        if (Recent0 is not null)
        {
            ids.Add(Recent0);
        }

        if (Recent1 is not null)
        {
            ids.Add(Recent1);
        }

        if (RecentMore is { } more)
        {
            foreach (var id in more)
            {
                if (id is null)
                {
                    break;
                }

                ids.Add(id);
            }
        }

        return [.. ids];
    }
}
