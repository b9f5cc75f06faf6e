using Tokenwise.Client.Models;
using Tokenwise.Ingestion.OutcomeReports.Webhooks;

namespace Tokenwise.Ingestion.OutcomeReports.GitHubWebhooks;

/// <summary>
/// POST /v1/webhooks/github. GitHub cannot send our API key, so the X-Hub-Signature-256 HMAC of the raw body with
/// TOKENWISE_GITHUB_SECRET is the authentication; X-GitHub-Delivery is the idempotency key.
/// </summary>
internal static class GitHubWebhookEndpoint
{
    public static void MapGitHubWebhook(this IEndpointRouteBuilder app) =>
        app.MapPost(
                "/v1/webhooks/github",
                async (
                    HttpContext http,
                    OutcomeIntake intake,
                    WebhookSecrets secrets,
                    TimeProvider clock,
                    CancellationToken ct
                ) =>
                {
                    if (secrets.GitHub is not { } secret)
                        return WebhookRequest.NotConfigured("TOKENWISE_GITHUB_SECRET");
                    var (body, problem) = await WebhookRequest.ReadRawAsync(http.Request, ct);
                    if (problem is not null)
                        return problem;
                    var signature = http.Request.Headers["X-Hub-Signature-256"].ToString();
                    if (
                        !signature.StartsWith("sha256=", StringComparison.Ordinal)
                        || !WebhookSignature.Matches(body, secret, signature["sha256=".Length..])
                    )
                        return WebhookRequest.BadSignature("X-Hub-Signature-256");
                    var delivery = http.Request.Headers["X-GitHub-Delivery"].ToString();
                    var eventName = http.Request.Headers["X-GitHub-Event"].ToString();
                    if (delivery.Length is 0 or > 200)
                        return WebhookRequest.Malformed("X-GitHub-Delivery is required (at most 200 characters).");
                    if (eventName.Length == 0)
                        return WebhookRequest.Malformed("X-GitHub-Event is required.");
                    using var document = WebhookRequest.TryParse(body!);
                    if (document is null)
                        return WebhookRequest.Malformed("The body is not JSON.");

                    var translation = GitHubEventTranslator.Translate(
                        eventName,
                        delivery,
                        document.RootElement,
                        clock.GetUtcNow()
                    );
                    if (translation.IgnoredBecause is { } reason)
                        return WebhookRequest.Ignored(reason);
                    if (WebhookRequest.Invalid(translation.Outcomes) is { } invalid)
                        return invalid;
                    return Results.Accepted(value: await intake.SubmitAsync(translation.Outcomes, ct));
                }
            )
            .AllowAnonymous()
            .WithName("ReceiveGitHubWebhook")
            .Produces<IngestResult>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
