using CommunityFunnel.WeCom;

namespace CommunityFunnel.Platforms.Tests.WeCom;

/// <summary>
/// The example token, EncodingAESKey, corp id and URL-verification request of WeCom's callback SDK documentation
/// (加解密方案说明): an implementation written elsewhere, so it checks the signature, key derivation, IV, padding and
/// corp id check against WeCom's own.
/// </summary>
public sealed class WeComPublishedVectorTests
{
    private static WeComCallbackCrypto Crypto() =>
        new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7");

    [Fact]
    public void VerifyUrl_TheDocumentationsExample_GivesItsEcho()
    {
        var echo = Crypto().VerifyUrl(
            "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
            "1409659589",
            "263014780",
            "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==");
        Assert.Equal("1616140317555161061", echo);
    }

    [Fact]
    public void VerifyUrl_TheDocumentationsExample_ForAnotherCorp_IsRefused()
    {
        var crypto = new WeComCallbackCrypto("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "ww55ca070cb9b7eb22");
        var error = Assert.Throws<WeComException>(() => crypto.VerifyUrl(
            "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
            "1409659589",
            "263014780",
            "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="));
        Assert.Equal(WeComError.ReceiveIdMismatch, error.Reason);
    }
}
