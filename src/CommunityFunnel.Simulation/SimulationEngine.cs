using System.Globalization;
using System.Runtime.InteropServices;
using CommunityFunnel.Events;

namespace CommunityFunnel.Simulation;

/// <summary>
/// Runs one simulation, day by day: plans the members who join that day, generates the day's events for every
/// member, staff and bot, sorts them by the time the platform reports them and writes out what falls in the day.
/// Memory: one <see cref="MemberPlan"/> per member plus one day's drafts (and the few that spill into the next day).
/// Every random choice comes from a stream keyed by (seed, what, who, day), so the log depends on the options only.
/// </summary>
internal sealed class SimulationEngine
{
    private const int Day = 86_400;
    private const int Hour = 3_600;

    private const int TaskCheckin = 0;
    private const int TaskScreenshot = 1;
    private const int TaskSignup = 2;
    private const int TaskSuggestion = 3;

    private const ulong StreamJoinDays = 1;
    private const ulong StreamPlan = 2;
    private const ulong StreamMemberDay = 3;
    private const ulong StreamStaffDay = 4;
    private const ulong StreamGroups = 5;
    private const ulong StreamNoise = 6;
    private const ulong StreamIds = 7;
    private const ulong StreamViews = 8;

    private static readonly string[] Tasks = ["daily-checkin", "share-screenshot", "signup-form", "suggestion-form"];
    private static readonly int[] PricePoints = [990, 1990, 2990, 3990, 5990, 9900, 12900, 19900, 29900];

    private readonly SimulationOptions _options;
    private readonly SimulationClock _clock;
    private readonly ulong _seed;
    private readonly int _groups;
    private readonly ActorIds _ids;
    private readonly string[] _groupIds;
    private readonly int[] _groupCumulative;
    private readonly int[] _channelCumulative;
    private readonly int[] _campaignChannelCumulative;
    private readonly int[] _joinsBefore;
    private readonly bool[] _campaignDay;
    private readonly MemberPlan[] _plans;
    private readonly int[] _joinsToday;
    private readonly List<Draft> _pending = [];
    private readonly ulong _idKey;
    private SimRandom _noise;
    private long _seq;

    public SimulationEngine(SimulationOptions options, TimeZoneInfo zone)
    {
        _options = options;
        _seed = options.Seed;
        _clock = new SimulationClock(options.StartDate, options.Days, zone);
        _groups = CommunitySimulator.GroupCount(options.Members);
        _ids = new ActorIds(options.Members, _groups, _seed);
        _groupIds = Enumerable.Range(1, _groups).Select(g => string.Create(CultureInfo.InvariantCulture, $"g-{g}")).ToArray();
        _joinsToday = new int[_groups];

        var groupRng = SimRandom.For(_seed, StreamGroups, 0);
        _groupCumulative = Cumulative(Enumerable.Range(0, _groups).Select(_ => groupRng.Between(80, 121)));
        _channelCumulative = Cumulative(ChannelProfile.All.Select(c => c.Weight * 2));
        _campaignChannelCumulative = Cumulative(ChannelProfile.All.Select((c, i) =>
            i == ChannelProfile.MomentsAd ? c.Weight * 6 : i == ChannelProfile.Poster ? c.Weight * 3 : c.Weight * 2));

        (_joinsBefore, _campaignDay) = SpreadJoins(options.Members, options.Days);
        _plans = new MemberPlan[options.Members];
        _noise = SimRandom.For(_seed, StreamNoise, 0);
        _idKey = SimRandom.Mix64(_seed ^ unchecked(StreamIds * 0x9E3779B97F4A7C15UL));
    }

    public int Groups => _groups;

