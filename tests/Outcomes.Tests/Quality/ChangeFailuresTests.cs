using Tokenwise.Outcomes.Attribution;
using Tokenwise.Outcomes.Quality;

namespace Tokenwise.Outcomes.Tests.Quality;

public sealed class ChangeFailuresTests
{
    private static MergedChange Pr(string repo, int number, bool ai, string team = "payments", params string[] shas) =>
        new(new PrKey(repo, number), team, ai, shas.ToHashSet());

    [Fact]
    public void An_incident_naming_a_root_cause_commit_fails_the_PR_that_merged_it()
    {
        MergedChange[] merged =
        [
            Pr("acme/api", 1, true, "payments", "9f8e7d6c5b4a3210"),
            Pr("acme/api", 2, false, "payments", "0123456789abcdef"),
        ];
        var failed = ChangeFailures.FailedPrs(merged, [new Failure("incident_opened", null, [], ["9f8e7d6"])]);
        Assert.Equal([new PrKey("acme/api", 1)], failed);
    }

    [Fact]
    public void A_revert_fails_the_PR_it_names_in_its_repo_only()
    {
        MergedChange[] merged = [Pr("acme/api", 7, true), Pr("acme/web", 7, true)];
        Assert.Equal(
            [new PrKey("acme/web", 7)],
            ChangeFailures.FailedPrs(merged, [new Failure("revert", "acme/web", [7], [])])
        );
    }

    [Fact]
    public void A_PR_number_without_a_repo_links_only_when_it_is_unambiguous()
    {
        MergedChange[] merged = [Pr("acme/api", 7, true), Pr("acme/web", 7, true), Pr("acme/web", 8, false)];
        Assert.Equal(
            [new PrKey("acme/web", 8)],
            ChangeFailures.FailedPrs(merged, [new Failure("incident_opened", null, [7, 8], [])])
        );
    }

    [Fact]
    public void Failure_rates_are_computed_separately_for_AI_assisted_and_other_PRs_per_group()
    {
        MergedChange[] merged =
        [
            Pr("acme/api", 1, true),
            Pr("acme/api", 2, true),
            Pr("acme/api", 3, true),
            Pr("acme/api", 4, false),
            Pr("acme/web", 5, false, "growth"),
        ];
        var failed = new HashSet<PrKey> { new("acme/api", 1), new("acme/api", 4) };

        var byTeam = ChangeFailures.Rates(merged, failed, pr => pr.Team ?? "");
        var payments = Assert.Single(byTeam, r => r.Group == "payments");
        Assert.Equal(
            (3, 1, 1, 1),
            (payments.AiAssisted.Merged, payments.AiAssisted.Failed, payments.Other.Merged, payments.Other.Failed)
        );
        Assert.Equal(1m / 3m, payments.AiAssisted.Rate);
        Assert.Null(Assert.Single(byTeam, r => r.Group == "growth").AiAssisted.Rate);
    }

    [Theory]
    [InlineData(10, 4, 10, 3, false)] // 40 % vs 30 %: exactly the 10-point margin is not a regression
    [InlineData(10, 5, 10, 3, true)] // 50 % vs 30 %
    [InlineData(9, 9, 10, 0, false)] // too few AI-assisted PRs to say
    public void A_quality_regression_needs_the_margin_exceeded_on_enough_PRs(
        int aiMerged,
        int aiFailed,
        int otherMerged,
        int otherFailed,
        bool expected
    )
    {
        var rates = new FailureRates(
            "payments",
            new FailureRate(aiMerged, aiFailed),
            new FailureRate(otherMerged, otherFailed)
        );
        Assert.Equal(
            expected,
            new QualityRegressionRule(MarginPercentagePoints: 10m, MinimumSample: 10).IsRegression(rates)
        );
    }
}
