using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.OutcomeReports.GitHubWebhooks;

namespace Tokenwise.Ingestion.Tests.Outcomes;

public sealed class GitHubEventTranslatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    public static string PullRequestClosed(bool merged, string body = "Fixes the retry loop.", string labels = "") =>
        $$$"""
            {"action":"closed","number":42,
             "pull_request":{"number":42,"merged":{{{(merged ? "true" : "false")}}},"merged_at":{{{(
                merged ? "\"2026-11-20T10:00:00Z\"" : "null"
            )}}},
               "closed_at":"2026-11-20T10:00:00Z","merge_commit_sha":"ABCDEF1234567","title":"Retry with backoff",
               "body":{{{JsonSerializer.Serialize(body)}}},"user":{"login":"alice-gh"},"additions":120,"deletions":30,
               "head":{"ref":"feat/retry","sha":"1111111aaaa"},"base":{"ref":"main"},"labels":[{{{labels}}}]},
             "repository":{"full_name":"acme/api"}}
            """;

    private static Translation Translate(string eventName, string json)
    {
        using var document = JsonDocument.Parse(json);
        return GitHubEventTranslator.Translate(eventName, "delivery-1", document.RootElement, Now);
    }

    [Fact]
    public void A_merged_pull_request_becomes_pr_merged_with_its_branch_commits_and_author()
    {
        var outcome = Assert.Single(Translate("pull_request", PullRequestClosed(merged: true)).Outcomes);

        Assert.Equal(OutcomeKinds.PrMerged, outcome.Kind);
        Assert.Equal(
            ("github/delivery-1", "acme/api", 42, "abcdef1234567", "feat/retry", "alice-gh"),
            (outcome.Key, outcome.Repo, outcome.PrNumber!.Value, outcome.Sha, outcome.HeadRef, outcome.User)
        );
        Assert.Equal(["1111111aaaa"], outcome.CommitShas);
        Assert.Equal((120, 30), (outcome.LinesAdded!.Value, outcome.LinesDeleted!.Value));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), outcome.OccurredAt);
        Assert.False(outcome.AiAssisted);
    }

    [Fact]
    public void A_pull_request_closed_without_merging_is_pr_closed_never_a_merge()
    {
        Assert.Equal(
            OutcomeKinds.PrClosed,
            Assert.Single(Translate("pull_request", PullRequestClosed(merged: false)).Outcomes).Kind
        );
    }

    [Theory]
    [InlineData("Co-authored-by: Claude <noreply@anthropic.com>")]
    [InlineData("co-authored-by: GitHub Copilot <copilot@github.com>")]
    [InlineData("🤖 Generated with [Claude Code](https://claude.com/claude-code)")]
    [InlineData("Made-with: Cursor")]
    [InlineData("Co-Authored-By: Devin AI <devin@cognition.ai>")]
    public void A_pull_request_body_with_an_AI_trailer_is_AI_assisted(string trailer)
    {
        var outcome = Translate("pull_request", PullRequestClosed(true, $"Change.\n\n{trailer}\n")).Outcomes.Single();
        Assert.True(outcome.AiAssisted);
    }

    [Fact]
    public void An_ai_assisted_label_or_a_Claude_session_trailer_marks_AI_assistance_and_names_the_session()
    {
        Assert.True(
            Translate("pull_request", PullRequestClosed(true, labels: """{"name":"AI-Assisted"}"""))
                .Outcomes.Single()
                .AiAssisted
        );
        var outcome = Translate(
            "pull_request",
            PullRequestClosed(true, "Body\nClaude-Session: https://claude.ai/code/session_01ABC\n")
        )
            .Outcomes.Single();
        Assert.True(outcome.AiAssisted);
        Assert.Equal(["session_01ABC"], outcome.SessionIds);
    }

    [Fact]
    public void A_human_co_author_does_not_make_a_pull_request_AI_assisted()
    {
        Assert.False(
            Translate("pull_request", PullRequestClosed(true, "Co-authored-by: Bob Smith <bob@acme.io>"))
                .Outcomes.Single()
                .AiAssisted
        );
    }

    [Fact]
    public void A_merged_revert_pull_request_also_records_a_revert_of_the_original()
    {
        var outcomes = Translate("pull_request", PullRequestClosed(true, "Reverts acme/api#17")).Outcomes;

        Assert.Equal([OutcomeKinds.PrMerged, OutcomeKinds.Revert], outcomes.Select(o => o.Kind));
        Assert.Equal([17], outcomes[1].Links.PrNumbers);
        Assert.NotEqual(outcomes[0].Key, outcomes[1].Key);
    }

    [Fact]
    public void A_successful_deployment_status_becomes_a_deployment_and_other_states_are_ignored()
    {
        const string Json = """
            {"action":"created","deployment_status":{"state":"STATE","environment":"production","created_at":"2026-11-20T11:00:00Z"},
             "deployment":{"id":9,"sha":"ABC1234","ref":"main","environment":"production"},"repository":{"full_name":"acme/api"}}
            """;
        var deployment = Assert.Single(Translate("deployment_status", Json.Replace("STATE", "success")).Outcomes);
        Assert.Equal(
            (OutcomeKinds.Deployment, "abc1234", "production"),
            (deployment.Kind, deployment.Sha, deployment.Environment)
        );
        Assert.Contains("failure", Translate("deployment_status", Json.Replace("STATE", "failure")).IgnoredBecause);
    }

    [Theory]
    [InlineData("opened", "[{\"name\":\"incident\"}]", null, "incident_opened")]
    [InlineData("labeled", "[{\"name\":\"incident\"}]", "incident", "incident_opened")]
    [InlineData("closed", "[{\"name\":\"incident\"}]", null, "incident_resolved")]
    [InlineData("opened", "[{\"name\":\"bug\"}]", null, null)]
    [InlineData("labeled", "[{\"name\":\"incident\"},{\"name\":\"p1\"}]", "p1", null)]
    public void Issues_labeled_incident_open_and_resolve_incidents_linking_their_root_cause(
        string action,
        string labels,
        string? label,
        string? kind
    )
    {
        var labelJson = label is null ? "" : "\"label\":{\"name\":\"" + label + "\"},";
        var json = $$$"""
            {"action":"{{{action}}}",{{{labelJson}}}
             "issue":{"number":57,"title":"Checkout errors","body":"Impact: 5%\nroot cause: 9f8e7d6c","labels":{{{labels}}},
                      "created_at":"2026-11-20T09:00:00Z","closed_at":"2026-11-20T11:00:00Z","user":{"login":"oncall"}},
             "repository":{"full_name":"acme/api"}}
            """;
        var translation = Translate("issues", json);
        if (kind is null)
        {
            Assert.Empty(translation.Outcomes);
            return;
        }
        var incident = Assert.Single(translation.Outcomes);
        Assert.Equal((kind, "acme/api#57"), (incident.Kind, incident.ExternalId));
        Assert.Equal(["9f8e7d6c"], incident.Links.Shas);
    }

    [Theory]
    [InlineData("ping", "{\"zen\":\"Keep it logically awesome.\"}")]
    [InlineData("push", "{\"ref\":\"refs/heads/main\"}")]
    [InlineData("pull_request", "{\"action\":\"opened\",\"number\":1}")]
    public void Everything_else_is_ignored(string eventName, string json)
    {
        var translation = Translate(eventName, json);
        Assert.Empty(translation.Outcomes);
        Assert.NotNull(translation.IgnoredBecause);
    }
}
