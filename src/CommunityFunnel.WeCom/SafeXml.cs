using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace CommunityFunnel.WeCom;

/// <summary>XML as WeCom sends it, read without a DTD, entity expansion or any resolver, and with a size cap.</summary>
internal static class SafeXml
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = WeComCallbackCrypto.MaxPayloadLength,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    public static XElement Root(string xml, string what)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (xml.Length > WeComCallbackCrypto.MaxPayloadLength)
        {
            throw new WeComException(
                WeComError.PayloadTooLarge,
                $"The {what} is {xml.Length} characters long; at most {WeComCallbackCrypto.MaxPayloadLength} are read.");
        }

        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), Settings);
            var document = XDocument.Load(reader, LoadOptions.None);
            return document.Root ?? throw new WeComException(WeComError.MalformedXml, $"The {what} has no root element.");
        }
        catch (XmlException e)
        {
            throw new WeComException(WeComError.MalformedXml, $"The {what} is not well-formed XML (line {e.LineNumber}): {e.Message}", e);
        }
    }

    /// <summary>The text of the one child element <paramref name="name"/>, or <see langword="null"/> when there is none.</summary>
    public static string? Text(XElement parent, string name, string what)
    {
        XElement? found = null;
        foreach (var child in parent.Elements(name))
        {
            if (found is not null)
            {
                throw new WeComException(WeComError.MalformedXml, $"The {what} has <{name}> twice.");
            }

            found = child;
        }

        return found?.Value;
    }

    public static string RequiredText(XElement parent, string name, string what)
    {
        var text = Text(parent, name, what);
        if (string.IsNullOrEmpty(text))
        {
            throw new WeComException(WeComError.MalformedXml, $"The {what} has no <{name}> or it is empty.");
        }

        return text;
    }

    public static long? Integer(XElement parent, string name, string what)
    {
        var text = Text(parent, name, what)?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new WeComException(WeComError.MalformedXml, $"The {what}'s <{name}> is not a non-negative integer: '{Shorten(text)}'.");
        }

        return value;
    }

    public static int? SmallInteger(XElement parent, string name, string what)
    {
        var value = Integer(parent, name, what);
        if (value is > int.MaxValue)
        {
            throw new WeComException(WeComError.MalformedXml, $"The {what}'s <{name}> is out of range: {value}.");
        }

        return (int?)value;
    }

    public static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "...");
}
