using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CommunityFunnel.Cli.DrawPage;
using CommunityFunnel.Lottery;

namespace CommunityFunnel.Cli.Commands;

/// <summary><c>community-funnel draw</c>: run and verify fair-draw/v1 lotteries, inclusion proofs, RFC 3797 selections.</summary>
internal sealed class DrawCommand : ICliCommand
{
    public string Name => "draw";

    public string Summary => "run and verify fair-draw/v1 lotteries, inclusion proofs, RFC 3797 selections";

    public string Usage =>
        """
        Usage:
          community-funnel draw run --input FILE [--out FILE] [--max-bytes N]
              FILE is {"drawId","prizes","entries","serverSeed","publicEntropy","forfeited"}; prints the proof (fair-draw/v1 section 8).
          community-funnel draw verify FILE [--max-bytes N]
              recomputes the proof: exit 0 and "valid", or exit 1 and the first difference.
          community-funnel draw page --proof FILE --out FILE [--lang en|zh-CN] [--entropy-source TEXT] [--max-bytes N]
              writes one self-contained HTML page that re-checks the proof in the member's browser (verdict first,
              the draw, a lookup of one's own entry); --lang sets its default language (else the browser's),
              --entropy-source says where the public entropy came from (shown as stated, not checked).
          community-funnel draw inclusion --proof FILE --entry ID [--max-bytes N]
              prints {"entry","leafIndex","treeSize","path":[hex...],"root"} for one entry.
          community-funnel draw verify-inclusion FILE --weight N [--root HEX]
              checks an inclusion proof for an entry holding N tickets (against --root, the published root, if given).
          community-funnel draw rfc3797 --pool-size N --count K --source "9319" --source "2 5 12 8 10" ...
              RFC 3797 selection: prints {"key","selected":[1-based positions in selection order]}.

        Files larger than --max-bytes (default 536870912) are refused before they are read.
        Exit codes: 0 valid/done (draw page: the page was written, whatever it will say), 1 the proof does not verify, 2 bad usage or malformed input.

        """;

    public int Run(IReadOnlyList<string> args, CliContext context)
    {
        if (args.Count == 0)
        {
            throw new CliUsageException("missing subcommand: run, verify, page, inclusion, verify-inclusion or rfc3797");
        }

        var rest = CliArguments.Parse(args.Skip(1).ToArray());
        return args[0] switch
        {
            "run" => RunDraw(rest, context),
            "verify" => Verify(rest, context),
            "page" => Page(rest, context),
            "inclusion" => Inclusion(rest, context),
            "verify-inclusion" => VerifyInclusion(rest, context),
            "rfc3797" => Rfc3797Select(rest, context),
            _ => throw new CliUsageException($"unknown subcommand '{args[0]}': use run, verify, page, inclusion, verify-inclusion or rfc3797"),
        };
    }

    private static long MaxBytes(CliArguments args) =>
        args.OptionalInt64("max-bytes", 1, long.MaxValue) ?? FairDrawJson.DefaultMaxBytes;

    private static int RunDraw(CliArguments args, CliContext context)
    {
        var inputPath = args.Required("input");
        var outPath = args.Optional("out");
        var maxBytes = MaxBytes(args);
        args.EnsureAllConsumed();

        DrawInput input;
        using (var stream = OpenRead(inputPath))
        {
            input = FairDrawJson.ReadInput(stream, maxBytes);
        }

        var proof = FairDraw.Run(input);
        if (outPath is not null)
        {
            using var file = File.Create(outPath);
            FairDrawJson.WriteProof(file, proof);
            file.WriteByte((byte)'\n');
        }
        else
        {
            context.Out.WriteLine(FairDrawJson.ProofToJson(proof));
        }

        return CliApp.Success;
    }

    private static int Verify(CliArguments args, CliContext context)
    {
        var maxBytes = MaxBytes(args);
        args.EnsureAllConsumed(positionalAllowed: 1);
        var path = args.Positional.Count == 1 ? args.Positional[0] : throw new CliUsageException("missing FILE: community-funnel draw verify FILE");

        DrawProof proof;
        using (var stream = OpenRead(path))
        {
            proof = FairDrawJson.ReadProof(stream, maxBytes);
        }

        var result = FairDraw.Verify(proof);
        if (result.IsValid)
        {
            context.Out.WriteLine("valid");
            return CliApp.Success;
        }

        context.Out.WriteLine($"invalid: {result}");
        return CliApp.NegativeFinding;
    }

