using System.Text;
using CommunityFunnel.WeCom;

namespace CommunityFunnel.Platforms.Tests.WeCom;

public sealed class WeComCallbackCryptoTests
{
    private const string Token = "QDG6eK";
    private const string CorpId = "ww55ca070cb9b7eb22";
    private static readonly string Key = TestWeComEncryptor.NewKey(7);

    private static WeComCallbackCrypto Crypto() => new(Token, Key, CorpId);

    private static TestWeComEncryptor Sender(int seed = 1) => new(Token, Key, CorpId, seed);

    [Fact]
    public void DecryptMessage_RoundTripsAnEncryptedCallback_IncludingChineseText()
    {
        var message = Fixture.Read("WeCom", "add_member_items.xml").Replace("sys", "系统", StringComparison.Ordinal);
        var (signature, timestamp, nonce, body) = Sender().Post(message);

        Assert.Equal(message, Crypto().DecryptMessage(signature, timestamp, nonce, body));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(5000)]
    public void DecryptMessage_RoundTrips_EveryPaddingLength(int length)
    {
        // 20 header bytes + message + 18 id bytes: the lengths above put the padding at 1 to 32 bytes.
        var message = new string('x', length);
        var (signature, timestamp, nonce, body) = Sender(length).Post(message);
        Assert.Equal(message, Crypto().DecryptMessage(signature, timestamp, nonce, body));
    }

    [Fact]
    public void VerifyUrl_ReturnsTheDecryptedEcho()
    {
        var sender = Sender();
        var echo = sender.Encrypt("6134812830189043981");
        var signature = TestWeComEncryptor.Sign(Token, "1764846000", "263014780", echo);

        Assert.Equal("6134812830189043981", Crypto().VerifyUrl(signature, "1764846000", "263014780", echo));
    }

    [Fact]
    public void VerifyUrl_AcceptsAnUppercaseSignature()
    {
        var echo = Sender().Encrypt("42");
        var signature = TestWeComEncryptor.Sign(Token, "1", "2", echo).ToUpperInvariant();
        Assert.Equal("42", Crypto().VerifyUrl(signature, "1", "2", echo));
    }

