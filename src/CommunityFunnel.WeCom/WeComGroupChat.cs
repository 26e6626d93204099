using System.Text.Json;
using CommunityFunnel.Events;

namespace CommunityFunnel.WeCom;

/// <summary>
/// A customer group's details as the host fetched them from <c>externalcontact/groupchat/get</c> (the adapter never
/// calls WeCom itself). <see cref="WeComChatMapper.ToSnapshot"/> turns it into the member list snapshot
/// reconciliation takes.
/// </summary>
public sealed record WeComGroupChat
{
    /// <summary><c>group_chat.chat_id</c>.</summary>
    public required string ChatId { get; init; }

    /// <summary><c>group_chat.owner</c>: the owner's userid.</summary>
    public string? Owner { get; init; }

    /// <summary><c>group_chat.member_version</c>: the member version this list is at (compare with a callback's <c>CurMemVer</c>).</summary>
    public string? MemberVersion { get; init; }

    /// <summary><c>group_chat.member_list</c>.</summary>
    public required IReadOnlyList<WeComGroupMember> Members { get; init; }

    /// <summary>Reads a <c>groupchat/get</c> response body.</summary>
    /// <param name="json">The response body.</param>
    /// <exception cref="WeComException"><see cref="WeComError.ApiError"/> for a non-zero <c>errcode</c>;
    /// <see cref="WeComError.MalformedJson"/> for anything that is not the documented shape (naming the field, e.g.
    /// <c>member_list[2].userid is empty</c>); <see cref="WeComError.PayloadTooLarge"/>.</exception>
    public static WeComGroupChat Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > WeComCallbackCrypto.MaxPayloadLength * 8)
        {
            throw new WeComException(WeComError.PayloadTooLarge, $"The groupchat/get response is {json.Length} characters long; at most {WeComCallbackCrypto.MaxPayloadLength * 8} are read.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new WeComException(WeComError.MalformedJson, $"The groupchat/get response is not JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("the response is not a JSON object");
            }

            if (root.TryGetProperty("errcode", out var code) && !(code.ValueKind == JsonValueKind.Number && code.TryGetInt64(out var c) && c == 0))
            {
                var message = root.TryGetProperty("errmsg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                throw new WeComException(WeComError.ApiError, $"groupchat/get answered errcode {code.GetRawText()}: {message}");
            }

            if (!root.TryGetProperty("group_chat", out var chat) || chat.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("group_chat is missing or not an object");
            }

            var chatId = String(chat, "chat_id", "group_chat.chat_id");
            if (string.IsNullOrEmpty(chatId))
            {
                throw Malformed("group_chat.chat_id is missing or empty");
            }

            if (!chat.TryGetProperty("member_list", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw Malformed("group_chat.member_list is missing or not an array");
            }

            var members = new List<WeComGroupMember>(list.GetArrayLength());
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var where = $"member_list[{i}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw Malformed($"{where} is not an object");
                }

                var userId = String(item, "userid", where + ".userid");
                if (string.IsNullOrEmpty(userId))
                {
                    throw Malformed($"{where}.userid is missing or empty");
                }

                if (!seen.Add(userId))
                {
                    throw Malformed($"{where}.userid '{userId}' appears twice");
                }

                string? invitor = null;
                if (item.TryGetProperty("invitor", out var inv) && inv.ValueKind == JsonValueKind.Object)
                {
                    invitor = NullIfEmpty(String(inv, "userid", where + ".invitor.userid"));
                }

                members.Add(new WeComGroupMember(
                    userId,
                    (int)Integer(item, "type", where + ".type", 0, int.MaxValue),
                    Time(item, "join_time", where + ".join_time"),
                    (int)Integer(item, "join_scene", where + ".join_scene", 0, int.MaxValue),
                    invitor,
                    NullIfEmpty(String(item, "state", where + ".state")),
                    NullIfEmpty(String(item, "group_nickname", where + ".group_nickname"))));
                i++;
            }

            return new WeComGroupChat
            {
                ChatId = chatId,
                Owner = NullIfEmpty(String(chat, "owner", "group_chat.owner")),
                MemberVersion = NullIfEmpty(String(chat, "member_version", "group_chat.member_version")),
                Members = members,
            };
        }
    }

    private static WeComException Malformed(string what) => new(WeComError.MalformedJson, $"The groupchat/get response is malformed: {what}.");

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static string? String(JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Malformed($"{where} is not a string");
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException e)
        {
            throw new WeComException(WeComError.MalformedJson, $"The groupchat/get response is malformed: {where} is not valid UTF-16 text.", e);
        }
    }

    private static long Integer(JsonElement parent, string name, string where, long min, long max)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var n))
        {
            throw Malformed($"{where} is missing or not an integer");
        }

        if (n < min || n > max)
        {
            throw Malformed($"{where} is {n}, not from {min} to {max}");
        }

        return n;
    }

    private static DateTimeOffset Time(JsonElement parent, string name, string where) =>
        DateTimeOffset.FromUnixTimeSeconds(Integer(parent, name, where, CommunityEvent.MinAt.ToUnixTimeSeconds(), CommunityEvent.MaxAt.ToUnixTimeSeconds()));
}
