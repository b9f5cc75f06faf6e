using System.Text.Json;
using Refit;
using Tokenwise.Client.Models;

namespace Tokenwise.Client.Apis;

/// <summary>Alerting (default port 5104): rules, alerts and their lifecycle, circuit breakers.</summary>
public interface IAlertingApi : IHealthApi
{
    [Get("/v1/rules")]
    Task<IApiResponse<JsonElement>> GetRulesAsync(CancellationToken ct = default);

    /// <summary>The fields given replace those of the rule; the rest stay.</summary>
    [Put("/v1/rules/{kind}")]
    Task<IApiResponse<JsonElement>> TuneRuleAsync(
        string kind,
        [Body] IReadOnlyDictionary<string, object> settings,
        CancellationToken ct = default
    );

    [Get("/v1/alerts")]
    Task<IApiResponse<IReadOnlyList<AlertView>>> ListAlertsAsync(
        string? status = null,
        string? kind = null,
        string? scope = null,
        DateTimeOffset? from = null,
        CancellationToken ct = default
    );

    [Get("/v1/alerts/{id}")]
    Task<IApiResponse<AlertDetails>> GetAlertAsync(string id, CancellationToken ct = default);

    [Post("/v1/alerts/{id}/ack")]
    Task<IApiResponse> AcknowledgeAlertAsync(
        string id,
        [Body] AlertActionRequest action,
        CancellationToken ct = default
    );

    [Post("/v1/alerts/{id}/resolve")]
    Task<IApiResponse> ResolveAlertAsync(string id, [Body] AlertActionRequest action, CancellationToken ct = default);

    /// <summary>For a gateway, before each request: may this user spend now?</summary>
    [Get("/v1/check")]
    Task<IApiResponse<CheckResult>> CheckAsync(
        string user,
        string? team = null,
        string? model = null,
        CancellationToken ct = default
    );

    /// <summary>Every breaker that is not plainly closed (open, or overridden), within the reader's limits.</summary>
    [Get("/v1/breakers")]
    Task<IApiResponse<IReadOnlyList<BreakerInfo>>> ListBreakersAsync(CancellationToken ct = default);

    [Get("/v1/breakers/{user}")]
    Task<IApiResponse<BreakerStatus>> GetBreakerAsync(string user, CancellationToken ct = default);

    [Post("/v1/breakers/{user}/override")]
    Task<IApiResponse> OverrideBreakerAsync(
        string user,
        [Body] BreakerOverrideRequest request,
        CancellationToken ct = default
    );
}
