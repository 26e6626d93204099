using System.Globalization;
using System.Text.Json;
using CommunityFunnel.Events;
using static CommunityFunnel.Platforms.PayloadJson<CommunityFunnel.Discord.DiscordJson>;
using static CommunityFunnel.Discord.DiscordJson;

namespace CommunityFunnel.Discord;

/// <summary>
/// Maps Discord gateway dispatch payloads (<c>{"op":0,"t":...,"s":...,"d":{...}}</c>, as the host's gateway connection
/// receives them) to event-log/v1.1 events. Pure and thread-safe apart from the clock a <c>GUILD_MEMBER_REMOVE</c>
/// without <see cref="DiscordDelivery.ReceivedAt"/> is dated by; the mapper never calls Discord.
/// </summary>
/// <remarks>
/// <para>The event's <c>group</c> is the guild id, <c>member</c> the user id. <c>GUILD_MEMBER_ADD</c> is <c>joined</c> at
/// <c>joined_at</c>, unless <c>pending</c> is true (membership screening): a pending member is not a join yet, and the
/// later <c>GUILD_MEMBER_UPDATE</c> with <c>pending</c> false is the join (dated <c>joined_at</c> too: Discord does not
/// say when screening was passed). <c>GUILD_MEMBER_REMOVE</c> is <c>left</c>: the gateway does not tell a leave from a
/// kick; with the host's <see cref="DiscordKickHint"/> from the audit log it is <c>removed</c>.
/// <c>MESSAGE_CREATE</c> in a guild is <c>message</c>, or <c>task_submitted</c> when it has an attachment and a
/// configured hashtag in its content or is in a configured task channel.</para>
/// <para>The gateway names no invite: a join's channel comes from <see cref="Attribute"/>, an invite use-count diff the
/// host supplies, with its confidence kept on the event.</para>
/// </remarks>
public sealed class DiscordGatewayMapper
{
    /// <summary>The channel of a join no invite can be attributed to.</summary>
    public const string UnknownChannel = "unknown";

    /// <summary>The longest payload read, in characters (1 MiB); a longer one is <see cref="DiscordError.PayloadTooLarge"/>.</summary>
    public const int MaxPayloadLength = 1 << 20;

    /// <summary>The guild member flag <c>DID_REJOIN</c> (<c>1 &lt;&lt; 0</c>): the member has left and rejoined the guild.</summary>
    public const long DidRejoinFlag = 1L << 0;

    private readonly Dictionary<string, string> _inviteChannels;
    private readonly Dictionary<string, string> _hashtags;
    private readonly Dictionary<string, string> _taskChannels;
    private readonly TimeProvider _time;

    /// <summary>Creates a mapper.</summary>
    /// <param name="options">The host's invite channels and tasks; none by default.</param>
    /// <param name="timeProvider">The clock a <c>GUILD_MEMBER_REMOVE</c> is dated by when the host passes no
    /// <see cref="DiscordDelivery.ReceivedAt"/>; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentException">A channel name, hashtag or task id is empty.</exception>
    public DiscordGatewayMapper(DiscordMapperOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new DiscordMapperOptions();
        _time = timeProvider ?? TimeProvider.System;
        _inviteChannels = Copy(options.InviteChannels, StringComparer.Ordinal, "invite code", k => k);
        _hashtags = Copy(options.TaskHashtags, StringComparer.OrdinalIgnoreCase, "task hashtag", k => k.TrimStart('#'));
        _taskChannels = Copy(options.TaskChannels, StringComparer.Ordinal, "task channel", k => k);
    }