    private static int Page(CliArguments args, CliContext context)
    {
        var proofPath = args.Required("proof");
        var outPath = args.Required("out");
        var language = args.OptionalChoice("lang", DrawPageWriter.Languages);
        var entropySource = args.Optional("entropy-source");
        var maxBytes = MaxBytes(args);
        args.EnsureAllConsumed();

        byte[] json;
        using (var stream = OpenRead(proofPath))
        {
            if (stream.Length > maxBytes)
            {
                throw new CliUsageException($"{proofPath}: the proof is {stream.Length} bytes, more than --max-bytes {maxBytes}");
            }

            json = new byte[stream.Length];
            stream.ReadExactly(json);
        }

        // The page embeds the document as published; it must be a proof document (fields, types, hex) to be shown.
        var proof = FairDrawJson.ReadProof(json);
        var verdict = FairDraw.Verify(proof);
        File.WriteAllText(outPath, DrawPageWriter.Render(json, language, entropySource), new UTF8Encoding(false));
        context.Out.WriteLine(verdict.IsValid
            ? $"wrote {outPath}: the proof is valid"
            : $"wrote {outPath}: the proof is invalid: {verdict}");
        return CliApp.Success;
    }

    private static int Inclusion(CliArguments args, CliContext context)
    {
        var proofPath = args.Required("proof");
        var entry = args.Required("entry");
        var maxBytes = MaxBytes(args);
        args.EnsureAllConsumed();

        DrawProof proof;
        using (var stream = OpenRead(proofPath))
        {
            proof = FairDrawJson.ReadProof(stream, maxBytes);
        }

        var inclusion = FairDraw.GetInclusionProof(proof, entry);
        using var buffer = new MemoryStream();
        FairDrawJson.WriteInclusion(buffer, inclusion);
        context.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        return CliApp.Success;
    }

    private static int VerifyInclusion(CliArguments args, CliContext context)
    {
        var weight = args.OptionalInt64("weight", 1, uint.MaxValue) ?? throw new CliUsageException("missing required option --weight");
        var root = args.Optional("root");
        args.EnsureAllConsumed(positionalAllowed: 1);
        var path = args.Positional.Count == 1 ? args.Positional[0] : throw new CliUsageException("missing FILE: community-funnel draw verify-inclusion FILE --weight N");
        if (root is not null && (root.Length != 64 || !root.All(char.IsAsciiHexDigit)))
        {
            throw new CliUsageException($"--root: '{root}' is not a 32-byte hex root");
        }

        InclusionProof inclusion;
        using (var stream = OpenRead(path))
        {
            inclusion = FairDrawJson.ReadInclusion(stream);
        }

        if (root is not null && !string.Equals(root, inclusion.Root, StringComparison.OrdinalIgnoreCase))
        {
            context.Out.WriteLine($"invalid: root: expected \"{root.ToLowerInvariant()}\" (published), actual \"{inclusion.Root}\"");
            return CliApp.NegativeFinding;
        }

        if (!FairDraw.VerifyInclusion(inclusion, weight))
        {
            context.Out.WriteLine($"invalid: path: entry \"{inclusion.Entry}\" with weight {weight.ToString(CultureInfo.InvariantCulture)} is not leaf {inclusion.LeafIndex.ToString(CultureInfo.InvariantCulture)} of the tree with root \"{inclusion.Root}\"");
            return CliApp.NegativeFinding;
        }

        context.Out.WriteLine("valid");
        return CliApp.Success;
    }

    private static int Rfc3797Select(CliArguments args, CliContext context)
    {
        var pool = args.OptionalInt64("pool-size", 1, int.MaxValue) ?? throw new CliUsageException("missing required option --pool-size");
        var count = args.OptionalInt64("count", 0, Rfc3797.MaxCount) ?? throw new CliUsageException("missing required option --count");
        var sources = args.All("source");
        args.EnsureAllConsumed();
        if (sources.Count == 0)
        {
            throw new CliUsageException("missing --source: give each public source, e.g. --source \"9319\" --source \"2 5 12 8 10\"");
        }

        if (count > pool)
        {
            throw new CliUsageException($"--count {count} is larger than --pool-size {pool}");
        }

        var key = Rfc3797.BuildKey(sources);
        var selected = Rfc3797.Select(key, (int)pool, (int)count);
        var result = new JsonObject
        {
            ["key"] = key,
            ["selected"] = new JsonArray(selected.Select(s => (JsonNode)s).ToArray()),
        };
        CliOutput.WriteJson(context.Out, result);
        return CliApp.Success;
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
}
