namespace CommunityFunnel.Rewards;

/// <summary>What the unit part of a grant key names: <c>|d:</c>, <c>|s:</c> and <c>|p:</c> a date or period, <c>|e:</c> an event, <c>|first</c> nothing.</summary>
internal enum RewardGrantUnit : byte
{
    /// <summary><c>|d:yyyy-MM-dd</c>: a check-in day.</summary>
    Day,

    /// <summary><c>|s:yyyy-MM-dd</c>: the day a streak reached a multiple of its length.</summary>
    Streak,

    /// <summary><c>|p:</c> and the rule's period key (<c>yyyy-MM-dd</c>, <c>wyyyy-MM-dd</c>, <c>yyyy-MM</c> or <c>ever</c>).</summary>
    Period,

    /// <summary><c>|e:</c> and the triggering event's id.</summary>
    Event,

    /// <summary><c>|first</c>: once per member.</summary>
    First,
}