    private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string>? map, StringComparer comparer, string what, Func<string, string> key)
    {
        var copy = new Dictionary<string, string>(comparer);
        foreach (var (k, v) in map ?? new Dictionary<string, string>())
        {
            var normal = key(k ?? "");
            if (normal.Length == 0 || string.IsNullOrEmpty(v))
            {
                throw new ArgumentException($"The {what} '{k}' or its value is empty.", "options");
            }

            copy[normal] = v;
        }

        return copy;
    }

    /// <summary>
    /// Works out a join's channel from the invite use counts the host fetched (<c>GET /guilds/{id}/invites</c>, each
    /// invite's <c>code</c> and <c>uses</c>; add the vanity URL's code and uses if the guild has one) before and after
    /// the joins. The rule, "one rise is exact, otherwise the largest rise":
    /// <list type="bullet">
    /// <item>exactly one invite's count rose, by exactly <paramref name="joins"/>, and none vanished: <c>exact</c>, that invite;</item>
    /// <item>several rose, or the rises add up to more or fewer than <paramref name="joins"/>, or one also vanished:
    /// <c>inferred</c>, the invite that rose the most (ties: the smallest code in ordinal order);</item>
    /// <item>none rose but some vanished (an invite is deleted when it reaches <c>max_uses</c>, or when it expires):
    /// <c>inferred</c>, the smallest vanished code;</item>
    /// <item>nothing changed (Server Discovery, a bot adding the user, an invite the host cannot see): <c>unknown</c>.</item>
    /// </list>
    /// An invite new since <paramref name="usesBefore"/> counts from 0.
    /// </summary>
    /// <param name="usesBefore">Uses by invite code before the joins.</param>
    /// <param name="usesAfter">Uses by invite code after them.</param>
    /// <param name="joins">How many joins happened between the two snapshots (1 when the host diffs on every join).</param>
    /// <exception cref="ArgumentOutOfRangeException">A use count is negative, or <paramref name="joins"/> is less than 1.</exception>
    public DiscordJoinAttribution Attribute(IReadOnlyDictionary<string, int> usesBefore, IReadOnlyDictionary<string, int> usesAfter, int joins = 1)
    {
        ArgumentNullException.ThrowIfNull(usesBefore);
        ArgumentNullException.ThrowIfNull(usesAfter);
        ArgumentOutOfRangeException.ThrowIfLessThan(joins, 1);
        foreach (var (code, uses) in usesBefore.Concat(usesAfter))
        {
            if (uses < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(usesAfter), uses, $"Invite '{code}' has a negative use count.");
            }
        }

        string? top = null;
        long topRise = 0, total = 0;
        var rose = 0;
        foreach (var (code, after) in usesAfter)
        {
            long rise = after - (usesBefore.TryGetValue(code, out var before) ? before : 0);
            if (rise <= 0)
            {
                continue;
            }

            rose++;
            total += rise;
            if (rise > topRise || (rise == topRise && string.CompareOrdinal(code, top) < 0))
            {
                (top, topRise) = (code, rise);
            }
        }

        string? vanished = null;
        foreach (var code in usesBefore.Keys)
        {
            if (!usesAfter.ContainsKey(code) && (vanished is null || string.CompareOrdinal(code, vanished) < 0))
            {
                vanished = code;
            }
        }

        if (top is not null)
        {
            var exact = rose == 1 && total == joins && vanished is null;
            return new(ChannelOf(top), exact ? ChannelAttribution.Exact : ChannelAttribution.Inferred, top);
        }

        return vanished is not null
            ? new(ChannelOf(vanished), ChannelAttribution.Inferred, vanished)
            : DiscordJoinAttribution.Unknown;
    }

    private string ChannelOf(string code) => _inviteChannels.TryGetValue(code, out var channel) ? channel : code;

    /// <summary>
    /// Maps one gateway payload. Ids: a join <c>discord:GUILD:USER:jJOINED_AT</c> (<c>joined_at</c> in Unix
    /// microseconds: the same for the ADD and every later UPDATE of that membership, and new for a rejoin); a removal
    /// <c>discord:GUILD:USER:remove:SESSION:sSEQ</c>; a message <c>discord:GUILD:mMESSAGE_ID</c>.
    /// </summary>
    /// <param name="payload">The payload's JSON, as received.</param>
    /// <param name="delivery">What the host knows besides: the join's attribution, an audit-log kick, the session and
    /// the time received.</param>
    /// <exception cref="DiscordException">Too long, not a JSON object, or a field the mapping needs missing or of the
    /// wrong type; <see cref="DiscordException.Field"/> names it.</exception>
    public DiscordMappingResult Map(string payload, DiscordDelivery? delivery = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Length > MaxPayloadLength)
        {
            throw new DiscordException(DiscordError.PayloadTooLarge, null, $"The payload is {payload.Length} characters long; at most {MaxPayloadLength} are read.");
        }

        using var document = Parse(payload);
        var root = document.RootElement;
        var op = Long(root, "op", "");
        var type = OptionalString(root, "t", "");
        if (op != 0 || type is null)
        {
            return new(DiscordDispatchKind.Other, []);
        }

        delivery ??= new DiscordDelivery();
        switch (type)
        {
            case "GUILD_MEMBER_ADD":
                var add = Object(root, "d", "");
                return (OptionalBool(add, "pending", "d") == true
                    ? new DiscordMappingResult(DiscordDispatchKind.GuildMemberAdd, [], PendingScreening: true)
                    : new DiscordMappingResult(DiscordDispatchKind.GuildMemberAdd, [Join(add, "discord:GUILD_MEMBER_ADD", delivery)]))
                    with { GuildId = Snowflake(add, "guild_id", "d"), UserId = Snowflake(Object(add, "user", "d"), "id", "d.user") };
            case "GUILD_MEMBER_UPDATE":
                var update = Object(root, "d", "");
                return (OptionalBool(update, "pending", "d") == false
                    ? new DiscordMappingResult(DiscordDispatchKind.GuildMemberUpdate, [Join(update, "discord:GUILD_MEMBER_UPDATE;pending=false", delivery)])
                    : new DiscordMappingResult(DiscordDispatchKind.GuildMemberUpdate, []))
                    with { GuildId = Snowflake(update, "guild_id", "d"), UserId = Snowflake(Object(update, "user", "d"), "id", "d.user") };
            case "GUILD_MEMBER_REMOVE":
                var removed = Remove(root, delivery);
                return new(DiscordDispatchKind.GuildMemberRemove, [removed]) { GuildId = removed.Group, UserId = removed.Member };
            case "MESSAGE_CREATE":
                var message = Object(root, "d", "");
                return new(DiscordDispatchKind.MessageCreate, Message(message))
                {
                    GuildId = OptionalSnowflake(message, "guild_id", "d"),
                    UserId = Snowflake(Object(message, "author", "d"), "id", "d.author"),
                };
            default:
                return new(DiscordDispatchKind.Other, []);
        }
    }

    private static CommunityEvent Join(JsonElement d, string scene, DiscordDelivery delivery)
    {
        var guild = Snowflake(d, "guild_id", "d");
        var user = Object(d, "user", "d");
        var userId = Snowflake(user, "id", "d.user");
        var joinedAt = Timestamp(d, "joined_at", "d");
        if (((OptionalLong(d, "flags", "d") ?? 0) & DidRejoinFlag) != 0)
        {
            scene += ";did_rejoin";
        }

        var attribution = delivery.Attribution ?? DiscordJoinAttribution.Unknown;
        var micros = (joinedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        return new CommunityEvent(
            string.Create(CultureInfo.InvariantCulture, $"discord:{guild}:{userId}:j{micros}"),
            EventType.Joined,
            guild,
            userId,
            joinedAt,
            channel: attribution.Channel,
            role: OptionalBool(user, "bot", "d.user") == true ? MemberRole.Bot : MemberRole.Member,
            attribution: attribution.Attribution,
            scene: scene);
    }

    private CommunityEvent Remove(JsonElement root, DiscordDelivery delivery)
    {
        var d = Object(root, "d", "");
        var sequence = Long(root, "s", "");
        var guild = Snowflake(d, "guild_id", "d");
        var userId = Snowflake(Object(d, "user", "d"), "id", "d.user");
        var at = delivery.ReceivedAt ?? _time.GetUtcNow();
        var session = string.IsNullOrEmpty(delivery.SessionId) ? "" : delivery.SessionId + ":";
        var id = string.Create(CultureInfo.InvariantCulture, $"discord:{guild}:{userId}:remove:{session}s{sequence}");
        return delivery.Kick is { } kick
            ? new CommunityEvent(id, EventType.Removed, guild, userId, at, by: string.IsNullOrEmpty(kick.ExecutorId) ? null : kick.ExecutorId, scene: string.Create(CultureInfo.InvariantCulture, $"discord:GUILD_MEMBER_REMOVE;audit_action={kick.ActionType}"))
            : new CommunityEvent(id, EventType.Left, guild, userId, at, scene: "discord:GUILD_MEMBER_REMOVE");
    }

    private List<CommunityEvent> Message(JsonElement d)
    {
        var id = Snowflake(d, "id", "d");
        var channel = Snowflake(d, "channel_id", "d");
        var guild = OptionalSnowflake(d, "guild_id", "d");
        var author = Object(d, "author", "d");
        var authorId = Snowflake(author, "id", "d.author");
        var at = Timestamp(d, "timestamp", "d");
        var messageType = OptionalLong(d, "type", "d") ?? 0;

        // Direct messages (no guild), webhooks and system messages (a member joined, a boost, a pin: types other than
        // 0 DEFAULT and 19 REPLY) are not a member speaking in the guild.
        if (guild is null || OptionalSnowflake(d, "webhook_id", "d") is not null || messageType is not (0 or 19))
        {
            return [];
        }

        string? task = null;
        string? scene = null;
        if (OptionalArray(d, "attachments", "d") is { } attachments && attachments.GetArrayLength() > 0)
        {
            if (Hashtag(OptionalString(d, "content", "d")) is { } tag)
            {
                (task, scene) = (_hashtags[tag], "discord:hashtag=#" + tag);
            }
            else if (_taskChannels.TryGetValue(channel, out var channelTask))
            {
                (task, scene) = (channelTask, "discord:channel=" + channel);
            }
        }

        return [new CommunityEvent(
            $"discord:{guild}:m{id}",
            task is null ? EventType.Message : EventType.TaskSubmitted,
            guild,
            authorId,
            at,
            task: task,
            scene: scene)];
    }

    /// <summary>The first configured hashtag of the content (<c>#</c> not preceded by a letter, digit or <c>_</c>), without the <c>#</c>.</summary>
    private string? Hashtag(string? content)
    {
        if (string.IsNullOrEmpty(content) || _hashtags.Count == 0)
        {
            return null;
        }

        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] != '#' || (i > 0 && IsTagChar(content[i - 1])))
            {
                continue;
            }

            var end = i + 1;
            while (end < content.Length && IsTagChar(content[end]))
            {
                end++;
            }

            var tag = content[(i + 1)..end];
            if (tag.Length > 0 && _hashtags.ContainsKey(tag))
            {
                return tag;
            }
        }

        return null;
    }

    private static bool IsTagChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
