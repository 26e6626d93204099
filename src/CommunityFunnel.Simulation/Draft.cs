using CommunityFunnel.Events;

namespace CommunityFunnel.Simulation;

/// <summary>
/// An event before it is written: compact, with the instant it happened (<see cref="At"/>) and the instant the
/// platform reports it (<see cref="Emit"/>, later for delayed callbacks and retried duplicates). The id is a
/// function of <see cref="Seq"/>, so a duplicate (same <see cref="Seq"/>) repeats its id.
/// </summary>
internal struct Draft
{
    public const byte UtcFlag = 1;
    public const byte ExplicitMemberRole = 2;
    public const byte StaffRole = 4;
    public const byte BotRole = 8;

    /// <summary>When the line is written, UTC ticks; the log is ordered by (<see cref="Emit"/>, <see cref="Seq"/>).</summary>
    public long Emit;

    /// <summary>When it happened, UTC ticks.</summary>
    public long At;

    /// <summary>Generation sequence number: unique per event, shared by its duplicate.</summary>
    public long Seq;

    /// <summary>The actor (see <see cref="ActorIds"/>).</summary>
    public int Actor;

    /// <summary>The <c>by</c> actor, or -1.</summary>
    public int By;

    /// <summary>Type-specific: channel index (joined), task index, amount (order), nickname code.</summary>
    public int Aux;

    /// <summary>The anonymous visitor number of an <c>invite_viewed</c> event.</summary>
    public ulong Visitor;

    /// <summary>Group index.</summary>
    public short Group;

    /// <summary>The event type.</summary>
    public EventType Type;

    /// <summary>Flags: <see cref="UtcFlag"/>, role flags.</summary>
    public byte Flags;

    /// <summary>Orders drafts by (<see cref="Emit"/>, <see cref="Seq"/>).</summary>
    internal readonly struct EmitOrder : IComparer<Draft>
    {
        public int Compare(Draft x, Draft y)
        {
            var c = x.Emit.CompareTo(y.Emit);
            return c != 0 ? c : x.Seq.CompareTo(y.Seq);
        }
    }
}
