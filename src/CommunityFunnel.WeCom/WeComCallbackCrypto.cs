using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CommunityFunnel.WeCom;

/// <summary>
/// The transport of WeCom's encrypted callbacks (the scheme of the official <c>WXBizMsgCrypt</c> SDKs): checks
/// <c>msg_signature</c>, decrypts the <c>Encrypt</c> payload with the EncodingAESKey, checks the receiver (corp id,
/// or suite id for a third-party app), and answers the URL verification. Pure: it never talks to WeCom. Thread-safe.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>msg_signature</c> = lowercase hex SHA-1 of the token, <c>timestamp</c>, <c>nonce</c> and the encrypted text,
/// sorted in ordinal order and concatenated. It is compared in constant time.</item>
/// <item>AES key = Base64 of the 43-character EncodingAESKey plus <c>=</c> (32 bytes); AES-256-CBC with the key's first
/// 16 bytes as IV; PKCS#7 padding to a block size of 32 bytes.</item>
/// <item>Plain text = 16 random bytes, the message length as 4 bytes big-endian, the message (UTF-8), the receiver id.</item>
/// </list>
/// Every refusal is a <see cref="WeComException"/> with its <see cref="WeComError"/>.
/// </remarks>
public sealed class WeComCallbackCrypto
{
    /// <summary>The longest body or <c>echostr</c> read, in characters (1 MiB); a WeCom callback is a few kilobytes.</summary>
    public const int MaxPayloadLength = 1 << 20;

    private const int PadBlock = 32;
    private readonly string _token;
    private readonly byte[] _key;
    private readonly byte[] _receiveId;

    /// <summary>Creates the transport for one callback URL.</summary>
    /// <param name="token">The callback's Token, as configured in the WeCom admin console.</param>
    /// <param name="encodingAesKey">The callback's EncodingAESKey: 43 characters of Base64.</param>
    /// <param name="receiveId">Whom the messages must be for: the corp id for a corp's own app, the suite id for a
    /// third-party app's suite callbacks, empty for an individual developer's third-party app.</param>
    /// <exception cref="ArgumentException">The token is empty, or the key is not 43 Base64 characters of a 32-byte key.</exception>
    public WeComCallbackCrypto(string token, string encodingAesKey, string receiveId)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentNullException.ThrowIfNull(encodingAesKey);
        ArgumentNullException.ThrowIfNull(receiveId);
        if (encodingAesKey.Length != 43)
        {
            throw new ArgumentException($"The EncodingAESKey must be 43 characters long, not {encodingAesKey.Length}.", nameof(encodingAesKey));
        }

        var key = new byte[33];
        if (!Convert.TryFromBase64String(encodingAesKey + "=", key, out var written) || written != 32)
        {
            throw new ArgumentException("The EncodingAESKey is not the Base64 of a 32-byte key.", nameof(encodingAesKey));
        }

