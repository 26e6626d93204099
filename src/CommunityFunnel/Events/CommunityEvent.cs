namespace CommunityFunnel.Events;

/// <summary>
/// One immutable event of the community event log (event-log/v1): something a member did or had done to them
/// in a group, at an instant.
/// </summary>
/// <remarks>
/// The constructor enforces the spec's per-type rules: <see cref="Task"/> is required on <c>checkin</c> and
/// <c>task_*</c>, <see cref="Amount"/> on <c>order</c>, <see cref="Nickname"/> on <c>nickname_changed</c>, a
/// non-empty <see cref="Channel"/> on <c>invite_viewed</c> (event-log/v1.1).
/// Fields the spec marks "optional" are <see langword="null"/> when absent. <see cref="At"/> keeps the offset it
/// was written with; compare instants with <see cref="AtUtcTicks"/> or <see cref="DateTimeOffset.UtcDateTime"/>.
/// </remarks>
public sealed record CommunityEvent
{
    /// <summary>Creates an event, checking the spec's rules for its type.</summary>
    /// <param name="id">Unique event id; a later event with the same id is a duplicate.</param>
    /// <param name="type">What happened.</param>
    /// <param name="group">The group (chat) id.</param>
    /// <param name="member">The member id within the platform; on <c>invite_viewed</c> the anonymous visitor id.</param>
    /// <param name="at">When it happened, with the offset it was reported in; from <see cref="MinAt"/> to <see cref="MaxAt"/>.</param>
    /// <param name="channel">Where a joining member came from (<c>joined</c>), or the poster or link viewed (required on <c>invite_viewed</c>).</param>
    /// <param name="role">Who a joining member is (<c>joined</c> only; absent means <see cref="MemberRole.Member"/>).</param>
    /// <param name="by">Who caused it: the inviter, the removing admin, the reviewer.</param>
    /// <param name="task">The task id (required on <c>checkin</c> and <c>task_*</c>).</param>
    /// <param name="amount">Order amount in minor units, from 0 to <see cref="MaxAmount"/> (required on <c>order</c>).</param>
    /// <param name="currency">ISO 4217 code of an order.</param>
    /// <param name="nickname">The new group nickname (required on <c>nickname_changed</c>).</param>
    /// <param name="attribution">How sure the source is of <paramref name="channel"/> (event-log/v1.1).</param>
    /// <param name="scene">The platform's own code for how it happened, kept raw (event-log/v1.1), e.g. <c>wecom:join_scene=3</c>.</param>
    /// <exception cref="ArgumentException">A rule of the spec is broken; the message names the field.</exception>
    public CommunityEvent(
        string id,
        EventType type,
        string group,
        string member,
        DateTimeOffset at,
        string? channel = null,
        MemberRole? role = null,
        string? by = null,
        string? task = null,
        long? amount = null,
        string? currency = null,
        string? nickname = null,
        ChannelAttribution? attribution = null,
        string? scene = null)
    {
        RequireText(id, nameof(id));
        RequireText(group, nameof(group));
        RequireText(member, nameof(member));
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Not a defined event type.");
        }

        if (role is { } r && !Enum.IsDefined(r))
        {
            throw new ArgumentOutOfRangeException(nameof(role), r, "Not a defined member role.");
        }

        if (attribution is { } a && !Enum.IsDefined(a))
        {
            throw new ArgumentOutOfRangeException(nameof(attribution), a, "Not a defined channel attribution.");
        }

        if (RequiresTask(type) && string.IsNullOrEmpty(task))
        {
            throw new ArgumentException($"A '{type.ToWireName()}' event requires a non-empty 'task'.", nameof(task));
        }

        if (type == EventType.Order && amount is null)
        {
            throw new ArgumentException("An 'order' event requires 'amount' (integer, minor units).", nameof(amount));
        }

