using Tokenwise.Outcomes.Attribution;

namespace Tokenwise.Outcomes.Tests.Attribution;

public sealed class AttributionRulesTests
{
    private static readonly DateTimeOffset Merge = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly PrKey Pr42 = new("acme/api", 42);
    private static readonly PrKey Pr43 = new("acme/api", 43);

    private static MergedPr Pr(
        PrKey key,
        DateTimeOffset mergedAt,
        string author = "alice",
        string? head = null,
        string[]? shas = null,
        string[]? sessions = null
    ) => new(key, author, mergedAt, head, (shas ?? []).ToHashSet(), (sessions ?? []).ToHashSet());

    private static UsageFacts Usage(
        DateTimeOffset at,
        string user = "alice",
        string? repo = null,
        string? branch = null,
        int? prNumber = null,
        string? sha = null,
        string? session = null
    ) => new("u-" + Guid.NewGuid().ToString("N"), user, at, repo, branch, prNumber, sha, session);

    private static AttributionDecision Decide(
        UsageFacts usage,
        IReadOnlySet<PrKey>? sessionPrs = null,
        params MergedPr[] merged
    ) => AttributionRules.Decide(usage, merged, sessionPrs ?? new HashSet<PrKey>(), AttributionRules.DefaultWindow);

    [Fact]
    public void Usage_naming_the_repo_and_PR_number_goes_to_that_PR_explicitly()
    {
        var attribution = Decide(
            Usage(Merge.AddDays(-30), user: "bob", repo: "acme/api", prNumber: 42),
            null,
            Pr(Pr42, Merge)
        );
        Assert.Equal(new AttributionDecision(Pr42, AttributionRule.Explicit), attribution);
    }

    [Theory]
    [InlineData("feat/retry", null, null)]
    [InlineData(null, "abc1234", null)]
    [InlineData(null, null, "session-9")]
    public void Usage_on_the_PRs_branch_or_commit_or_a_session_it_lists_goes_to_it_explicitly(
        string? branch,
        string? sha,
        string? session
    )
    {
        var pr = Pr(Pr42, Merge, head: "feat/retry", shas: ["abc1234def5678"], sessions: ["session-9"]);
        var attribution = Decide(
            Usage(Merge.AddDays(-20), user: "bob", branch: branch, sha: sha, session: session),
            null,
            pr
        );
        Assert.Equal(new AttributionDecision(Pr42, AttributionRule.Explicit), attribution);
    }

    [Fact]
    public void The_rest_of_a_session_that_names_one_PR_goes_to_it_by_session()
    {
        var pr = Pr(Pr42, Merge, head: "feat/retry");
        var sessionUsage = new[]
        {
            Usage(Merge.AddDays(-9), session: "s1", branch: "feat/retry"),
            Usage(Merge.AddDays(-9), session: "s1"),
        };
        var sessionPrs = AttributionRules.SessionPrs(sessionUsage, [pr]);

        Assert.Equal(new AttributionDecision(Pr42, AttributionRule.Session), Decide(sessionUsage[1], sessionPrs, pr));
    }

    [Fact]
    public void A_session_that_names_two_PRs_attributes_its_rest_to_neither_by_session()
    {
        PrKey[] both = [Pr42, Pr43];
        var attribution = Decide(
            Usage(Merge.AddDays(-9), user: "bob", session: "s1"),
            both.ToHashSet(),
            Pr(Pr42, Merge),
            Pr(Pr43, Merge)
        );
        Assert.Equal(AttributionDecision.None, attribution);
    }

    [Fact]
    public void The_authors_usage_in_the_repo_within_seven_days_before_the_merge_goes_to_it_by_window()
    {
        var pr = Pr(Pr42, Merge);
        Assert.Equal(new AttributionDecision(Pr42, AttributionRule.Window), Decide(Usage(Merge.AddDays(-7)), null, pr));
        Assert.Equal(
            new AttributionDecision(Pr42, AttributionRule.Window),
            Decide(Usage(Merge.AddHours(-1), repo: "acme/api"), null, pr)
        );
        Assert.Equal(AttributionDecision.None, Decide(Usage(Merge.AddDays(-7).AddSeconds(-1)), null, pr));
    }