    /// <summary>The events, in the order the platform reports them.</summary>
    public IEnumerable<CommunityEvent> Run()
    {
        var order = default(Draft.EmitOrder);
        for (var d = 0; d < _clock.Days; d++)
        {
            GenerateDay(d);
            var drafts = CollectionsMarshal.AsSpan(_pending);
            drafts.Sort(order);
            var dayEnd = _clock.DayStartTicks(d + 1);
            var ready = 0;
            while (ready < drafts.Length && drafts[ready].Emit < dayEnd)
            {
                ready++;
            }

            for (var j = 0; j < ready; j++)
            {
                yield return Materialize(_pending[j]);
            }

            _pending.RemoveRange(0, ready);
        }

        // What the platform reports after the last midnight: late callbacks and retries of the last day.
        for (var j = 0; j < _pending.Count; j++)
        {
            yield return Materialize(_pending[j]);
        }

        _pending.Clear();
    }

    private static int[] Cumulative(IEnumerable<int> weights)
    {
        var list = new List<int>();
        var total = 0;
        foreach (var w in weights)
        {
            total += w;
            list.Add(total);
        }

        return [.. list];
    }

    /// <summary>
    /// How many members join on each day: a slight upward trend, busier weekends and a few campaign days
    /// (poster and Moments-ad pushes), allotted by largest remainder so the counts add up exactly.
    /// </summary>
    private (int[] JoinsBefore, bool[] Campaign) SpreadJoins(int members, int days)
    {
        var weights = new long[days];
        var campaign = new bool[days];
        long total = 0;
        for (var d = 0; d < days; d++)
        {
            var rng = SimRandom.For(_seed, StreamJoinDays, d);
            long w = 100 + Math.Min(d, 60) + rng.Next(20);
            var dow = _clock.Date(d).DayOfWeek;
            if (dow is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                w += 30;
            }

            if (d > 0 && rng.Chance(0.12))
            {
                campaign[d] = true;
                w *= 2;
            }

            weights[d] = w;
            total += w;
        }

        var counts = new int[days];
        var remainders = new (long Remainder, int Day)[days];
        var assigned = 0;
        for (var d = 0; d < days; d++)
        {
            var exact = members * weights[d];
            counts[d] = (int)(exact / total);
            remainders[d] = (exact % total, d);
            assigned += counts[d];
        }

        Array.Sort(remainders, (a, b) => a.Remainder != b.Remainder ? b.Remainder.CompareTo(a.Remainder) : a.Day.CompareTo(b.Day));
        for (var r = 0; assigned < members; r++, assigned++)
        {
            counts[remainders[r].Day]++;
        }

        var before = new int[days + 1];
        for (var d = 0; d < days; d++)
        {
            before[d + 1] = before[d] + counts[d];
        }

        return (before, campaign);
    }

    private void GenerateDay(int d)
    {
        Array.Clear(_joinsToday);
        for (var i = _joinsBefore[d]; i < _joinsBefore[d + 1]; i++)
        {
            _plans[i] = Plan(i, d);
            _joinsToday[_plans[i].Group]++;
        }

        for (var g = 0; g < _groups; g++)
        {
            StaffDay(g, d);
        }

        for (var i = 0; i < _joinsBefore[d + 1]; i++)
        {
            MemberDay(i, d);
        }
    }

