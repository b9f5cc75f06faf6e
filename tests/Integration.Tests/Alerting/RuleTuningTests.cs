using System.Net;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Alerting;

public sealed class RuleTuningTests(AlertingSystem system) : IClassFixture<AlertingSystem>
{
    [Fact]
    public async Task Tunings_sent_at_once_to_both_instances_all_hold_and_none_fails()
    {
        var fields = new (string Field, int Value)[]
        {
            ("requestsPerMinute", 61),
            ("minutes", 6),
            ("sessionCostUsd", 101),
            ("hoursWithoutPrompt", 4),
            ("quietMinutes", 11),
            ("minutes", 6),
        };
        // Every PUT reads the rule book at the same version; all but one meet a newer one when they write.
        var answers = await Task.WhenAll(
            fields.Select(
                (f, i) =>
                    (i % 2 == 0 ? system.Api : system.SecondApi).TuneRuleAsync(
                        "runaway",
                        new Dictionary<string, object> { [f.Field] = f.Value }
                    )
            )
        );

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        // Each instance reads the book at most every 3 s, so a tuning made on the other shows within that.
        await Eventually.Until(
            async () => (await system.Api.GetRulesAsync()).Content.GetProperty("runaway"),
            runaway => fields.All(f => runaway.GetProperty(f.Field).GetDecimal() == f.Value),
            "every tuning to hold"
        );
    }
}
