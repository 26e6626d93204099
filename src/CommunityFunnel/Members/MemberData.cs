namespace CommunityFunnel.Members;

/// <summary>
/// The state of one member in one group as plain values (UTC ticks, 0 = none): what the pure transition
/// function reads and writes. No allocation is needed to update it.
/// </summary>
internal struct MemberData
{
    public MemberState State;
    public MemberFlags Flags;
    public LifecycleReason RiskReason;
    public sbyte RiskTask;
    public int TasksSubmitted;
    public int TasksApproved;
    public int TasksRejected;

    /// <summary>First join seen (the funnel milestone).</summary>
    public long JoinedAt;

    /// <summary>Latest join seen: onboarding and task deadlines count from it.</summary>
    public long LastJoinAt;

    /// <summary>When the member was first seen at all.</summary>
    public long FirstSeenAt;
    public long FirstActivityAt;
    public long LastActivityAt;
    public long ConvertedAt;
    public long RemovedAt;
    public long RemovalDeadline;

    /// <summary>The latest instant applied (event or deadline): an event before it is "old".</summary>
    public long Watermark;

    /// <summary>A lower bound of the next instant something may fall due; 0 = nothing.</summary>
    public long NextDeadline;

    /// <summary>Ids of the events applied at exactly <see cref="Watermark"/> (two inline, more in an overflow array).</summary>
    public string? Recent0;
    public string? Recent1;
    public string[]? RecentMore;
    public int RecentCount;

    public readonly bool Has(MemberFlags flag) => (Flags & flag) != 0;

    public readonly bool IsPresent => State is MemberState.Onboarding or MemberState.Active or MemberState.AtRisk;

    public readonly bool SeenAtWatermark(string id)
    {
        if (RecentCount == 0)
        {
            return false;
        }

        if (string.Equals(Recent0, id, StringComparison.Ordinal) || string.Equals(Recent1, id, StringComparison.Ordinal))
        {
            return true;
        }

        if (RecentMore is { } more)
        {
            for (var i = 0; i < RecentCount - 2; i++)
            {
                if (string.Equals(more[i], id, StringComparison.Ordinal))
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
            Recent0 = null;
            Recent1 = null;
            RecentMore = null;
            RecentCount = 0;
        }

        if (id is null)
        {
            return;
        }

        switch (RecentCount)
        {
            case 0: Recent0 = id; break;
            case 1: Recent1 = id; break;
            default:
                var more = RecentMore ?? new string[4];
                var at = RecentCount - 2;
                if (at == more.Length)
                {
                    Array.Resize(ref more, more.Length * 2);
                }

                more[at] = id;
                RecentMore = more;
                break;
        }

        RecentCount++;
    }

    /// <summary>The ids remembered at the watermark.</summary>
    public readonly string[] RecentIds()
    {
        var ids = new string[RecentCount];
        for (var i = 0; i < RecentCount; i++)
        {
            ids[i] = i switch
            {
                0 => Recent0!,
                1 => Recent1!,
                _ => RecentMore![i - 2],
            };
        }

        return ids;
    }
}