    private MemberPlan Plan(int i, int d)
    {
        var rng = SimRandom.For(_seed, StreamPlan, i);
        var p = new MemberPlan
        {
            JoinDay = (short)d,
            LeaveSec = int.MaxValue,
            RejoinSec = int.MaxValue,
            FirstActiveSec = int.MaxValue,
            SilentSec = int.MaxValue,
            NicknameDay = MemberPlan.NoDay,
            SignupDay = MemberPlan.NoDay,
        };
        p.Channel = (byte)rng.Pick(_campaignDay[d] ? _campaignChannelCumulative : _channelCumulative);
        p.RejoinChannel = p.Channel;
        p.Group = (short)rng.Pick(_groupCumulative);
        p.JoinSec = _clock.LocalToSec(d, DailyRhythm.SampleSecondOfDay(ref rng));
        var profile = ChannelProfile.All[p.Channel];

        if (rng.Chance(0.45))
        {
            p.NicknameDay = (byte)rng.Next(4);
            if (rng.Chance(0.1))
            {
                p.Flags |= MemberPlan.SecondNicknameFlag;
            }
        }

        if (rng.Chance(profile.Removed))
        {
            // A spammer: posts an ad right after joining and is removed by staff within a day and a half.
            p.Flags |= MemberPlan.SpammerFlag | MemberPlan.RemovedFlag | MemberPlan.ActivatedFlag;
            p.FirstActiveSec = p.JoinSec;
            p.LeaveSec = p.JoinSec + rng.Between(10 * 60, 36 * Hour);
            p.SilentSec = p.LeaveSec;
            if (rng.Chance(0.05))
            {
                p.RejoinSec = p.LeaveSec + rng.Between(Hour, 5 * Day);
            }

            return p;
        }

        if (rng.Chance(profile.Activation))
        {
            p.Flags |= MemberPlan.ActivatedFlag;
            p.FirstActiveSec = p.JoinSec;
        }
        else if (rng.Chance(profile.LateStart))
        {
            // Speaks for the first time only after the 24-hour window.
            p.FirstActiveSec = p.JoinSec + Day + rng.Between(60, 6 * Day);
        }

        var u = rng.NextDouble();
        var tenths = u < 0.45 ? rng.Between(3, 10) : u < 0.85 ? rng.Between(10, 26) : rng.Between(35, 71);
        p.Engagement = (byte)Math.Min(255, (int)(tenths * profile.Engagement));

        if (p.FirstActiveSec != int.MaxValue && !rng.Chance(0.15))
        {
            var silentAfter = rng.NextDouble();
            p.SilentSec = p.FirstActiveSec + (int)(Day * (1 + (20 * silentAfter * silentAfter)));
        }

        if (rng.Chance(profile.Leave))
        {
            p.LeaveSec = p.JoinSec + (rng.Chance(0.3) ? rng.Between(10 * 60, Day) : rng.Between(Day, 20 * Day));
            if (rng.Chance(0.06))
            {
                p.Flags |= MemberPlan.RemovedFlag;
            }

            if (rng.Chance(0.2))
            {
                p.RejoinSec = p.LeaveSec + rng.Between(6 * Hour, 8 * Day);
                p.RejoinChannel = rng.Chance(0.5) ? (byte)ChannelProfile.InviteLink : p.Channel;
                if (p.FirstActiveSec != int.MaxValue)
                {
                    p.SilentSec = Math.Max(p.SilentSec, p.RejoinSec + rng.Between(2 * Day, 6 * Day));
                }
            }
        }

        if (p.FirstActiveSec != int.MaxValue)
        {
            if (rng.Chance(Math.Min(1, profile.Buyer * 1.6)))
            {
                p.Flags |= MemberPlan.BuyerFlag;
                p.FirstOrderDay = (byte)rng.Between(2, 11);
            }

            if (rng.Chance(0.25))
            {
                p.Flags |= MemberPlan.StreakerFlag;
                p.StreakStart = (byte)rng.Next(3);
                p.StreakLength = (byte)rng.Between(3, 22);
            }

            if (rng.Chance(0.3))
            {
                p.SignupDay = (byte)rng.Next(3);
            }
        }

        return p;
    }

    private void StaffDay(int g, int d)
    {
        var dayStartTicks = _clock.DayStartTicks(d);
        for (var k = 0; k <= ActorIds.StaffPerGroup; k++)
        {
            var isBot = k == ActorIds.StaffPerGroup;
            var actor = isBot ? _ids.Bot(g) : _ids.Staff(g, k);
            var rng = SimRandom.For(_seed, StreamStaffDay, actor, d);
            if (d == 0)
            {
                Add(new Draft
                {
                    Type = EventType.Joined,
                    Actor = actor,
                    Group = (short)g,
                    At = dayStartTicks + (((g * 10) + k + 1) * TimeSpan.TicksPerSecond),
                    By = -1,
                    Aux = -1,
                    Flags = isBot ? Draft.BotRole : Draft.StaffRole,
                });
            }

            if (isBot)
            {
                BotDay(g, d, actor, ref rng);
                continue;
            }

            var messages = rng.Between(8, 26);
            for (var m = 0; m < messages; m++)
            {
                AddMessage(actor, g, _clock.LocalToSec(d, DailyRhythm.Window(ref rng, (8 * 60) + 30, (23 * 60) + 30)));
            }
        }
    }