    [Fact]
    public void The_window_does_not_reach_other_people_other_repos_or_after_the_merge()
    {
        var pr = Pr(Pr42, Merge);
        Assert.Equal(AttributionDecision.None, Decide(Usage(Merge.AddHours(-1), user: "bob"), null, pr));
        Assert.Equal(AttributionDecision.None, Decide(Usage(Merge.AddHours(-1), repo: "acme/web"), null, pr));
        Assert.Equal(AttributionDecision.None, Decide(Usage(Merge.AddSeconds(1)), null, pr));
    }

    [Fact]
    public void The_window_starts_after_the_authors_previous_merge_in_the_repo()
    {
        var previous = Pr(Pr42, Merge.AddDays(-3));
        var next = Pr(Pr43, Merge);

        Assert.Equal(Pr42, Decide(Usage(Merge.AddDays(-4)), null, previous, next).Pr);
        Assert.Equal(Pr43, Decide(Usage(Merge.AddDays(-2)), null, previous, next).Pr);
    }

    [Fact]
    public void Explicit_beats_window_even_when_the_window_PR_merged_first()
    {
        var windowPr = Pr(Pr42, Merge.AddHours(-1));
        var namedPr = Pr(Pr43, Merge, head: "feat/x");
        var attribution = Decide(Usage(Merge.AddHours(-2), branch: "feat/x"), null, windowPr, namedPr);
        Assert.Equal(new AttributionDecision(Pr43, AttributionRule.Explicit), attribution);
    }

    [Fact]
    public void Usage_that_two_PRs_could_claim_by_the_same_rule_goes_to_exactly_one_the_earliest_merge()
    {
        var later = Pr(Pr42, Merge, sessions: ["s"]);
        var earlier = Pr(Pr43, Merge.AddMinutes(-5), sessions: ["s"]);

        Assert.Equal(
            new AttributionDecision(Pr43, AttributionRule.Explicit),
            Decide(Usage(Merge.AddDays(-1), session: "s"), null, later, earlier)
        );
    }

    [Fact]
    public void Usage_naming_a_PR_that_has_not_merged_is_not_given_to_the_authors_merged_PR_by_the_window()
    {
        var merged7 = Pr(new PrKey("acme/api", 7), Merge);
        var attribution = Decide(Usage(Merge.AddHours(-1), repo: "acme/api", prNumber: 8), null, merged7);
        Assert.Equal(AttributionDecision.None, attribution);
    }

    [Theory]
    [InlineData("feat/not-merged", null)]
    [InlineData(null, "fedcba9876")]
    public void Usage_naming_a_branch_or_commit_of_no_merged_PR_is_not_given_to_its_sessions_PR(
        string? branch,
        string? sha
    )
    {
        var pr = Pr(Pr42, Merge, head: "feat/retry");
        var attribution = Decide(
            Usage(Merge.AddHours(-1), session: "s1", branch: branch, sha: sha),
            new HashSet<PrKey> { Pr42 },
            pr
        );
        Assert.Equal(AttributionDecision.None, attribution);
    }

    [Fact]
    public void Usage_naming_a_PR_goes_to_it_once_it_merges_even_after_another_PR_of_the_author()
    {
        var merged7 = Pr(new PrKey("acme/api", 7), Merge.AddHours(-2));
        var merged8 = Pr(new PrKey("acme/api", 8), Merge);
        var attribution = Decide(Usage(Merge.AddHours(-3), repo: "acme/api", prNumber: 8), null, merged7, merged8);
        Assert.Equal(new AttributionDecision(new PrKey("acme/api", 8), AttributionRule.Explicit), attribution);
    }
}
