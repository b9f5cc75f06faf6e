using Marten.Events.Projections;
using Tokenwise.Contracts;

namespace Tokenwise.Accounting.Spend;

/// <summary>Sums charges per user and the UTC day they occurred on (late events land on their own day).</summary>
public sealed class DailyUserSpendProjection : MultiStreamProjection<DailyUserSpend, string>
{
    public DailyUserSpendProjection() =>
        Identity<UsageCharged>(charge => DailyUserSpend.IdFor(charge.User, DailyUserSpend.DayOf(charge.OccurredAt)));

    public static DailyUserSpend Create(UsageCharged charge)
    {
        var day = DailyUserSpend.DayOf(charge.OccurredAt);
        return Apply(new DailyUserSpend { Id = DailyUserSpend.IdFor(charge.User, day), User = charge.User, Day = day }, charge);
    }

    public static DailyUserSpend Apply(DailyUserSpend spend, UsageCharged charge)
    {
        spend.Requests++;
        spend.Tokens = spend.Tokens.Add(charge.Tokens);
        spend.Cost = spend.Cost.Add(charge.Cost);
        return spend;
    }
}