    private void BotDay(int g, int d, int bot, ref SimRandom rng)
    {
        // Scheduled posts (check-in reminder, noon digest, Friday lottery call, evening summary) plus welcomes.
        AddBotMessage(bot, g, _clock.LocalToSec(d, 9 * Hour), ref rng);
        AddBotMessage(bot, g, _clock.LocalToSec(d, 12 * Hour), ref rng);
        if (_clock.Date(d).DayOfWeek == DayOfWeek.Friday)
        {
            AddBotMessage(bot, g, _clock.LocalToSec(d, (19 * Hour) + (30 * 60)), ref rng);
        }

        AddBotMessage(bot, g, _clock.LocalToSec(d, 21 * Hour), ref rng);
        var welcomes = _joinsToday[g] / 25;
        for (var w = 0; w < welcomes; w++)
        {
            AddBotMessage(bot, g, _clock.LocalToSec(d, DailyRhythm.SampleSecondOfDay(ref rng)), ref rng);
        }
    }

    private void AddBotMessage(int bot, int g, int sec, ref SimRandom rng) =>
        Add(new Draft
        {
            Type = EventType.Message,
            Actor = bot,
            Group = (short)g,
            At = Ticks(sec) + (rng.Next(1000) * TimeSpan.TicksPerMillisecond),
            By = -1,
            Aux = -1,
        });

    private void MemberDay(int i, int d)
    {
        ref var p = ref _plans[i];
        var dayStart = _clock.DayStartSec(d);
        var dayEnd = _clock.DayStartSec(d + 1);
        if (p.LeaveSec < dayStart && p.RejoinSec >= dayEnd)
        {
            return;
        }

        var k = d - p.JoinDay;
        var rng = SimRandom.For(_seed, StreamMemberDay, i, d);
        if (k == 0)
        {
            AddJoin(i, ref p, p.JoinSec, p.Channel, d, ref rng);
            AddActivation(i, ref p, ref rng);
        }

        if (p.LeaveSec >= dayStart && p.LeaveSec < dayEnd)
        {
            var removed = p.Has(MemberPlan.RemovedFlag);
            Add(new Draft
            {
                Type = removed ? EventType.Removed : EventType.Left,
                Actor = i,
                Group = p.Group,
                At = Ticks(p.LeaveSec),
                By = removed ? _ids.Staff(p.Group, rng.Next(ActorIds.StaffPerGroup)) : -1,
                Aux = -1,
            });
        }

        if (p.RejoinSec >= dayStart && p.RejoinSec < dayEnd)
        {
            AddJoin(i, ref p, p.RejoinSec, p.RejoinChannel, d, ref rng);
        }

        if (p.NicknameDay != MemberPlan.NoDay && (k == p.NicknameDay || (k == p.NicknameDay + 6 && p.Has(MemberPlan.SecondNicknameFlag))))
        {
            var t = k == 0 ? p.JoinSec + rng.Between(30, 2 * Hour) : _clock.LocalToSec(d, DailyRhythm.SampleSecondOfDay(ref rng));
            if (t < dayEnd && p.Present(t))
            {
                Add(new Draft
                {
                    Type = EventType.NicknameChanged,
                    Actor = i,
                    Group = p.Group,
                    At = Ticks(t),
                    By = -1,
                    Aux = rng.Next(int.MaxValue),
                });
            }
        }

        if (p.FirstActiveSec >= dayEnd || p.Has(MemberPlan.SpammerFlag))
        {
            return;
        }

        QualifyingDay(i, ref p, d, k, ref rng);
    }

