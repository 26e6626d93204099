using System.Reflection;
using System.Text.Json;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Tests.Conventions;

/// <summary>Records a host returns from its own API serialize their enums by name with System.Text.Json's defaults, as the stores write them.</summary>
public sealed class EnumJsonTests
{
    [Fact]
    public void EveryPublicEnumOfTheCore_SerializesByName_WithDefaultOptions()
    {
        var enums = typeof(CommunityFunnelOptions).Assembly.GetExportedTypes().Where(t => t.IsEnum).ToList();
        Assert.True(enums.Count >= 25, $"only {enums.Count} public enums found");
        foreach (var type in enums)
        {
            var value = Enum.GetValues(type).GetValue(0)!;
            var json = JsonSerializer.Serialize(value, type);
            Assert.True(json == "\"" + Enum.GetName(type, value) + "\"", $"{type.Name}: {json}");
            Assert.Equal(value, JsonSerializer.Deserialize(json, type));
        }
    }

    [Fact]
    public void ALedgerEntry_AndADrawState_ReadTheSameInAnHttpResponseAsInTheStore()
    {
        var entry = new RewardLedgerEntry
        {
            Key = "k",
            RuleId = "r",
            Member = "m",
            EventId = "e",
            At = DateTimeOffset.UnixEpoch,
            Kind = RewardEntryKind.Reversal,
            Rewards = [new RewardSpec { Kind = RewardKind.Tickets, Quantity = 1, Draw = "weekly-2026-11-30" }],
            Counters = [],
        };
        var json = JsonSerializer.Serialize(entry);
        Assert.Contains("\"Kind\":\"Reversal\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Kind\":\"Tickets\"", json, StringComparison.Ordinal);
        Assert.Equal(RewardEntryKind.Reversal, JsonSerializer.Deserialize<RewardLedgerEntry>(json)!.Kind);
        Assert.Equal("\"Drawn\"", JsonSerializer.Serialize(DrawState.Drawn));
        Assert.Equal("{\"State\":\"Active\"}", JsonSerializer.Serialize(new { State = MemberState.Active }));

        // A number written before (an older host's response) still reads.
        Assert.Equal(DrawState.Drawn, JsonSerializer.Deserialize<DrawState>(((int)DrawState.Drawn).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
