using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CommunityFunnel.Platforms.Tests.WeCom;

/// <summary>
/// The sending side of WeCom's callback encryption, written here from the published scheme (not from the adapter),
/// so that round trips check the adapter against an independent implementation. It can also build broken payloads.
/// </summary>
internal sealed class TestWeComEncryptor(string token, string encodingAesKey, string receiveId, int seed = 1)
{
    private readonly byte[] _key = Convert.FromBase64String(encodingAesKey + "=");
    private readonly Random _random = new(seed);

    public string Token => token;

    public static string NewKey(int seed)
    {
        var bytes = new byte[32];
        new Random(seed).NextBytes(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=');
    }

    public static string Sign(string token, string timestamp, string nonce, string encrypted)
    {
        var parts = new List<string> { token, timestamp, nonce, encrypted };
        parts.Sort(string.CompareOrdinal);
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Join("", parts))));
    }

    /// <summary>16 random bytes, the length big-endian, the message, the receive id; PKCS#7 to 32 bytes; AES-256-CBC.</summary>
    public string Encrypt(string message, string? otherReceiveId = null) =>
        EncryptRaw(Pad(Plain(Encoding.UTF8.GetBytes(message), otherReceiveId ?? receiveId), 32));

    public string EncryptRaw(byte[] paddedPlain)
    {
        using var aes = Aes.Create();
        aes.Key = _key;
        return Convert.ToBase64String(aes.EncryptCbc(paddedPlain, _key.AsSpan(0, 16), PaddingMode.None));
    }

    public byte[] Plain(byte[] message, string id, int? lengthField = null)
    {
        var random = new byte[16];
        _random.NextBytes(random);
        var idBytes = Encoding.UTF8.GetBytes(id);
        var plain = new byte[16 + 4 + message.Length + idBytes.Length];
        random.CopyTo(plain, 0);
        BinaryPrimitives.WriteInt32BigEndian(plain.AsSpan(16), lengthField ?? message.Length);
        message.CopyTo(plain, 20);
        idBytes.CopyTo(plain, 20 + message.Length);
        return plain;
    }

    public static byte[] Pad(byte[] plain, int block)
    {
        var pad = block - (plain.Length % block);
        var padded = new byte[plain.Length + pad];
        plain.CopyTo(padded, 0);
        padded.AsSpan(plain.Length).Fill((byte)pad);
        return padded;
    }

    /// <summary>A whole callback as WeCom posts it: query parameters and the body.</summary>
    public (string Signature, string Timestamp, string Nonce, string Body) Post(string message, long timestamp = 1764846000)
    {
        var encrypted = Encrypt(message);
        var ts = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var nonce = _random.Next(100_000_000, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = $"<xml><ToUserName><![CDATA[{receiveId}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>";
        return (Sign(token, ts, nonce, encrypted), ts, nonce, body);
    }
}