    private void QualifyingDay(int i, ref MemberPlan p, int d, int k, ref SimRandom rng)
    {
        var decay = 7.0 / (7 + k);
        var messages = rng.Count(p.Engagement / 10.0 * decay);
        for (var m = 0; m < messages; m++)
        {
            var t = _clock.LocalToSec(d, DailyRhythm.SampleSecondOfDay(ref rng));
            if (Active(ref p, t))
            {
                AddMessage(i, p.Group, t);
            }
        }

        // Daily check-in: streakers every day of their streak (even when quiet in chat), others now and then.
        var inStreak = p.Has(MemberPlan.StreakerFlag) && k >= p.StreakStart && k < p.StreakStart + p.StreakLength;
        if (inStreak || rng.Chance(0.07 * decay))
        {
            var t = _clock.LocalToSec(d, rng.Chance(0.7) ? DailyRhythm.Window(ref rng, 7 * 60, (9 * 60) + 30) : DailyRhythm.Window(ref rng, 20 * 60, 23 * 60));
            if (inStreak ? p.Present(t) && t >= p.FirstActiveSec : Active(ref p, t))
            {
                AddTask(EventType.Checkin, i, p.Group, t, TaskCheckin, -1);
            }
        }

        if (rng.Chance(0.03 * Math.Clamp(p.Engagement / 10.0, 0.3, 2.0)))
        {
            var t = _clock.LocalToSec(d, DailyRhythm.SampleSecondOfDay(ref rng));
            if (Active(ref p, t))
            {
                AddTask(EventType.TaskSubmitted, i, p.Group, t, TaskScreenshot, -1);
                var reviewer = _ids.Staff(p.Group, rng.Next(ActorIds.StaffPerGroup));
                var verdict = rng.Chance(0.85) ? EventType.TaskApproved : EventType.TaskRejected;
                var reviewAt = _clock.IntoHours(t + rng.Between(Hour, 10 * Hour), 9, 22, rng.Next(3 * Hour));
                AddTask(verdict, i, p.Group, reviewAt, TaskScreenshot, reviewer);
            }
        }

        if (p.SignupDay != MemberPlan.NoDay && k == p.SignupDay)
        {
            var t = _clock.LocalToSec(d, DailyRhythm.SampleSecondOfDay(ref rng));
            if (Active(ref p, t))
            {
                AddSignup(i, ref p, t, ref rng);
            }
        }

        if (rng.Chance(0.004))
        {
            var t = _clock.LocalToSec(d, DailyRhythm.SampleSecondOfDay(ref rng));
            if (Active(ref p, t))
            {
                AddTask(EventType.TaskSubmitted, i, p.Group, t, TaskSuggestion, -1);
            }
        }

        if (_clock.Date(d).DayOfWeek == DayOfWeek.Friday && rng.Chance(0.3))
        {
            var t = _clock.LocalToSec(d, DailyRhythm.Window(ref rng, (19 * 60) + 30, 22 * 60));
            if (Active(ref p, t))
            {
                Add(new Draft { Type = EventType.LotteryEntered, Actor = i, Group = p.Group, At = Ticks(t), By = -1, Aux = -1 });
            }
        }

        if (p.Has(MemberPlan.BuyerFlag) && k >= p.FirstOrderDay && (k == p.FirstOrderDay || rng.Chance(0.03)))
        {
            var t = _clock.LocalToSec(d, DailyRhythm.SampleSecondOfDay(ref rng));
            if (p.Present(t) && t >= p.FirstActiveSec)
            {
                var amount = PricePoints[rng.Next(PricePoints.Length)] * (rng.Chance(0.8) ? 1 : rng.Between(2, 4));
                Add(new Draft { Type = EventType.Order, Actor = i, Group = p.Group, At = Ticks(t), By = -1, Aux = amount });
            }
        }
    }

    private static bool Active(ref MemberPlan p, int t) => t >= p.FirstActiveSec && t < p.SilentSec && p.Present(t);

    private void AddJoin(int i, ref MemberPlan p, int t, int channel, int d, ref SimRandom rng)
    {
        var by = -1;
        if (channel == ChannelProfile.InviteLink)
        {
            // The inviter: an earlier member still in the same group, else a staff member.
            var earlier = _joinsBefore[d];
            for (var attempt = 0; attempt < 6 && by < 0 && earlier > 0; attempt++)
            {
                var j = rng.Next(earlier);
                if (_plans[j].Group == p.Group && _plans[j].Present(t) && !_plans[j].Has(MemberPlan.SpammerFlag))
                {
                    by = j;
                }
            }

            if (by < 0)
            {
                by = _ids.Staff(p.Group, rng.Next(ActorIds.StaffPerGroup));
            }
        }

        Add(new Draft
        {
            Type = EventType.Joined,
            Actor = i,
            Group = p.Group,
            At = Ticks(t),
            By = by,
            Aux = channel,
            Flags = rng.Chance(0.2) ? Draft.ExplicitMemberRole : (byte)0,
        });
        AddViews(i, p.Group, t, channel, d);
    }

