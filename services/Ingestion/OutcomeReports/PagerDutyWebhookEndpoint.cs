using System.Text.Json;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.OutcomeReports.GitHubWebhooks;
using Tokenwise.Ingestion.OutcomeReports.Webhooks;
using Tokenwise.Ingestion.Usage;

namespace Tokenwise.Ingestion.OutcomeReports;

/// <summary>
/// POST /v1/webhooks/pagerduty (V3): incident.triggered → incident_opened, incident.resolved → incident_resolved.
/// X-PagerDuty-Signature lists one or more "v1=&lt;hex&gt;" (several while a secret rotates): any one must match.
/// </summary>
internal static class PagerDutyWebhookEndpoint
{
    public const string Source = "pagerduty";

    public static void MapPagerDutyWebhook(this IEndpointRouteBuilder app) =>
        app.MapPost(
                "/v1/webhooks/pagerduty",
                async (
                    HttpContext http,
                    OutcomeIntake intake,
                    WebhookSecrets secrets,
                    TimeProvider clock,
                    CancellationToken ct
                ) =>
                {
                    if (secrets.PagerDuty is not { } secret)
                        return WebhookRequest.NotConfigured("TOKENWISE_PAGERDUTY_SECRET");
                    var (body, problem) = await WebhookRequest.ReadRawAsync(http.Request, ct);
                    if (problem is not null)
                        return problem;
                    var signatures = http
                        .Request.Headers["X-PagerDuty-Signature"]
                        .ToString()
                        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Where(s => s.StartsWith("v1=", StringComparison.Ordinal))
                        .Select(s => s[3..]);
                    if (!WebhookSignature.MatchesAny(body, secret, signatures))
                        return WebhookRequest.BadSignature("X-PagerDuty-Signature");
                    using var document = WebhookRequest.TryParse(body!);
                    if (document is null)
                        return WebhookRequest.Malformed("The body is not JSON.");

                    var translation = Translate(document.RootElement, clock.GetUtcNow());
                    if (translation.IgnoredBecause is { } reason)
                        return WebhookRequest.Ignored(reason);
                    if (translation.Outcomes.Count == 0)
                        return WebhookRequest.Malformed("event.id is required.");
                    if (WebhookRequest.Invalid(translation.Outcomes) is { } invalid)
                        return invalid;
                    return Results.Accepted(value: await intake.SubmitAsync(translation.Outcomes, ct));
                }
            )
            .AllowAnonymous()
            .WithName("ReceivePagerDutyWebhook")
            .Produces<IngestResult>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    internal static Translation Translate(JsonElement payload, DateTimeOffset now)
    {
        var type = Json.Str(payload, "event", "event_type");
        var kind = type switch
        {
            "incident.triggered" => OutcomeKinds.IncidentOpened,
            "incident.resolved" => OutcomeKinds.IncidentResolved,
            _ => null,
        };
        if (kind is null)
            return Translation.Ignore($"'{type}' is not an incident opening or resolution");
        if (Json.Str(payload, "event", "id") is not { Length: > 0 } id)
            return new Translation([]);
        var data = Json.At(payload, "event", "data") ?? default;
        var title = Json.Str(data, "title");
        return new Translation([
            new OutcomeRecorded
            {
                Key = UsageKeys.For(Source, id),
                Source = Source,
                Id = id,
                Kind = kind,
                OccurredAt = Json.Time(payload, "event", "occurred_at") ?? now,
                RecordedAt = now,
                Title = OutcomeText.Title(title),
                ExternalId = Json.Str(data, "id"),
                Severity = Json.Str(data, "priority", "summary") ?? Json.Str(data, "urgency"),
                Team = Json.Items(data, "teams").Select(t => Json.Str(t, "summary")).FirstOrDefault(),
                Links = new OutcomeLinks { Shas = OutcomeText.RootCauseShas(title, Json.Str(data, "description")) },
            },
        ]);
    }
}
