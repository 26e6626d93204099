using System.Globalization;

namespace CommunityFunnel.Simulation;

/// <summary>
/// Names the actors of a simulation. Actor numbers: members are 0..members-1, then the staff of each group
/// (<see cref="StaffPerGroup"/> a group), then one bot a group. Member ids are <c>m-</c> and 7 digits, all distinct
/// (a seeded stride over 1000000..9999999); staff are <c>staff-&lt;group&gt;-&lt;n&gt;</c>, bots <c>bot-&lt;group&gt;</c>.
/// </summary>
internal sealed class ActorIds
{
    public const int StaffPerGroup = 3;
    private const int IdSpace = 9_000_000;
    private const long Stride = 7_654_321; // coprime with 9 000 000 = 2^6 * 3^2 * 5^6: i -> i * Stride mod IdSpace is a bijection.

    private readonly int _members;
    private readonly long _offset;
    private readonly string[] _staffAndBots;

    public ActorIds(int members, int groups, ulong seed)
    {
        _members = members;
        _offset = (long)(SimRandom.Mix64(seed ^ 0x5EED_1D5UL) % IdSpace);
        _staffAndBots = new string[groups * (StaffPerGroup + 1)];
        for (var g = 0; g < groups; g++)
        {
            for (var k = 0; k < StaffPerGroup; k++)
            {
                _staffAndBots[(g * StaffPerGroup) + k] = string.Create(CultureInfo.InvariantCulture, $"staff-{g + 1}-{k + 1}");
            }

            _staffAndBots[(groups * StaffPerGroup) + g] = string.Create(CultureInfo.InvariantCulture, $"bot-{g + 1}");
        }

        Groups = groups;
    }

    public int Groups { get; }

    public int Staff(int group, int k) => _members + (group * StaffPerGroup) + k;

    public int Bot(int group) => _members + (Groups * StaffPerGroup) + group;

    public bool IsMember(int actor) => actor < _members;

    /// <summary>The 7-digit number of member <paramref name="index"/>.</summary>
    public long MemberNumber(int index) => 1_000_000 + (((index * Stride) + _offset) % IdSpace);

    public string Id(int actor)
    {
        if (actor >= _members)
        {
            return _staffAndBots[actor - _members];
        }

        return string.Create(9, MemberNumber(actor), static (span, number) =>
        {
            span[0] = 'm';
            span[1] = '-';
            number.TryFormat(span[2..], out _, "D7", CultureInfo.InvariantCulture);
        });
    }
}