    /// <summary>
    /// The <c>invite_viewed</c> events around one join through a channel with a scan → join rate r: the joiner's own
    /// view (one to 20 minutes before, a second one earlier that day for 15% of them), and a geometric number of
    /// visitors who do not join (mean (1 - r) / r, so that r of the channel's visitors join), within three hours
    /// either side, 10% of them viewing twice. All on the join's local day, from a stream of their own.
    /// </summary>
    private void AddViews(int i, short group, int t, int channel, int d)
    {
        var rate = ChannelProfile.All[channel < 0 ? ChannelProfile.All.Length - 1 : channel].ScanJoin;
        if (rate <= 0)
        {
            return;
        }

        var rng = SimRandom.For(_seed, StreamViews, i, t);
        var dayStart = _clock.DayStartSec(d);
        var dayEnd = _clock.DayStartSec(d + 1);
        int Clamp(int sec) => Math.Clamp(sec, dayStart, dayEnd - 1);
        void View(ulong visitor, int sec) =>
            Add(new Draft { Type = EventType.InviteViewed, Actor = -1, Group = group, At = Ticks(Clamp(sec)) + (rng.Next(1000) * TimeSpan.TicksPerMillisecond), By = -1, Aux = channel, Visitor = visitor });

        var joiner = SimRandom.Mix64(((ulong)i << 20) ^ (ulong)(uint)t ^ _idKey);
        View(joiner, t - rng.Between(60, 1_200));
        if (rng.Chance(0.15))
        {
            View(joiner, t - rng.Between(1_200, 6 * Hour));
        }

        for (var k = 1; k < 1_000 && rng.Chance(1 - rate); k++)
        {
            var visitor = SimRandom.Mix64(joiner + (ulong)k);
            var sec = t + rng.Between(-3 * Hour, 3 * Hour);
            View(visitor, sec);
            if (rng.Chance(0.1))
            {
                View(visitor, sec + rng.Between(60, Hour));
            }
        }
    }

    private void AddActivation(int i, ref MemberPlan p, ref SimRandom rng)
    {
        if (p.Has(MemberPlan.SpammerFlag))
        {
            AddMessage(i, p.Group, p.JoinSec + rng.Between(5, 300));
            return;
        }

        if (!p.Has(MemberPlan.ActivatedFlag))
        {
            return;
        }

        // Most first words come soon after joining (answering the welcome), a tail up to 23 hours later.
        var u = rng.NextDouble();
        var t = p.JoinSec + 20 + (int)(82_000 * u * u * u * u);
        if (!p.Present(t))
        {
            return;
        }

        var kind = rng.Next(100);
        if (kind < 70)
        {
            AddMessage(i, p.Group, t);
        }
        else if (kind < 82)
        {
            AddTask(EventType.Checkin, i, p.Group, t, TaskCheckin, -1);
        }
        else if (kind < 90)
        {
            Add(new Draft { Type = EventType.LotteryEntered, Actor = i, Group = p.Group, At = Ticks(t), By = -1, Aux = -1 });
        }
        else
        {
            AddSignup(i, ref p, t, ref rng);
        }
    }

    private void AddSignup(int i, ref MemberPlan p, int t, ref SimRandom rng)
    {
        AddTask(EventType.TaskSubmitted, i, p.Group, t, TaskSignup, -1);
        AddTask(EventType.TaskApproved, i, p.Group, t + rng.Between(30, 600), TaskSignup, _ids.Bot(p.Group));
    }

    private void AddMessage(int actor, int g, int t) =>
        Add(new Draft { Type = EventType.Message, Actor = actor, Group = (short)g, At = Ticks(t), By = -1, Aux = -1 });

