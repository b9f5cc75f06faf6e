using Tokenwise.Accounting.Spend.SpendLedger;
using Tokenwise.Contracts;

namespace Tokenwise.Accounting.Tests.Spend;

public sealed class HourlySpendTests
{
    private static readonly UsageCharged Unpriced = new()
    {
        UsageKey = "k",
        OccurredAt = new DateTimeOffset(2026, 11, 20, 12, 34, 0, TimeSpan.Zero),
        User = "ana",
        Model = "acme-1",
        Provider = "acme",
        Tokens = new TokenCounts(1_000, 0, 0, 0, 200, 0),
        Cost = BucketCosts.Zero,
    };

    [Fact]
    public void A_re_priced_charge_leaves_its_old_version_row_and_counts_once_in_its_new_one()
    {
        var priced = Unpriced with
        {
            Cost = new BucketCosts(0.003m, 0, 0, 0, 0.003m),
            PriceVersion = "api:acme/acme-1@2026-11-21",
        };
        var item = new UsageRepriced
        {
            Charge = priced,
            PreviousCost = Unpriced.Cost,
            PreviousPriceVersion = null,
        };
        var old = new HourlySpendDelta();
        old.Add(Unpriced);

        old.Remove(item);
        var moved = new HourlySpendDelta();
        moved.Add(priced);

        Assert.Equal(HourlySpendKey.Of(Unpriced), HourlySpendKey.Of(priced, item.PreviousPriceVersion ?? ""));
        Assert.Equal("api:acme/acme-1@2026-11-21", HourlySpendKey.Of(priced).PriceVersion);
        Assert.Equal((0L, 0L, TokenCounts.Zero, 0m), (old.Requests, old.UnpricedRequests, old.Tokens, old.Cost.Total));
        Assert.Equal((1L, 0L, 0.006m), (moved.Requests, moved.UnpricedRequests, moved.Cost.Total));
    }
}