        if (at < MinAt || at > MaxAt)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, $"'at' must be from {MinAt:O} to {MaxAt:O}.");
        }

        if (amount is < 0 or > MaxAmount)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, $"'amount' must be from 0 to {MaxAmount} (2^53 - 1) minor units.");
        }

        if (type == EventType.InviteViewed && string.IsNullOrEmpty(channel))
        {
            throw new ArgumentException("An 'invite_viewed' event requires a non-empty 'channel'.", nameof(channel));
        }

        if (type == EventType.NicknameChanged && nickname is null)
        {
            throw new ArgumentException("A 'nickname_changed' event requires 'nickname'.", nameof(nickname));
        }

        Id = id;
        Type = type;
        Group = group;
        Member = member;
        At = at;
        Channel = channel;
        Role = role;
        By = by;
        Task = task;
        Amount = amount;
        Currency = currency;
        Nickname = nickname;
        Attribution = attribution;
        Scene = scene;
    }

    /// <summary>Unique event id.</summary>
    public string Id { get; }

    /// <summary>What happened.</summary>
    public EventType Type { get; }

    /// <summary>The group (chat) id.</summary>
    public string Group { get; }

    /// <summary>The member id within the platform.</summary>
    public string Member { get; }

    /// <summary>When it happened, with the offset it was reported in.</summary>
    public DateTimeOffset At { get; }

    /// <summary>The instant of <see cref="At"/> as UTC ticks: the value to compare and order by.</summary>
    public long AtUtcTicks => At.UtcTicks;

    /// <summary>Where a joining member came from: a poster, an official account, an in-store QR, an invite link name.</summary>
    public string? Channel { get; }

    /// <summary>The role given on a <c>joined</c> event, or <see langword="null"/> when absent.</summary>
    public MemberRole? Role { get; }

    /// <summary>The role to act on: <see cref="Role"/>, or <see cref="MemberRole.Member"/> when absent.</summary>
    public MemberRole EffectiveRole => Role ?? MemberRole.Member;

    /// <summary>Who caused it: the inviter of a join, the admin of a removal, the reviewer of a task.</summary>
    public string? By { get; }

    /// <summary>The task id on <c>checkin</c> and <c>task_*</c> events.</summary>
    public string? Task { get; }

    /// <summary>
    /// The earliest <see cref="At"/> this library accepts, 0001-01-03T00:00:00Z: two days inside the calendar, so
    /// the local day, week and month of an event exist in every time zone.
    /// </summary>
    public static readonly DateTimeOffset MinAt = new(1, 1, 3, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The latest <see cref="At"/> this library accepts, 9999-12-29T00:00:00Z (see <see cref="MinAt"/>).</summary>
    public static readonly DateTimeOffset MaxAt = new(9999, 12, 29, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The largest order <see cref="Amount"/> this library accepts: 2^53 - 1 minor units, the largest integer every
    /// JSON reader holds exactly. Event-log/v1 sets no upper bound; this is the library's own limit, so that any
    /// total of amounts is exact and no order can overflow the arithmetic behind it.
    /// </summary>
    public const long MaxAmount = (1L << 53) - 1;

    /// <summary>Order amount in the currency's minor unit (fen, cents), from 0 to <see cref="MaxAmount"/>.</summary>
    public long? Amount { get; }

    /// <summary>ISO 4217 currency code of an order.</summary>
    public string? Currency { get; }

    /// <summary>The new group nickname on <c>nickname_changed</c>.</summary>
    public string? Nickname { get; }

    /// <summary>
    /// How sure the source is of <see cref="Channel"/> (the <c>attribution</c> field of event-log/v1.1), or
    /// <see langword="null"/> when the line does not say (every event-log/v1 line).
    /// </summary>
    public ChannelAttribution? Attribution { get; }

    /// <summary>
    /// The attribution to report: <see cref="Attribution"/>, or when absent <see cref="ChannelAttribution.Exact"/> for
    /// an event with a channel (a v1 log states its channels as facts) and <see cref="ChannelAttribution.Unknown"/>
    /// for one without.
    /// </summary>
    public ChannelAttribution EffectiveAttribution => Attribution ?? (Channel is null ? ChannelAttribution.Unknown : ChannelAttribution.Exact);

    /// <summary>
    /// The platform's own code for how it happened, kept raw next to the mapped event (the <c>scene</c> field of
    /// event-log/v1.1): e.g. <c>wecom:join_scene=3</c>, <c>telegram:left-&gt;member</c>, <c>discord:did_rejoin</c>.
    /// </summary>
    public string? Scene { get; }

    /// <summary>
    /// The coupon code an <c>order</c> redeemed (the optional <c>coupon</c> field, this project's addition to
    /// event-log/v1, see docs/event-log.md): links the order to the rule or draw the coupon came from. Readers of
    /// plain event-log/v1 ignore it as an unknown field.
    /// </summary>
    public string? CouponCode { get; init; }

    /// <summary>Whether the spec requires <c>task</c> on events of <paramref name="type"/>.</summary>
    public static bool RequiresTask(EventType type) =>
        type is EventType.Checkin or EventType.TaskSubmitted or EventType.TaskApproved or EventType.TaskRejected;

    private static void RequireText(string value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"'{name}' must be a non-empty string.", name);
        }
    }
}
