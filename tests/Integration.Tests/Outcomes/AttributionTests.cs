using System.Net;
using Tokenwise.Client.Models;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Outcomes;

public sealed class AttributionTests(OutcomesSystem system) : IClassFixture<OutcomesSystem>
{
    private static string NewRepo() => "acme/r" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>gpt-4.1 input is $2 per MTok: 50,000 tokens cost $0.10.</summary>
    private static UsageEvent Usage(
        string user,
        DateTimeOffset at,
        string? repo = null,
        string? branch = null,
        int? pr = null,
        string? session = null
    ) =>
        new()
        {
            Id = Guid.NewGuid().ToString("N"),
            OccurredAt = at,
            User = user,
            Model = "gpt-4.1",
            InputTokens = 50_000,
            Repo = repo,
            Branch = branch,
            PrNumber = pr,
            SessionId = session,
        };

    private static OutcomeEvent Merge(
        string repo,
        int number,
        string author,
        DateTimeOffset at,
        string? branch = null,
        bool ai = false
    ) =>
        new()
        {
            Id = Guid.NewGuid().ToString("N"),
            OccurredAt = at,
            Kind = "pr_merged",
            Repo = repo,
            PrNumber = number,
            User = author,
            Branch = branch,
            Sha = Guid.NewGuid().ToString("N")[..12],
            AiAssisted = ai,
        };

    private async Task<PrReport> PrUntil(string repo, int number, Func<PrReport, bool> done, string what)
    {
        var (owner, name) = (repo.Split('/')[0], repo.Split('/')[1]);
        return await Eventually.Until(
            async () => (await system.Api.GetPrAsync(owner, name, number)).Content!,
            pr => pr is not null && done(pr),
            what
        );
    }

    [Fact]
    public async Task A_merge_arriving_after_its_usage_claims_it_and_usage_arriving_after_the_merge_attaches()
    {
        var (repo, now) = (NewRepo(), DateTimeOffset.UtcNow);
        await system.Ingest.RecordUsageBatchAsync([
            Usage("dev-a", now.AddHours(-3), repo, branch: "feat/login"),
            Usage("dev-a", now.AddHours(-2), session: "s-login"),
        ]);
        await system.Ingest.RecordOutcomesAsync([
            Merge(repo, 7, "dev-a", now.AddHours(-1), branch: "feat/login", ai: true),
        ]);

        var claimed = await PrUntil(repo, 7, pr => pr.Requests == 2, "the merge to claim the earlier usage");
        Assert.Equal(0.20m, claimed.CostUsd);
        Assert.Equal(1, claimed.AttributionRules["Explicit"]);
        Assert.Equal(1, claimed.AttributionRules["Window"]);
        Assert.True(claimed.AiAssisted);

        // Late usage that names the PR attaches to it although the merge is already known.
        await system.Ingest.RecordUsageAsync(Usage("dev-b", now.AddHours(-5), repo, pr: 7));
        var late = await PrUntil(repo, 7, pr => pr.Requests == 3, "the late usage to attach");
        Assert.Equal(["dev-a", "dev-b"], late.Users);
        Assert.Equal(0.30m, late.CostUsd);
    }

