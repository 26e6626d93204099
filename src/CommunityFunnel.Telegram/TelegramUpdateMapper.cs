using System.Globalization;
using System.Text.Json;
using CommunityFunnel.Events;
using static CommunityFunnel.Platforms.PayloadJson<CommunityFunnel.Telegram.TelegramJson>;
using static CommunityFunnel.Telegram.TelegramJson;

namespace CommunityFunnel.Telegram;

/// <summary>
/// Maps Telegram Bot API <c>Update</c> objects (a webhook's body, or one element of <c>getUpdates</c>) to event-log/v1.1
/// events. Pure and thread-safe: the host passes in what it received; the mapper never calls Telegram.
/// </summary>
/// <remarks>
/// <para><c>chat_member</c>: a status change from outside the chat (<c>left</c>, <c>kicked</c>, <c>restricted</c> with
/// <c>is_member</c> false) to inside it (<c>creator</c>, <c>administrator</c>, <c>member</c>, <c>restricted</c> with
/// <c>is_member</c> true) is <c>joined</c>; inside to <c>kicked</c> is <c>removed</c> (a ban); inside to outside by the
/// member themselves is <c>left</c>, by someone else <c>removed</c>. Other changes (a promotion, a restriction, an unban)
/// give no event. The raw statuses are kept in <c>scene</c>, e.g. <c>telegram:member-&gt;kicked</c>.</para>
/// <para>Channel attribution: the <c>name</c> of the invite link a member joined by, through
/// <see cref="TelegramMapperOptions.InviteLinkChannels"/>, is the channel (<c>exact</c>). A join with no invite link
/// (the public Join button, an admin adding them, an approved request without a link) or by a link another admin
/// created (Telegram masks its <c>invite_link</c>) gets the explicit channel <see cref="UnknownChannel"/> with
/// attribution <c>unknown</c>: never dropped.</para>
/// <para><c>chat_join_request</c> is not a join: it is <c>invite_viewed</c> (the requester was attracted; the join comes
/// as a <c>chat_member</c> update when an admin or the bot approves it).</para>
/// <para><c>message</c> in a group or supergroup is <c>message</c>; a photo whose caption carries a configured hashtag, or
/// that replies to a configured task post, is <c>task_submitted</c>. Service messages (members joining or leaving,
/// pins, title changes), messages sent on behalf of a chat (<c>sender_chat</c>) and private chats give no event.</para>
/// </remarks>
public sealed class TelegramUpdateMapper
{
    /// <summary>The channel of a join Telegram names no usable invite link for.</summary>
    public const string UnknownChannel = "unknown";

    /// <summary>The longest update read, in characters (1 MiB); a longer one is <see cref="TelegramError.PayloadTooLarge"/>.</summary>
    public const int MaxUpdateLength = 1 << 20;

    // Keys of a Message that carry content a member sent; a message with none of them is a service message.
    private static readonly string[] ContentKeys =
    [
        "text", "photo", "video", "animation", "audio", "document", "sticker", "voice", "video_note", "poll", "dice",
        "location", "venue", "contact", "story", "caption", "paid_media", "game", "invoice",
    ];

    private readonly Dictionary<string, string> _linkChannels;
    private readonly Dictionary<string, string> _hashtags;
    private readonly Dictionary<TelegramMessageKey, string> _taskPosts;

