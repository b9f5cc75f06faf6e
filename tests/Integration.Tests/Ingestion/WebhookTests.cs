using System.Net;
using System.Text;
using Tokenwise.Client;
using Tokenwise.Contracts;
using Tokenwise.Ingestion;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Ingestion;

public sealed class WebhookTests(IngestionSystem system) : IClassFixture<IngestionSystem>
{
    private static byte[] MergedPr(int number) =>
        Encoding.UTF8.GetBytes(
            $$$$"""
            {"action":"closed","number":{{{{number}}}},"pull_request":{"number":{{{{number}}}},"merged":true,"merged_at":"{{{{DateTimeOffset.UtcNow:O}}}}",
             "merge_commit_sha":"abc{{{{number:d8}}}}","user":{"login":"carol"},"body":"Co-authored-by: Claude <noreply@anthropic.com>",
             "head":{"ref":"feat/{{{{number}}}}","sha":"def{{{{number:d8}}}}"},"labels":[]},"repository":{"full_name":"acme/api"}}
            """
        );

    [Fact]
    public async Task A_signed_GitHub_merge_is_recorded_once_even_when_redelivered()
    {
        var body = MergedPr(101);
        var delivery = Guid.NewGuid().ToString();
        var signature = WebhookSigning.GitHub(body, IngestionSystem.GitHubSecret);

        var first = await system.Api.GitHubWebhookAsync(JsonBodies.Of(body), "pull_request", delivery, signature);
        var again = await system.Api.GitHubWebhookAsync(JsonBodies.Of(body), "pull_request", delivery, signature);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(1, first.Content.GetProperty("accepted").GetInt32());
        Assert.Equal(1, again.Content.GetProperty("duplicates").GetInt32());
        var merged = Assert.Single(await system.StoredOutcomes($"github/{delivery}"));
        Assert.Equal(
            (OutcomeKinds.PrMerged, 101, true),
            (merged.Kind, merged.PrNumber!.Value, merged.AiAssisted!.Value)
        );
    }

    [Theory]
    [InlineData("sha256=0000")]
    [InlineData("")]
    public async Task A_GitHub_webhook_with_a_wrong_or_missing_signature_gets_401_and_stores_nothing(string signature)
    {
        var delivery = Guid.NewGuid().ToString();
        var response = await system.Api.GitHubWebhookAsync(
            JsonBodies.Of(MergedPr(102)),
            "pull_request",
            delivery,
            signature
        );

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await system.StoredOutcomes($"github/{delivery}"));
    }

    [Fact]
    public async Task A_body_signed_with_another_secret_is_refused()
    {
        var body = MergedPr(103);
        var response = await system.Api.GitHubWebhookAsync(
            JsonBodies.Of(body),
            "pull_request",
            Guid.NewGuid().ToString(),
            WebhookSigning.GitHub(body, "not-the-secret")
        );
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_ping_is_acknowledged_and_ignored()
    {
        var body = Encoding.UTF8.GetBytes("""{"zen":"Design for failure.","hook_id":1}""");
        var response = await system.Api.GitHubWebhookAsync(
            JsonBodies.Of(body),
            "ping",
            Guid.NewGuid().ToString(),
            WebhookSigning.GitHub(body, IngestionSystem.GitHubSecret)
        );
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(response.Content.GetProperty("ignored").GetBoolean());
    }

    [Fact]
    public async Task PagerDuty_accepts_any_one_matching_signature_of_several()
    {
        var eventId = Guid.NewGuid().ToString("N");
        var body = Encoding.UTF8.GetBytes(
            $$$$"""
            {"event":{"id":"{{{{eventId}}}}","event_type":"incident.triggered","occurred_at":"{{{{DateTimeOffset.UtcNow:O}}}}",
              "data":{"id":"PX1","title":"Checkout down, root cause: abc1010"}}}
            """
        );
        var signatures = WebhookSigning.PagerDuty(body, "old-rotated-secret", IngestionSystem.PagerDutySecret);

        var response = await system.Api.PagerDutyWebhookAsync(JsonBodies.Of(body), signatures);
        var wrong = await system.Api.PagerDutyWebhookAsync(
            JsonBodies.Of(body),
            WebhookSigning.PagerDuty(body, "old-rotated-secret")
        );

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var incident = Assert.Single(await system.StoredOutcomes($"pagerduty/{eventId}"));
        Assert.Equal(["abc1010"], incident.Links.Shas);
    }

    [Fact]
    public async Task Without_a_configured_secret_webhooks_answer_503_not_configured()
    {
        await using var unconfigured = await RunningService.StartAsync(IngestionHost.Build, system.Environment);
        var api = unconfigured.Client<Tokenwise.Client.Apis.IIngestionApi>();
        var body = MergedPr(104);

        var github = await api.GitHubWebhookAsync(
            JsonBodies.Of(body),
            "pull_request",
            "d",
            WebhookSigning.GitHub(body, "anything")
        );
        var pagerDuty = await api.PagerDutyWebhookAsync(
            JsonBodies.Of(body),
            WebhookSigning.PagerDuty(body, "anything")
        );

        Assert.Equal(
            (HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable),
            (github.StatusCode, pagerDuty.StatusCode)
        );
        Assert.Contains("not configured", github.ErrorBody());
    }
}
