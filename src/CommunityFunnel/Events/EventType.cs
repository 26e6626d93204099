using System.Text.Json.Serialization;

namespace CommunityFunnel.Events;

/// <summary>The kinds of event in a community event log (event-log/v1).</summary>
/// <remarks>The wire names are the snake_case names of the spec: see <see cref="EventTypeNames"/>.</remarks>
[JsonConverter(typeof(JsonStringEnumConverter<EventType>))]
public enum EventType
{
    /// <summary><c>joined</c>: a member entered a group.</summary>
    Joined,

    /// <summary><c>left</c>: a member left a group by themselves.</summary>
    Left,

    /// <summary><c>removed</c>: a member was removed from a group by an admin or by a rule.</summary>
    Removed,

    /// <summary><c>message</c>: a member spoke in the group.</summary>
    Message,

    /// <summary><c>checkin</c>: a member checked in for a task (carries <c>task</c>).</summary>
    Checkin,

    /// <summary><c>task_submitted</c>: a member submitted a task (a share screenshot, a form).</summary>
    TaskSubmitted,

    /// <summary><c>task_approved</c>: a reviewer approved a submitted task.</summary>
    TaskApproved,

    /// <summary><c>task_rejected</c>: a reviewer rejected a submitted task.</summary>
    TaskRejected,

    /// <summary><c>lottery_entered</c>: a member entered a lottery.</summary>
    LotteryEntered,

    /// <summary><c>order</c>: a member placed an order (carries <c>amount</c> in minor units).</summary>
    Order,

    /// <summary><c>nickname_changed</c>: a member set a new group nickname (carries <c>nickname</c>).</summary>
    NicknameChanged,

    /// <summary>
    /// <c>invite_viewed</c> (event-log/v1.1): someone scanned a poster's QR code or opened an invite link of a group,
    /// before any join. <see cref="CommunityEvent.Member"/> holds the anonymous visitor id and
    /// <see cref="CommunityEvent.Channel"/> (required) the poster or link. It is not a member's event: the lifecycle
    /// and rewards ignore it; the funnel counts its distinct visitors as attracted.
    /// </summary>
    InviteViewed,
}
