using System.Text.Json;
using Refit;
using Tokenwise.Client.Models;

namespace Tokenwise.Client.Apis;

/// <summary>Ingestion (default port 5101): every public endpoint.</summary>
public interface IIngestionApi : IHealthApi
{
    [Post("/v1/usage")]
    Task<IApiResponse<IngestResult>> RecordUsageAsync([Body] UsageEvent usage, CancellationToken ct = default);

    [Post("/v1/usage")]
    Task<IApiResponse<IngestResult>> RecordUsageBatchAsync(
        [Body] IReadOnlyList<UsageEvent> batch,
        CancellationToken ct = default
    );

    [Post("/v1/usage/openai")]
    Task<IApiResponse<IngestResult>> RecordOpenAiUsageAsync(
        [Body] IReadOnlyList<NativeUsageEvent> batch,
        CancellationToken ct = default
    );

    [Post("/v1/usage/anthropic")]
    Task<IApiResponse<IngestResult>> RecordAnthropicUsageAsync(
        [Body] IReadOnlyList<NativeUsageEvent> batch,
        CancellationToken ct = default
    );

    /// <summary>OTLP/HTTP JSON logs (an ExportLogsServiceRequest), as Claude Code, Codex or Gemini CLI export them.</summary>
    [Post("/otlp/v1/logs")]
    Task<IApiResponse<JsonElement>> ExportLogsAsync([Body] JsonElement request, CancellationToken ct = default);

    /// <summary>OTLP/HTTP JSON metrics (an ExportMetricsServiceRequest).</summary>
    [Post("/otlp/v1/metrics")]
    Task<IApiResponse<JsonElement>> ExportMetricsAsync([Body] JsonElement request, CancellationToken ct = default);

    [Post("/v1/outcomes")]
    Task<IApiResponse<IngestResult>> RecordOutcomesAsync(
        [Body] IReadOnlyList<OutcomeEvent> batch,
        CancellationToken ct = default
    );

    /// <summary>A GitHub delivery; sign the exact body bytes with <see cref="WebhookSigning.GitHub"/>.</summary>
    [Post("/v1/webhooks/github")]
    Task<IApiResponse<JsonElement>> GitHubWebhookAsync(
        [Body] ByteArrayContent body,
        [Header("X-GitHub-Event")] string eventName,
        [Header("X-GitHub-Delivery")] string delivery,
        [Header("X-Hub-Signature-256")] string signature,
        CancellationToken ct = default
    );

    /// <summary>A PagerDuty V3 webhook; sign the exact body bytes with <see cref="WebhookSigning.PagerDuty"/>.</summary>
    [Post("/v1/webhooks/pagerduty")]
    Task<IApiResponse<JsonElement>> PagerDutyWebhookAsync(
        [Body] ByteArrayContent body,
        [Header("X-PagerDuty-Signature")] string signature,
        CancellationToken ct = default
    );

    [Put("/v1/directory/users/{user}")]
    Task<IApiResponse<DirectoryUser>> SetDirectoryUserAsync(
        string user,
        [Body] DirectoryUserRequest entry,
        CancellationToken ct = default
    );

    [Get("/v1/directory/users/{user}")]
    Task<IApiResponse<DirectoryUser>> GetDirectoryUserAsync(string user, CancellationToken ct = default);

    [Get("/v1/directory/users")]
    Task<IApiResponse<IReadOnlyList<DirectoryUser>>> ListDirectoryUsersAsync(
        string? team = null,
        CancellationToken ct = default
    );

    [Post("/v1/keys")]
    Task<IApiResponse<IssuedKey>> IssueKeyAsync([Body] KeyRequest request, CancellationToken ct = default);

    [Get("/v1/keys")]
    Task<IApiResponse<IReadOnlyList<KeySummary>>> ListKeysAsync(CancellationToken ct = default);

    /// <summary>What the key this client holds may do and whom it speaks for.</summary>
    [Get("/v1/keys/current")]
    Task<IApiResponse<CurrentKey>> GetCurrentKeyAsync(CancellationToken ct = default);

    [Delete("/v1/keys/{keyId}")]
    Task<IApiResponse> RevokeKeyAsync(string keyId, CancellationToken ct = default);

    /// <summary>Switches TOKENWISE_BOOTSTRAP_KEY off in every service, for good (409 until an admin key exists).</summary>
    [Delete("/v1/keys/bootstrap")]
    Task<IApiResponse> DisableBootstrapKeyAsync(CancellationToken ct = default);

    /// <summary>Every service's admin actions, newest first (admin). kind is a kind or its family; actor a key id, source or person.</summary>
    [Get("/v1/audit")]
    Task<IApiResponse<AuditPage>> GetAuditAsync(
        string? from = null,
        string? to = null,
        string? actor = null,
        string? kind = null,
        int? limit = null,
        CancellationToken ct = default
    );
}
