using Tokenwise.Outcomes.Attribution;
using Tokenwise.Outcomes.Efficiency;
using Tokenwise.Outcomes.Quality;

namespace Tokenwise.Outcomes.Tests.Efficiency;

public sealed class EfficiencyReportsTests
{
    private static MergedPrCost Pr(int number, string author, string team, bool ai, decimal cost, bool failed) =>
        new(new MergedChange(new PrKey("acme/api", number), team, ai, new HashSet<string>()), author, cost, failed);

    private static readonly EfficiencyFacts Facts = new(
        [
            Pr(1, "ann", "payments", true, 30m, true),
            Pr(2, "ann", "payments", false, 10m, false),
            Pr(3, "ben", "payments", true, 2m, false),
            Pr(4, "cat", "growth", false, 5m, false),
            Pr(5, "cat", "growth", false, 7m, false),
        ],
        [
            ("ann", "payments", "acme/api", 40m, true),
            ("ann", "payments", null, 60m, false),
            ("ben", "payments", "acme/api", 2m, true),
            ("cat", "growth", "acme/api", 12m, true),
            ("dan", "growth", null, 500m, false),
        ],
        [("acme/api", "payments", "ann")],
        [new Failure("incident_opened", null, [1], [])]
    );

    [Fact]
    public void Efficiency_per_team_gives_cost_per_merged_PR_failure_rates_and_spend_with_no_outcome()
    {
        var payments = Assert.Single(EfficiencyReports.Rows(Facts, "team"), r => r.Group == "payments");

        Assert.Equal(
            (102m, 3, 14m, 10m),
            (
                payments.SpendUsd,
                payments.MergedPrs,
                payments.CostPerMergedPrMeanUsd!.Value,
                payments.CostPerMergedPrMedianUsd!.Value
            )
        );
        Assert.Equal((1, 1), (payments.Deployments, payments.Incidents));
        Assert.Equal(
            (2, 1, 0.5m),
            (payments.AiAssisted.MergedPrs, payments.AiAssisted.FailedPrs, payments.AiAssisted.Rate!.Value)
        );
        Assert.Equal((1, 0, 0m), (payments.Other.MergedPrs, payments.Other.FailedPrs, payments.Other.Rate!.Value));
        Assert.Equal(60m, payments.UnattributedSpendUsd);
        Assert.Equal(60m / 102m, payments.UnattributedShare);
    }

    [Fact]
    public void The_value_board_ranks_merged_PRs_without_failures_not_spend_and_never_tokens()
    {
        var board = EfficiencyReports.Valueboard(Facts, "user");

        // cat: 2 good PRs for $12; ann: 1 good PR (the other caused an incident) for $100; ben: 1 for $2; dan: nothing for $500.
        Assert.Equal(["cat", "ben", "ann", "dan"], board.Select(r => r.Group));
        Assert.Equal([1, 2, 3, 4], board.Select(r => r.Rank));
        Assert.Equal(6m, board[0].SpendPerGoodPrUsd);
        Assert.Null(board[3].SpendPerGoodPrUsd);
    }
}
