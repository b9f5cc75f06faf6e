using Tokenwise.Client.Models;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Alerting;

public sealed class RepricingTests(AlertingSystem system) : IClassFixture<AlertingSystem>
{
    [Fact]
    public async Task A_price_corrected_after_the_fact_corrects_what_the_watch_rules_read_and_counts_no_extra_request()
    {
        var (user, session, model) = (
            "repriced-" + Guid.NewGuid().ToString("N")[..6],
            "s-" + Guid.NewGuid().ToString("N")[..6],
            "corrected-" + Guid.NewGuid().ToString("N")[..6]
        );
        await system.Spend.SetPriceAsync("acme", model, new PriceRequest(DateTimeOffset.UtcNow.AddDays(-10), 1m, 1m));
        await system.Ingest.RecordUsageAsync(
            new UsageEvent
            {
                Id = Guid.NewGuid().ToString("N"),
                OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
                User = user,
                Provider = "acme",
                Model = model,
                InputTokens = 1_000_000,
                SessionId = session,
            }
        );
        await Eventually.Until(
            () => system.WatchedAsync(user, session),
            w => w == (1m, 1m, 1),
            "the usage to be watched at $1"
        );

        await system.Spend.SetPriceAsync("acme", model, new PriceRequest(DateTimeOffset.UtcNow.AddDays(-5), 3m, 3m));

        await Eventually.Until(
            () => system.WatchedAsync(user, session),
            w => w == (3m, 3m, 1),
            "the watched spend to become $3, still one request"
        );
    }
}