    public static TheoryData<string> BadSignatures => new()
    {
        "0000000000000000000000000000000000000000",
        "not-hex-not-hex-not-hex-not-hex-not-hex!",
        "abc",
        "",
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public void VerifyUrl_RefusesABadSignature(string signature)
    {
        var echo = Sender().Encrypt("42");
        var error = Assert.Throws<WeComException>(() => Crypto().VerifyUrl(signature, "1", "2", echo));
        Assert.Equal(WeComError.InvalidSignature, error.Reason);
    }

    [Fact]
    public void DecryptMessage_RefusesASignatureOverAnotherNonce_OrAnotherToken()
    {
        var (signature, timestamp, nonce, body) = Sender().Post("<xml/>");
        Assert.Equal(WeComError.InvalidSignature, Assert.Throws<WeComException>(() => Crypto().DecryptMessage(signature, timestamp, nonce + "1", body)).Reason);
        var other = new WeComCallbackCrypto("another-token", Key, CorpId);
        Assert.Equal(WeComError.InvalidSignature, Assert.Throws<WeComException>(() => other.DecryptMessage(signature, timestamp, nonce, body)).Reason);
    }

    [Fact]
    public void DecryptMessage_RefusesATamperedPayload_AsABadSignature()
    {
        var (signature, timestamp, nonce, body) = Sender().Post("<xml/>");
        var tampered = body.Replace("<Encrypt><![CDATA[", "<Encrypt><![CDATA[A", StringComparison.Ordinal);
        Assert.Equal(WeComError.InvalidSignature, Assert.Throws<WeComException>(() => Crypto().DecryptMessage(signature, timestamp, nonce, tampered)).Reason);
    }

    [Fact]
    public void Decrypt_RefusesAMessageForAnotherCorp()
    {
        var echo = Sender().Encrypt("42", otherReceiveId: "wwffffffffffffffff");
        var signature = TestWeComEncryptor.Sign(Token, "1", "2", echo);
        var error = Assert.Throws<WeComException>(() => Crypto().VerifyUrl(signature, "1", "2", echo));
        Assert.Equal(WeComError.ReceiveIdMismatch, error.Reason);
    }

    [Fact]
    public void Decrypt_AcceptsTheEmptyReceiveIdOfAnIndividualDevelopersApp()
    {
        var sender = new TestWeComEncryptor(Token, Key, "");
        var echo = sender.Encrypt("42");
        Assert.Equal("42", new WeComCallbackCrypto(Token, Key, "").VerifyUrl(TestWeComEncryptor.Sign(Token, "1", "2", echo), "1", "2", echo));
    }

    public static TheoryData<int, string> BadPaddings => new()
    {
        { 0, "pad byte 0" },
        { 33, "pad byte above the 32-byte block" },
        { -1, "pad bytes that disagree" },
    };

    [Theory]
    [MemberData(nameof(BadPaddings))]
    public void Decrypt_RefusesBadPadding(int padByte, string because)
    {
        var sender = Sender();
        var padded = TestWeComEncryptor.Pad(sender.Plain(Encoding.UTF8.GetBytes("hello"), CorpId), 32);
        if (padByte >= 0)
        {
            padded[^1] = (byte)padByte;
        }
        else
        {
            padded[^2] ^= 0x01;
        }

        var echo = sender.EncryptRaw(padded);
        var error = Assert.Throws<WeComException>(() => Crypto().VerifyUrl(TestWeComEncryptor.Sign(Token, "1", "2", echo), "1", "2", echo));
        Assert.True(error.Reason == WeComError.InvalidPadding, because);
    }

    [Fact]
    public void Decrypt_WithAnotherEncodingAesKey_IsRefused_NotReturned()
    {
        var echo = new TestWeComEncryptor(Token, TestWeComEncryptor.NewKey(8), CorpId).Encrypt(new string('m', 300));
        var error = Assert.Throws<WeComException>(() => Crypto().VerifyUrl(TestWeComEncryptor.Sign(Token, "1", "2", echo), "1", "2", echo));
        Assert.Contains(error.Reason, new[] { WeComError.InvalidPadding, WeComError.InvalidCiphertext, WeComError.ReceiveIdMismatch });
    }

    [Fact]
    public void Decrypt_RefusesALengthFieldPastTheEnd_AndAShortHeader()
    {
        var sender = Sender();
        var tooLong = sender.EncryptRaw(TestWeComEncryptor.Pad(sender.Plain(Encoding.UTF8.GetBytes("hello"), CorpId, lengthField: 4000), 32));
        var negative = sender.EncryptRaw(TestWeComEncryptor.Pad(sender.Plain(Encoding.UTF8.GetBytes("hello"), CorpId, lengthField: -5), 32));
        var shortHeader = sender.EncryptRaw(TestWeComEncryptor.Pad(new byte[10], 32));
        foreach (var echo in new[] { tooLong, negative, shortHeader })
        {
            var error = Assert.Throws<WeComException>(() => Crypto().VerifyUrl(TestWeComEncryptor.Sign(Token, "1", "2", echo), "1", "2", echo));
            Assert.Equal(WeComError.InvalidCiphertext, error.Reason);
        }
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("AAAA")]
    [InlineData("")]
    public void Decrypt_RefusesAPayloadThatIsNotBase64OrNotWholeBlocks(string echo)
    {
        var error = Assert.Throws<WeComException>(() => Crypto().VerifyUrl(TestWeComEncryptor.Sign(Token, "1", "2", echo), "1", "2", echo));
        Assert.Equal(WeComError.InvalidCiphertext, error.Reason);
    }

    [Fact]
    public void Decrypt_RefusesAMessageThatIsNotUtf8()
    {
        var sender = Sender();
        var echo = sender.EncryptRaw(TestWeComEncryptor.Pad(sender.Plain([0xC3, 0x28], CorpId), 32));
        var error = Assert.Throws<WeComException>(() => Crypto().VerifyUrl(TestWeComEncryptor.Sign(Token, "1", "2", echo), "1", "2", echo));
        Assert.Equal(WeComError.InvalidCiphertext, error.Reason);
    }

    [Theory]
    [InlineData("<xml><Encrypt>abc</Encrypt>", "not well-formed")]
    [InlineData("<xml><ToUserName>x</ToUserName></xml>", "no <Encrypt>")]
    [InlineData("<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>", "<Encrypt> twice")]
    [InlineData("", "not well-formed")]
    public void DecryptMessage_RefusesAMalformedBody(string body, string expected)
    {
        var error = Assert.Throws<WeComException>(() => Crypto().DecryptMessage("00", "1", "2", body));
        Assert.Equal(WeComError.MalformedXml, error.Reason);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecryptMessage_RefusesADtd_SoNoEntityIsExpandedAndNoFileIsRead()
    {
        var secret = Path.GetTempFileName();
        File.WriteAllText(secret, "SECRET-CONTENT");
        try
        {
            string[] bodies =
            [
                $"<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file://{secret}\">]><xml><Encrypt>&x;</Encrypt></xml>",
                "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><xml><Encrypt>&b;</Encrypt></xml>",
            ];
            foreach (var body in bodies)
            {
                var error = Assert.Throws<WeComException>(() => Crypto().DecryptMessage("00", "1", "2", body));
                Assert.Equal(WeComError.MalformedXml, error.Reason);
                Assert.DoesNotContain("SECRET-CONTENT", error.ToString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void DecryptMessage_RefusesABodyOverTheSizeCap_BeforeParsingIt()
    {
        var body = "<xml><Encrypt>" + new string('A', WeComCallbackCrypto.MaxPayloadLength) + "</Encrypt></xml>";
        var error = Assert.Throws<WeComException>(() => Crypto().DecryptMessage("00", "1", "2", body));
        Assert.Equal(WeComError.PayloadTooLarge, error.Reason);
        var echo = new string('A', WeComCallbackCrypto.MaxPayloadLength + 4);
        Assert.Equal(WeComError.PayloadTooLarge, Assert.Throws<WeComException>(() => Crypto().VerifyUrl("00", "1", "2", echo)).Reason);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C=")]
    [InlineData("!WmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C")]
    public void Constructor_RefusesAKeyThatIsNot43Base64Characters(string key)
    {
        var error = Assert.Throws<ArgumentException>(() => new WeComCallbackCrypto(Token, key, CorpId));
        Assert.Equal("encodingAesKey", error.ParamName);
    }

    [Fact]
    public void Constructor_RefusesAnEmptyToken()
    {
        Assert.Throws<ArgumentException>(() => new WeComCallbackCrypto("", Key, CorpId));
    }

    [Fact]
    public void Signature_IsTheSha1OfTheOrdinallySortedParts()
    {
        // Sorted: "1409659589" < "263014780" < "QDG6eK" < "b" (digits, then upper case, then lower case).
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes("1409659589263014780QDG6eKb")));
        Assert.Equal(expected, WeComCallbackCrypto.Signature("QDG6eK", "1409659589", "263014780", "b"));
        Assert.Equal(TestWeComEncryptor.Sign("QDG6eK", "1409659589", "263014780", "b"), expected);
    }
}