    private void AddTask(EventType type, int actor, int g, int t, int task, int by) =>
        Add(new Draft { Type = type, Actor = actor, Group = (short)g, At = Ticks(t), By = by, Aux = task });

    private long Ticks(int sec) => _clock.StartTicks + (sec * TimeSpan.TicksPerSecond);

    /// <summary>
    /// Queues a draft with platform noise: a few written late (after later events), a few with a <c>Z</c>
    /// offset, about <see cref="SimulationOptions.DuplicateRate"/> written twice. The noise has its own stream
    /// (three draws an event), so the rates change the noise only, never the community.
    /// </summary>
    private void Add(Draft draft)
    {
        if (draft.At >= _clock.EndTicks)
        {
            return;
        }

        draft.Seq = _seq++;
        draft.Emit = draft.At;
        var late = _noise.NextDouble();
        var duplicate = _noise.NextDouble();
        var extra = _noise.NextUInt64();
        if (late < _options.OutOfOrderRate)
        {
            draft.Emit += (30 + (long)(extra % 1_800)) * TimeSpan.TicksPerSecond;
        }

        if ((extra >> 32) % 50 == 0)
        {
            draft.Flags |= Draft.UtcFlag;
        }

        _pending.Add(draft);
        if (duplicate < _options.DuplicateRate)
        {
            var copy = draft;
            copy.Emit = draft.Emit + ((5 + (long)((extra >> 16) % (3 * Hour))) * TimeSpan.TicksPerSecond);
            _pending.Add(copy);
        }
    }

    private CommunityEvent Materialize(in Draft d)
    {
        var offset = (d.Flags & Draft.UtcFlag) != 0 ? TimeSpan.Zero : _clock.OffsetAt(d.At);
        var at = new DateTimeOffset(d.At + offset.Ticks, offset);
        var id = EventId(d.Seq);
        var member = d.Type == EventType.InviteViewed ? VisitorId(d.Visitor) : _ids.Id(d.Actor);
        var group = _groupIds[d.Group];
        var by = d.By >= 0 ? _ids.Id(d.By) : null;
        return d.Type switch
        {
            EventType.Joined => new CommunityEvent(
                id, d.Type, group, member, at,
                channel: ChannelProfile.All[d.Aux < 0 ? ChannelProfile.All.Length - 1 : d.Aux].Name,
                role: (d.Flags & Draft.StaffRole) != 0 ? MemberRole.Staff
                    : (d.Flags & Draft.BotRole) != 0 ? MemberRole.Bot
                    : (d.Flags & Draft.ExplicitMemberRole) != 0 ? MemberRole.Member : null,
                by: by),
            EventType.Checkin or EventType.TaskSubmitted or EventType.TaskApproved or EventType.TaskRejected =>
                new CommunityEvent(id, d.Type, group, member, at, by: by, task: Tasks[d.Aux]),
            EventType.Order => new CommunityEvent(id, d.Type, group, member, at, amount: d.Aux, currency: "CNY"),
            EventType.NicknameChanged => new CommunityEvent(id, d.Type, group, member, at, nickname: Nicknames.For(d.Aux)),
            EventType.InviteViewed => new CommunityEvent(id, d.Type, group, member, at, channel: ChannelProfile.All[d.Aux].Name),
            _ => new CommunityEvent(id, d.Type, group, member, at, by: by),
        };
    }

    /// <summary>An anonymous visitor id: <c>v-</c> and 16 hex digits.</summary>
    private static string VisitorId(ulong visitor) =>
        string.Create(18, visitor, static (span, v) =>
        {
            span[0] = 'v';
            span[1] = '-';
            v.TryFormat(span[2..], out _, "x16", CultureInfo.InvariantCulture);
        });

    private string EventId(long seq)
    {
        ulong value;
        unchecked
        {
            value = SimRandom.Mix64((ulong)seq + _idKey);
        }

        return string.Create(18, value, static (span, v) =>
        {
            span[0] = 'e';
            span[1] = '-';
            v.TryFormat(span[2..], out _, "x16", CultureInfo.InvariantCulture);
        });
    }
}