    [Fact]
    public async Task A_commit_named_in_either_case_and_either_length_ties_usage_to_the_merge_with_that_commit()
    {
        var (repo, now) = (NewRepo(), DateTimeOffset.UtcNow);
        var sha = (Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"))[..40];
        // Written by someone other than the author, so neither the window nor a session can take it: only the commit.
        await system.Ingest.RecordUsageAsync(
            Usage("dev-h", now.AddHours(-3), repo) with
            {
                CommitSha = sha.ToUpperInvariant(),
            }
        );
        await system.Ingest.RecordOutcomesAsync([Merge(repo, 41, "dev-i", now.AddHours(-1)) with { Sha = sha[..12] }]);
        var claimed = await PrUntil(repo, 41, pr => pr.Requests == 1, "the merge to claim the usage on its commit");
        Assert.Equal("Explicit", claimed.AttributionRules.Keys.Single());

        await system.Ingest.RecordUsageAsync(Usage("dev-j", now.AddHours(-2), repo) with { CommitSha = sha[..7] });
        var late = await PrUntil(repo, 41, pr => pr.Requests == 2, "later usage on a short form of the commit");
        Assert.Equal(["dev-h", "dev-j"], late.Users);
    }

    [Fact]
    public async Task Usage_naming_a_PR_that_has_not_merged_waits_for_it_instead_of_going_to_the_authors_merged_PR()
    {
        var (repo, now) = (NewRepo(), DateTimeOffset.UtcNow);
        await system.Ingest.RecordOutcomesAsync([Merge(repo, 7, "dev-e", now.AddHours(-1))]);
        await system.Ingest.RecordUsageBatchAsync([
            Usage("dev-e", now.AddHours(-2), repo),
            Usage("dev-e", now.AddHours(-2), repo, pr: 8),
        ]);

        // Both were decided together: the window gives PR 7 its author's usage in the repo, not the usage naming PR 8.
        var seven = await PrUntil(repo, 7, pr => pr.Requests >= 1, "PR 7 to take its author's usage");
        Assert.Equal((1L, "Window"), (seven.Requests, seven.AttributionRules.Keys.Single()));

        await system.Ingest.RecordOutcomesAsync([Merge(repo, 8, "dev-e", now.AddMinutes(-30))]);
        var eight = await PrUntil(repo, 8, pr => pr.Requests == 1, "the usage naming PR 8 to go to it once it merges");
        Assert.Equal("Explicit", eight.AttributionRules.Keys.Single());
        Assert.Equal(1, (await system.Api.GetPrAsync(repo.Split('/')[0], repo.Split('/')[1], 7)).Content!.Requests);
    }

    [Fact]
    public async Task Usage_of_someone_else_or_after_the_merge_is_not_claimed_by_the_window()
    {
        var (repo, now) = (NewRepo(), DateTimeOffset.UtcNow);
        await system.Ingest.RecordOutcomesAsync([Merge(repo, 9, "dev-c", now.AddHours(-2))]);
        await system.Ingest.RecordUsageBatchAsync([
            Usage("dev-c", now.AddHours(-3), repo),
            Usage("dev-d", now.AddHours(-3), repo),
            Usage("dev-c", now.AddHours(-1), repo),
        ]);

        var pr = await PrUntil(repo, 9, p => p.Requests >= 1, "the author's earlier usage");
        Assert.False(pr.AiAssisted); // not flagged, and usage in the author's window alone does not make it AI-assisted
        // Later usage by someone else is charged too; once it is, the PR must still hold only dev-c's earlier request.
        await system.Ingest.RecordUsageAsync(Usage("dev-c", now.AddHours(-2.5), repo, pr: 9));
        pr = await PrUntil(repo, 9, p => p.Requests >= 2, "the explicit marker");
        Assert.Equal(2, pr.Requests);
        Assert.Equal(["dev-c"], pr.Users);
    }

    [Fact]
    public async Task A_session_follows_the_one_PR_a_later_event_names_and_no_PR_once_it_names_two()
    {
        var (repo, now, user) = (NewRepo(), DateTimeOffset.UtcNow, "dev-" + Guid.NewGuid().ToString("N")[..6]);
        // Merged by someone else, so only the session can take the unnamed events there.
        await system.Ingest.RecordOutcomesAsync([
            Merge(repo, 31, "dev-g", now.AddHours(-1)),
            Merge(repo, 32, "dev-g", now.AddMinutes(-50)),
        ]);
        await system.Ingest.RecordUsageBatchAsync([
            Usage(user, now.AddHours(-3), session: "s-" + user),
            Usage(user, now.AddHours(-3), session: "s-" + user),
        ]);
        var (yesterday, today) = (now.AddDays(-1).ToString("yyyy-MM-dd"), now.ToString("yyyy-MM-dd"));
        await Eventually.Until(
            async () =>
                (await system.Api.GetEfficiencyAsync("user", yesterday, today)).Content!.Rows.SingleOrDefault(r =>
                    r.Group == user
                ),
            r => r?.UnattributedSpendUsd == 0.20m,
            "the unnamed session usage to be known, with no outcome"
        );

        await system.Ingest.RecordUsageAsync(Usage(user, now.AddHours(-2), repo, pr: 31, session: "s-" + user));
        var followed = await PrUntil(
            repo,
            31,
            p => p.Requests == 3,
            "the session's earlier events to follow the PR it names"
        );
        Assert.Equal((1, 2), (followed.AttributionRules["Explicit"], followed.AttributionRules["Session"]));
        Assert.True(followed.AiAssisted); // not flagged by the merge, but AI usage was spent on it

        await system.Ingest.RecordUsageAsync(Usage(user, now.AddHours(-2), repo, pr: 32, session: "s-" + user));
        var released = await PrUntil(
            repo,
            31,
            p => p.Requests == 1,
            "the session naming two PRs to release its unnamed events"
        );
        Assert.Equal(["Explicit"], released.AttributionRules.Keys);
        Assert.Equal(
            1,
            (await PrUntil(repo, 32, p => p.Requests == 1, "the second PR's explicit event")).AttributionRules[
                "Explicit"
            ]
        );
    }

    [Fact]
    public async Task A_revert_and_an_incident_naming_the_merge_commit_show_on_the_PR()
    {
        var (repo, now) = (NewRepo(), DateTimeOffset.UtcNow);
        var merge = Merge(repo, 11, "dev-e", now.AddHours(-4));
        await system.Ingest.RecordOutcomesAsync([
            merge,
            new OutcomeEvent
            {
                Id = Guid.NewGuid().ToString("N"),
                OccurredAt = now.AddHours(-3),
                Kind = "incident_opened",
                Title = $"Checkout down, root cause: {merge.Sha}",
            },
            new OutcomeEvent
            {
                Id = Guid.NewGuid().ToString("N"),
                OccurredAt = now.AddHours(-2),
                Kind = "revert",
                Repo = repo,
                Links = new OutcomeLinksModel([11]),
            },
        ]);

        var pr = await PrUntil(repo, 11, p => p.Reverted && p.Incidents.Count == 1, "the revert and the incident");
        Assert.Contains(merge.Sha!, pr.Incidents.Single());
    }

    [Fact]
    public async Task PRs_are_found_by_repo_failure_and_cost_with_their_size_and_a_bad_filter_is_named()
    {
        var (repo, now) = (NewRepo(), DateTimeOffset.UtcNow);
        await system.Ingest.RecordUsageBatchAsync([Usage("dev-g", now.AddHours(-3), repo, pr: 31)]);
        await system.Ingest.RecordOutcomesAsync([
            Merge(repo, 31, "dev-g", now.AddHours(-2), ai: true) with
            {
                LinesAdded = 120,
                LinesDeleted = 30,
            },
            Merge(repo, 32, "dev-g", now.AddHours(-1)),
            new OutcomeEvent
            {
                Id = Guid.NewGuid().ToString("N"),
                OccurredAt = now.AddMinutes(-30),
                Kind = "revert",
                Repo = repo,
                Links = new OutcomeLinksModel([32]),
            },
        ]);
        await PrUntil(repo, 31, p => p.Requests == 1, "the usage to be attributed");
        await PrUntil(repo, 32, p => p.Reverted, "the revert");

        var found = (await system.Api.SearchPrsAsync(repo: repo.ToUpperInvariant())).Content!;
        Assert.Equal(2, found.Total);
        Assert.Equal([32, 31], found.Prs.Select(p => p.Number));
        var first = found.Prs[1];
        Assert.Equal((0.10m, 150, true, false), (first.CostUsd, first.LinesChanged, first.AiAssisted, first.Failed));
        Assert.Null(found.Prs[0].LinesChanged);
        Assert.Equal(
            [32],
            (await system.Api.SearchPrsAsync(repo: repo, failed: true)).Content!.Prs.Select(p => p.Number)
        );
        Assert.Equal(
            [31],
            (await system.Api.SearchPrsAsync(repo: repo, minCostUsd: 0.05m)).Content!.Prs.Select(p => p.Number)
        );

        var bad = await system.Api.SearchPrsAsync(repo: repo, limit: 501);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"limit\"", (bad.Error as Refit.ApiException)!.Content);
    }

