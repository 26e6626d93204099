namespace CommunityFunnel.Events;

/// <summary>Maps <see cref="EventType"/>, <see cref="MemberRole"/> and <see cref="ChannelAttribution"/> to and from their wire names.</summary>
public static class EventTypeNames
{
    private static readonly string[] TypeNames =
    [
        "joined", "left", "removed", "message", "checkin", "task_submitted",
        "task_approved", "task_rejected", "lottery_entered", "order", "nickname_changed", "invite_viewed",
    ];

    private static readonly string[] RoleNames = ["member", "staff", "bot"];

    private static readonly string[] AttributionNames = ["exact", "inferred", "unknown"];

    /// <summary>The wire name of <paramref name="type"/>, e.g. <c>task_submitted</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined value.</exception>
    public static string ToWireName(this EventType type)
    {
        var i = (int)type;
        if ((uint)i >= (uint)TypeNames.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Not a defined event type.");
        }

        return TypeNames[i];
    }

    /// <summary>The wire name of <paramref name="role"/>: <c>member</c>, <c>staff</c> or <c>bot</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> is not a defined value.</exception>
    public static string ToWireName(this MemberRole role)
    {
        var i = (int)role;
        if ((uint)i >= (uint)RoleNames.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "Not a defined member role.");
        }

        return RoleNames[i];
    }

    /// <summary>The wire name of <paramref name="attribution"/>: <c>exact</c>, <c>inferred</c> or <c>unknown</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attribution"/> is not a defined value.</exception>
    public static string ToWireName(this ChannelAttribution attribution)
    {
        var i = (int)attribution;
        if ((uint)i >= (uint)AttributionNames.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(attribution), attribution, "Not a defined channel attribution.");
        }

        return AttributionNames[i];
    }

    /// <summary>Parses an attribution's wire name (exact, case-sensitive).</summary>
    public static bool TryParseAttribution(ReadOnlySpan<char> name, out ChannelAttribution attribution)
    {
        for (var i = 0; i < AttributionNames.Length; i++)
        {
            if (name.SequenceEqual(AttributionNames[i]))
            {
                attribution = (ChannelAttribution)i;
                return true;
            }
        }

        attribution = default;
        return false;
    }

    /// <summary>Parses an event type's wire name (exact, case-sensitive).</summary>
    public static bool TryParseType(ReadOnlySpan<char> name, out EventType type)
    {
        for (var i = 0; i < TypeNames.Length; i++)
        {
            if (name.SequenceEqual(TypeNames[i]))
            {
                type = (EventType)i;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>Parses a role's wire name (exact, case-sensitive).</summary>
    public static bool TryParseRole(ReadOnlySpan<char> name, out MemberRole role)
    {
        for (var i = 0; i < RoleNames.Length; i++)
        {
            if (name.SequenceEqual(RoleNames[i]))
            {
                role = (MemberRole)i;
                return true;
            }
        }

        role = default;
        return false;
    }
}
