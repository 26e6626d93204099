namespace CommunityFunnel.Simulation;

/// <summary>
/// Who one member is, decided when they join: times are sim seconds (whole seconds since the first local
/// midnight); <see cref="int.MaxValue"/> means never. Day fields are days after the join day.
/// </summary>
internal struct MemberPlan
{
    public const byte RemovedFlag = 1;
    public const byte BuyerFlag = 2;
    public const byte StreakerFlag = 4;
    public const byte SecondNicknameFlag = 8;
    public const byte SpammerFlag = 16;
    public const byte ActivatedFlag = 32;
    public const byte NoDay = byte.MaxValue;

    /// <summary>First join.</summary>
    public int JoinSec;

    /// <summary>Leaves (or is removed); <see cref="int.MaxValue"/> if staying.</summary>
    public int LeaveSec;

    /// <summary>Joins again; <see cref="int.MaxValue"/> if not.</summary>
    public int RejoinSec;

    /// <summary>Earliest qualifying activity (message, check-in, task, lottery, order); MaxValue: never.</summary>
    public int FirstActiveSec;

    /// <summary>After this, no more chat, tasks or lotteries.</summary>
    public int SilentSec;

    /// <summary>The simulated day of the first join.</summary>
    public short JoinDay;

    /// <summary>Group index.</summary>
    public short Group;

    /// <summary>Index in <see cref="ChannelProfile.All"/> of the first join.</summary>
    public byte Channel;

    /// <summary>Index in <see cref="ChannelProfile.All"/> of the rejoin.</summary>
    public byte RejoinChannel;

    /// <summary>Flags (<see cref="RemovedFlag"/>, ...).</summary>
    public byte Flags;

    /// <summary>Messages per active day, in tenths.</summary>
    public byte Engagement;

    /// <summary>First day of the check-in streak.</summary>
    public byte StreakStart;

    /// <summary>Length of the check-in streak, days.</summary>
    public byte StreakLength;

    /// <summary>Day of the first order (buyers).</summary>
    public byte FirstOrderDay;

    /// <summary>Day the nickname is set, or <see cref="NoDay"/>.</summary>
    public byte NicknameDay;

    /// <summary>Day the sign-up form is submitted, or <see cref="NoDay"/>.</summary>
    public byte SignupDay;

    public readonly bool Has(byte flag) => (Flags & flag) != 0;

    /// <summary>Whether the member is in the group at <paramref name="sec"/>.</summary>
    public readonly bool Present(int sec) => (sec >= JoinSec && sec < LeaveSec) || sec >= RejoinSec;
}
