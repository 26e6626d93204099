namespace CommunityFunnel.WeCom;

/// <summary>Why a WeCom callback or API response was refused (<see cref="WeComException.Reason"/>).</summary>
public enum WeComError
{
    /// <summary><c>msg_signature</c> is not the SHA-1 of the sorted token, timestamp, nonce and encrypted payload (or is not hex).</summary>
    InvalidSignature,

    /// <summary>The decrypted message names another receiver (corp id or suite id) than this one.</summary>
    ReceiveIdMismatch,

    /// <summary>Not well-formed XML, a DTD (refused: no entity expansion, no external resources), or a required element missing or of the wrong form.</summary>
    MalformedXml,

    /// <summary>The PKCS#7 padding (block size 32) of the decrypted bytes is wrong: another EncodingAESKey, or corrupted bytes.</summary>
    InvalidPadding,

    /// <summary>The encrypted payload is not Base64, not a whole number of AES blocks, or its length field or text is out of shape.</summary>
    InvalidCiphertext,

    /// <summary>The payload is longer than <see cref="WeComCallbackCrypto.MaxPayloadLength"/> characters.</summary>
    PayloadTooLarge,

    /// <summary>A <c>groupchat/get</c> response that is not JSON or lacks a required field (such as an empty <c>userid</c>).</summary>
    MalformedJson,

    /// <summary>A <c>groupchat/get</c> response with a non-zero <c>errcode</c>.</summary>
    ApiError,
}
