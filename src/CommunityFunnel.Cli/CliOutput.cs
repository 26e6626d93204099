using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CommunityFunnel.Cli;

/// <summary>Writes command results: JSON (indented, non-ASCII kept readable) or a plain text table.</summary>
internal static class CliOutput
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads <c>--format json|table</c> (default json).</summary>
    public static bool WantsTable(CliArguments args) => args.OptionalChoice("format", "json", "table") == "table";

    public static void WriteJson(TextWriter output, JsonNode node)
    {
        output.WriteLine(node.ToJsonString(Json));
    }

    /// <summary>
    /// Writes one JSON value to <paramref name="output"/> as it is built, in the shape <see cref="WriteJson"/> gives
    /// (indented, non-ASCII kept readable, a line end after it), in pieces of about 64 KiB instead of one string: for
    /// output that grows with the log. Call <see cref="JsonTextStream.Pace"/> between values.
    /// </summary>
    public static JsonTextStream StreamJson(TextWriter output) => new(output);

    /// <summary>See <see cref="StreamJson"/>.</summary>
    internal sealed class JsonTextStream : IDisposable
    {
        private const int Piece = 1 << 16;
        private readonly TextWriter _output;
        private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new(Piece * 2);

        public JsonTextStream(TextWriter output)
        {
            _output = output;
            Writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = true, Encoder = Json.Encoder });
        }

        public Utf8JsonWriter Writer { get; }

        /// <summary>Hands what is written so far on to the output once it is a piece long.</summary>
        public void Pace()
        {
            if (Writer.BytesPending + _buffer.WrittenCount >= Piece)
            {
                Drain();
            }
        }

        /// <summary>Writes the rest and the line end.</summary>
        public void Dispose()
        {
            Drain();
            Writer.Dispose();
            _output.WriteLine();
        }

        private void Drain()
        {
            Writer.Flush(); // whole tokens only, so the bytes end on a character boundary
            _output.Write(System.Text.Encoding.UTF8.GetString(_buffer.WrittenSpan));
            _buffer.ResetWrittenCount();
        }
    }

    /// <summary>Writes rows as aligned columns; the first row is the header.</summary>
    public static void WriteTable(TextWriter output, IReadOnlyList<string[]> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length && i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
            if (r == 0)
            {
                output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }
    }
}