    [Fact]
    public async Task An_unknown_PR_is_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.GetPrAsync("acme", "nothing", 1)).StatusCode);
    }

    [Fact]
    public async Task Efficiency_by_repo_shows_spend_merges_cost_per_merge_and_deployments()
    {
        var (repo, now) = (NewRepo(), DateTimeOffset.UtcNow);
        await system.Ingest.RecordUsageBatchAsync([
            Usage("dev-f", now.AddHours(-3), repo, pr: 21),
            Usage("dev-f", now.AddHours(-3), repo, pr: 21),
        ]);
        // Merged and deployed just now, so they fall in the current week whenever the test runs (but its first minute).
        await system.Ingest.RecordOutcomesAsync([
            Merge(repo, 21, "dev-f", now.AddSeconds(-30), ai: true),
            new OutcomeEvent
            {
                Id = Guid.NewGuid().ToString("N"),
                OccurredAt = now.AddSeconds(-20),
                Kind = "deployment",
                Repo = repo,
                Sha = "abcdef1234",
            },
        ]);
        await PrUntil(repo, 21, p => p.Requests == 2, "the usage to be attributed");

        var (yesterday, today) = (now.AddDays(-1).ToString("yyyy-MM-dd"), now.ToString("yyyy-MM-dd"));
        var row = await Eventually.Until(
            async () =>
                (await system.Api.GetEfficiencyAsync("repo", yesterday, today)).Content!.Rows.SingleOrDefault(r =>
                    r.Group == repo
                ),
            r => r?.Deployments == 1,
            "the deployment to count"
        );
        Assert.Equal(
            (0.20m, 1, 0.20m, 0.20m),
            (row!.SpendUsd, row.MergedPrs, row.CostPerMergedPrMeanUsd!.Value, row.CostPerMergedPrMedianUsd!.Value)
        );
        Assert.Equal((1, 0), (row.AiAssisted.MergedPrs, row.AiAssisted.FailedPrs));
        Assert.Equal(0m, row.UnattributedSpendUsd);

        var board = (await system.Api.GetValueboardAsync("week", "user")).Content!;
        Assert.Contains(board.Rows, r => r.Group == "dev-f" && r.MergedPrsWithoutFailure >= 1);
    }
}
