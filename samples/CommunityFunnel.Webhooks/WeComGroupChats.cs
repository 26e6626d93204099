using CommunityFunnel.WeCom;

namespace CommunityFunnel.Webhooks;

/// <summary>
/// What the host fetches from WeCom when the mapper asks for a resync: <c>externalcontact/groupchat/get</c> with
/// <c>need_name=0</c>. A real host calls the API with its access token; the sample never calls WeCom.
/// </summary>
internal interface IWeComGroupChatFetcher
{
    /// <summary>The group's details, or <see langword="null"/> when none can be had (the host then keeps the callback's events only).</summary>
    Task<WeComGroupChat?> FetchAsync(string chatId, CancellationToken cancellationToken);
}

/// <summary>
/// The sample's stand-in for <c>groupchat/get</c>: the response body in <c>FOLDER/CHATID.json</c>, read afresh on
/// every fetch (so a test can change what "WeCom" answers between callbacks). No file: no details.
/// </summary>
internal sealed class FileWeComGroupChatFetcher(string folder) : IWeComGroupChatFetcher
{
    public async Task<WeComGroupChat?> FetchAsync(string chatId, CancellationToken cancellationToken)
    {
        // A chat id is WeCom's (wr + Base64-ish characters); never let it name a path outside the folder.
        if (chatId.Length == 0 || chatId.IndexOfAny([.. Path.GetInvalidFileNameChars(), '.']) >= 0)
        {
            return null;
        }

        var path = Path.Combine(folder, chatId + ".json");
        if (!File.Exists(path))
        {
            return null;
        }

        var chat = WeComGroupChat.Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
        return string.Equals(chat.ChatId, chatId, StringComparison.Ordinal) ? chat : null;
    }
}