        _token = token;
        _key = key[..32];
        _receiveId = Encoding.UTF8.GetBytes(receiveId);
    }

    /// <summary>
    /// Answers WeCom's URL verification (the <c>GET</c> when the callback URL is saved): checks the signature over
    /// <paramref name="echoStr"/> and returns the decrypted text to send back as the response body, as is.
    /// </summary>
    /// <param name="msgSignature">The <c>msg_signature</c> query parameter.</param>
    /// <param name="timestamp">The <c>timestamp</c> query parameter.</param>
    /// <param name="nonce">The <c>nonce</c> query parameter.</param>
    /// <param name="echoStr">The <c>echostr</c> query parameter, URL-decoded.</param>
    /// <exception cref="WeComException">A bad signature, payload or receiver.</exception>
    public string VerifyUrl(string msgSignature, string timestamp, string nonce, string echoStr)
    {
        ArgumentNullException.ThrowIfNull(echoStr);
        CheckLength(echoStr, "echostr");
        CheckSignature(msgSignature, timestamp, nonce, echoStr);
        return Decrypt(echoStr);
    }

    /// <summary>
    /// Opens a callback's <c>POST</c> body (<c>&lt;xml&gt;&lt;ToUserName/&gt;&lt;AgentID/&gt;&lt;Encrypt/&gt;&lt;/xml&gt;</c>): checks the
    /// signature over its <c>Encrypt</c> element and returns the decrypted message XML, for
    /// <see cref="WeComChatChange.TryParse"/>.
    /// </summary>
    /// <param name="msgSignature">The <c>msg_signature</c> query parameter.</param>
    /// <param name="timestamp">The <c>timestamp</c> query parameter.</param>
    /// <param name="nonce">The <c>nonce</c> query parameter.</param>
    /// <param name="body">The request body.</param>
    /// <exception cref="WeComException">A bad body, signature, payload or receiver.</exception>
    public string DecryptMessage(string msgSignature, string timestamp, string nonce, string body)
    {
        var root = SafeXml.Root(body, "callback body");
        var encrypted = SafeXml.RequiredText(root, "Encrypt", "callback body");
        CheckSignature(msgSignature, timestamp, nonce, encrypted);
        return Decrypt(encrypted);
    }

    internal static string Signature(string token, string timestamp, string nonce, string encrypted) =>
        Convert.ToHexString(SignatureBytes(token, timestamp, nonce, encrypted)).ToLowerInvariant();

    private static byte[] SignatureBytes(string token, string timestamp, string nonce, string encrypted)
    {
        string[] parts = [token, timestamp, nonce, encrypted];
        Array.Sort(parts, StringComparer.Ordinal);
        return SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts)));
    }

    private static void CheckLength(string value, string what)
    {
        if (value.Length > MaxPayloadLength)
        {
            throw new WeComException(WeComError.PayloadTooLarge, $"The {what} is {value.Length} characters long; at most {MaxPayloadLength} are read.");
        }
    }

    private void CheckSignature(string msgSignature, string timestamp, string nonce, string encrypted)
    {
        ArgumentNullException.ThrowIfNull(msgSignature);
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(nonce);
        CheckLength(timestamp, "timestamp");
        CheckLength(nonce, "nonce");
        var expected = SignatureBytes(_token, timestamp, nonce, encrypted);
        byte[]? given = null;
        if (msgSignature.Length == 40)
        {
            try
            {
                given = Convert.FromHexString(msgSignature);
            }
            catch (FormatException)
            {
                given = null;
            }
        }

        if (given is null || !CryptographicOperations.FixedTimeEquals(given, expected))
        {
            throw new WeComException(WeComError.InvalidSignature, "msg_signature does not match the token, timestamp, nonce and payload.");
        }
    }

    private string Decrypt(string encrypted)
    {
        var cipher = new byte[(encrypted.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(encrypted, cipher, out var length))
        {
            throw new WeComException(WeComError.InvalidCiphertext, "The encrypted payload is not Base64.");
        }

        if (length == 0 || length % 16 != 0)
        {
            throw new WeComException(WeComError.InvalidCiphertext, $"The encrypted payload is {length} bytes, not a whole number of 16-byte AES blocks.");
        }

        byte[] plain;
        using (var aes = Aes.Create())
        {
            aes.Key = _key;
            plain = aes.DecryptCbc(cipher.AsSpan(0, length), _key.AsSpan(0, 16), PaddingMode.None);
        }

        int pad = plain[^1];
        if (pad is < 1 or > PadBlock || pad > plain.Length)
        {
            throw new WeComException(WeComError.InvalidPadding, $"The decrypted payload ends in padding byte {pad}, not 1 to {PadBlock}: another EncodingAESKey or corrupted bytes.");
        }

        for (var i = plain.Length - pad; i < plain.Length; i++)
        {
            if (plain[i] != pad)
            {
                throw new WeComException(WeComError.InvalidPadding, $"The decrypted payload's last {pad} padding bytes are not all {pad}: another EncodingAESKey or corrupted bytes.");
            }
        }

        var content = plain.AsSpan(0, plain.Length - pad);
        if (content.Length < 20)
        {
            throw new WeComException(WeComError.InvalidCiphertext, $"The decrypted payload is {content.Length} bytes, shorter than its 20-byte header.");
        }

        var messageLength = BinaryPrimitives.ReadInt32BigEndian(content.Slice(16, 4));
        if (messageLength < 0 || messageLength > content.Length - 20)
        {
            throw new WeComException(WeComError.InvalidCiphertext, $"The decrypted payload's length field says {messageLength} bytes; {content.Length - 20} follow the header.");
        }

        var receiveId = content[(20 + messageLength)..];
        if (!receiveId.SequenceEqual(_receiveId))
        {
            throw new WeComException(WeComError.ReceiveIdMismatch, "The message is for another receiver (corp id or suite id) than this callback's.");
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content.Slice(20, messageLength));
        }
        catch (DecoderFallbackException e)
        {
            throw new WeComException(WeComError.InvalidCiphertext, "The decrypted message is not UTF-8.", e);
        }
    }
}
