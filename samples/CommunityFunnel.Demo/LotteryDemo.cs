using CommunityFunnel.Lottery;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Demo;

/// <summary>
/// The Lottery part of the demo: the weekly check-in draw (1 first, 3 second, 10 third prizes) run from the tickets
/// the reward rules granted, with its proof verified.
/// </summary>
internal static class LotteryDemo
{
    public static async Task RunAsync(DemoContext demo)
    {
        var output = demo.Out;
        output.WriteLine();
        output.WriteLine("Weekly check-in draw (fair-draw/v1)");

        // Entries: the lottery tickets the reward rules granted for the last week that ended (check-in -> 1 ticket,
        // suggestion form -> 1 ticket): "form + lottery" end to end, from the reward ledger to a verifiable draw.
        var (drawId, entries) = RewardsDemo.WeeklyDraw(demo);
        output.WriteLine($"  {drawId}: {entries.Count:N0} members, {entries.Sum(e => e.Weight):N0} tickets granted by the reward rules");
        if (entries.Count == 0)
        {
            output.WriteLine("  no tickets this week: no draw");
            return;
        }

        var draws = demo.Services.GetRequiredService<IDrawService>();
        DrawProof proof;
        if (await draws.GetAsync(drawId) is { Proof: { } stored })
        {
            // A durable store (--store sqlite:PATH) already holds this week's draw from an earlier run: a draw has one result.
            proof = stored;
            output.WriteLine($"  already drawn by an earlier run on this store: its stored proof (commitment {stored.Commitment})");
        }
        else
        {
            var created = await draws.CreateAsync(new DrawDefinition(drawId, [new("first", 1), new("second", 3), new("third", 10)]));
            output.WriteLine($"  commitment (published at creation): {created.Commitment}");
            await draws.OpenAsync(drawId);
            foreach (var entry in entries)
            {
                await draws.EnterAsync(drawId, entry.Id, entry.Weight);
            }

            var closed = await draws.CloseAsync(drawId);
            output.WriteLine($"  entries root (published at close):  {closed.EntriesRoot}");

            // Public entropy fixed after the close: the numbers of a (made-up) public lottery, canonicalised per RFC 3797.
            string[] published = ["3 14 15 27 33 41", "08285182"];
            await draws.SupplyEntropyAsync(drawId, Rfc3797.KeyBytes(published));
            output.WriteLine($"  public entropy: RFC 3797 key \"{Rfc3797.BuildKey(published)}\"");

            proof = await draws.DrawAsync(drawId);
        }

        foreach (var tier in proof.Winners.GroupBy(w => w.Tier))
        {
            output.WriteLine($"  {tier.Key,-6} {string.Join(", ", tier.Select(w => w.Entry))}");
        }

        var path = Path.Combine(demo.OutputDirectory, $"{drawId}.proof.json");
        using (var file = File.Create(path))
        {
            FairDrawJson.WriteProof(file, proof);
        }

        using var read = File.OpenRead(path);
        var verification = FairDraw.Verify(FairDrawJson.ReadProof(read));
        output.WriteLine(verification.IsValid ? "  proof verified" : $"  proof NOT verified: {verification}");
        output.WriteLine($"  anyone can check it: community-funnel draw verify {path}");
    }
}