    /// <summary>Creates a mapper.</summary>
    /// <param name="options">The host's invite link channels and tasks; none by default.</param>
    /// <exception cref="ArgumentException">A channel name, hashtag or task id is empty.</exception>
    public TelegramUpdateMapper(TelegramMapperOptions? options = null)
    {
        options ??= new TelegramMapperOptions();
        _linkChannels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, channel) in options.InviteLinkChannels ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrEmpty(channel))
            {
                throw new ArgumentException($"The channel for invite link name '{name}' is empty.", nameof(options));
            }

            _linkChannels[name] = channel;
        }

        _hashtags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (hashtag, task) in options.TaskHashtags ?? new Dictionary<string, string>())
        {
            var tag = hashtag?.TrimStart('#') ?? "";
            if (tag.Length == 0 || string.IsNullOrEmpty(task))
            {
                throw new ArgumentException($"The task hashtag '{hashtag}' or its task id is empty.", nameof(options));
            }

            _hashtags[tag] = task;
        }

        _taskPosts = new Dictionary<TelegramMessageKey, string>();
        foreach (var (post, task) in options.TaskPosts ?? new Dictionary<TelegramMessageKey, string>())
        {
            if (string.IsNullOrEmpty(task))
            {
                throw new ArgumentException($"The task id for post {post} is empty.", nameof(options));
            }

            _taskPosts[post] = task;
        }
    }

    /// <summary>
    /// Maps one update. The event id is <c>telegram:CHAT_ID:UPDATE_ID:tDATE</c> (the chat, the update's
    /// <c>update_id</c>, the Unix date of the change or message), so a re-delivered update maps to the same id. The
    /// date is part of it because Telegram may restart <c>update_id</c> at a random number after a week without updates.
    /// </summary>
    /// <param name="json">The update's JSON, as received.</param>
    /// <exception cref="TelegramException">Too long, not a JSON object, or a field the mapping needs missing or of the
    /// wrong type; <see cref="TelegramException.Field"/> names it.</exception>
    public TelegramMappingResult Map(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxUpdateLength)
        {
            throw new TelegramException(TelegramError.PayloadTooLarge, null, $"The update is {json.Length} characters long; at most {MaxUpdateLength} are read.");
        }

        using var document = Parse(json);
        var root = document.RootElement;
        var updateId = Long(root, "update_id", "");
        if (OptionalObject(root, "chat_member", "") is { } chatMember)
        {
            return new(updateId, TelegramUpdateKind.ChatMember, ChatMember(updateId, chatMember));
        }

        if (OptionalObject(root, "chat_join_request", "") is { } request)
        {
            return new(updateId, TelegramUpdateKind.ChatJoinRequest, [JoinRequest(updateId, request)]);
        }

        if (OptionalObject(root, "message", "") is { } message)
        {
            return new(updateId, TelegramUpdateKind.Message, Message(updateId, message));
        }

        return new(updateId, TelegramUpdateKind.Other, []);
    }

    private static string EventId(long chatId, long updateId, DateTimeOffset date) =>
        string.Create(CultureInfo.InvariantCulture, $"telegram:{chatId}:{updateId}:t{date.ToUnixTimeSeconds()}");

    private List<CommunityEvent> ChatMember(long updateId, JsonElement update)
    {
        const string P = "chat_member";
        var chatId = Long(Object(update, "chat", P), "id", P + ".chat");
        var fromId = Long(Object(update, "from", P), "id", P + ".from");
        var date = Date(update, "date", P);
        var (oldStatus, wasIn, _) = Status(Object(update, "old_chat_member", P), P + ".old_chat_member");
        var (newStatus, isIn, user) = Status(Object(update, "new_chat_member", P), P + ".new_chat_member");
        var userId = Long(user, "id", P + ".new_chat_member.user");
        var member = Id(userId);
        var scene = $"telegram:{oldStatus}->{newStatus}";
        if (OptionalBool(update, "via_join_request", P) == true)
        {
            scene += ";via_join_request";
        }

        if (OptionalBool(update, "via_chat_folder_invite_link", P) == true)
        {
            scene += ";via_chat_folder_invite_link";
        }

        var id = EventId(chatId, updateId, date);
        var group = Id(chatId);
        var byOther = fromId != userId ? Id(fromId) : null;
        if (!wasIn && isIn)
        {
            var (channel, attribution) = Channel(OptionalObject(update, "invite_link", P), P + ".invite_link");
            var role = OptionalBool(user, "is_bot", P + ".new_chat_member.user") == true ? MemberRole.Bot
                : newStatus is "creator" or "administrator" ? MemberRole.Staff
                : MemberRole.Member;
            return [new CommunityEvent(id, EventType.Joined, group, member, date, channel: channel, role: role, by: byOther, attribution: attribution, scene: scene)];
        }

        if (wasIn && !isIn)
        {
            var type = newStatus == "kicked" || byOther is not null ? EventType.Removed : EventType.Left;
            return [new CommunityEvent(id, type, group, member, date, by: byOther, scene: scene)];
        }

        return [];
    }

    /// <summary>The raw status, whether it is inside the chat, and the member's user.</summary>
    private static (string Status, bool In, JsonElement User) Status(JsonElement chatMember, string path)
    {
        var status = String(chatMember, "status", path);
        var user = Object(chatMember, "user", path);
        var inside = status switch
        {
            "creator" or "administrator" or "member" => true,
            "left" or "kicked" => false,
            "restricted" => OptionalBool(chatMember, "is_member", path)
                ?? throw Missing(path, "is_member"),
            _ => throw Invalid(path, "status", $"'{Shorten(status)}' is not creator, administrator, member, restricted, left or kicked"),
        };
        return (status, inside, user);
    }

    private (string Channel, ChannelAttribution Attribution) Channel(JsonElement? link, string path)
    {
        if (link is not { } l)
        {
            return (UnknownChannel, ChannelAttribution.Unknown);
        }

        var url = String(l, "invite_link", path);
        var name = OptionalString(l, "name", path);
        if (IsMasked(url) || string.IsNullOrEmpty(name))
        {
            return (UnknownChannel, ChannelAttribution.Unknown);
        }

        return (_linkChannels.TryGetValue(name, out var channel) ? channel : name, ChannelAttribution.Exact);
    }

    // Telegram replaces the second part of a link another administrator created with "…" (some clients show "...").
    private static bool IsMasked(string url) => url.EndsWith('\u2026') || url.EndsWith("...", StringComparison.Ordinal);

    private CommunityEvent JoinRequest(long updateId, JsonElement request)
    {
        const string P = "chat_join_request";
        var chatId = Long(Object(request, "chat", P), "id", P + ".chat");
        var userId = Long(Object(request, "from", P), "id", P + ".from");
        var date = Date(request, "date", P);
        var (channel, attribution) = Channel(OptionalObject(request, "invite_link", P), P + ".invite_link");
        return new CommunityEvent(EventId(chatId, updateId, date), EventType.InviteViewed, Id(chatId), Id(userId), date, channel: channel, attribution: attribution, scene: "telegram:chat_join_request");
    }

    private List<CommunityEvent> Message(long updateId, JsonElement message)
    {
        const string P = "message";
        var chat = Object(message, "chat", P);
        var chatId = Long(chat, "id", P + ".chat");
        var chatType = OptionalString(chat, "type", P + ".chat");
        var date = Date(message, "date", P);
        Long(message, "message_id", P);
        if (chatType is not ("group" or "supergroup") || OptionalObject(message, "sender_chat", P) is not null
            || OptionalObject(message, "from", P) is not { } from)
        {
            return [];
        }

        var hasContent = false;
        foreach (var key in ContentKeys)
        {
            hasContent |= Get(message, key) is not null;
        }

        if (!hasContent)
        {
            return [];
        }

        var userId = Long(from, "id", P + ".from");
        string? task = null;
        string? scene = null;
        if (OptionalArray(message, "photo", P) is { } photo && photo.GetArrayLength() > 0)
        {
            if (Hashtag(message, P) is { } tag)
            {
                (task, scene) = (_hashtags[tag], "telegram:hashtag=#" + tag);
            }
            else if (OptionalObject(message, "reply_to_message", P) is { } reply
                && Long(reply, "message_id", P + ".reply_to_message") is var post
                && _taskPosts.TryGetValue(new TelegramMessageKey(chatId, post), out var posted))
            {
                (task, scene) = (posted, string.Create(CultureInfo.InvariantCulture, $"telegram:reply_to={post}"));
            }
        }

        return [new CommunityEvent(
            EventId(chatId, updateId, date),
            task is null ? EventType.Message : EventType.TaskSubmitted,
            Id(chatId),
            Id(userId),
            date,
            task: task,
            scene: scene)];
    }

    /// <summary>The first configured hashtag of the caption (by its <c>caption_entities</c>, or by scanning the caption when it has none), without the <c>#</c>.</summary>
    private string? Hashtag(JsonElement message, string path)
    {
        var caption = OptionalString(message, "caption", path);
        if (string.IsNullOrEmpty(caption) || _hashtags.Count == 0)
        {
            return null;
        }

        if (OptionalArray(message, "caption_entities", path) is { } entities)
        {
            var i = 0;
            foreach (var entity in entities.EnumerateArray())
            {
                var at = path + ".caption_entities[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                i++;
                if (entity.ValueKind != JsonValueKind.Object)
                {
                    throw new TelegramException(TelegramError.InvalidField, at, $"The update's {at} is not an object.");
                }

                if (OptionalString(entity, "type", at) != "hashtag")
                {
                    continue;
                }

                // offset and length count UTF-16 code units, as .NET strings do.
                var offset = Long(entity, "offset", at);
                var length = Long(entity, "length", at);
                if (offset < 0 || length < 2 || offset + length > caption.Length)
                {
                    throw Invalid(at, "offset", string.Create(CultureInfo.InvariantCulture, $"and length ({offset}, {length}) are outside the caption of {caption.Length} code units"));
                }

                var tag = caption.Substring((int)offset + 1, (int)length - 1);
                if (_hashtags.ContainsKey(tag))
                {
                    return tag;
                }
            }

            return null;
        }

        for (var i = 0; i < caption.Length; i++)
        {
            if (caption[i] != '#' || (i > 0 && IsTagChar(caption[i - 1])))
            {
                continue;
            }

            var end = i + 1;
            while (end < caption.Length && IsTagChar(caption[end]))
            {
                end++;
            }

            var tag = caption[(i + 1)..end];
            if (tag.Length > 0 && _hashtags.ContainsKey(tag))
            {
                return tag;
            }
        }

        return null;
    }

    private static bool IsTagChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
