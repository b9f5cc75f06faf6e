using Refit;
using Tokenwise.Client.Models;

namespace Tokenwise.Client.Apis;

/// <summary>Every service answers these (admin, but readiness): what failed or was set aside, and sending it back.</summary>
public interface IOperationsApi
{
    /// <summary>200 when ready, 503 when not; the body says which check failed either way.</summary>
    [Get("/health/ready")]
    Task<IApiResponse<string>> ReadinessAsync(CancellationToken ct = default);

    [Get("/v1/ops/failed-messages")]
    Task<IApiResponse<IReadOnlyList<FailedMessageView>>> ListFailedMessagesAsync(CancellationToken ct = default);

    [Post("/v1/ops/failed-messages/replay")]
    Task<IApiResponse> ReplayFailedMessagesAsync(string? messageId = null, CancellationToken ct = default);

    /// <param name="status">quarantined (held) or replayed; both when null.</param>
    [Get("/v1/ops/quarantine")]
    Task<IApiResponse<QuarantinePageView>> ListQuarantineAsync(
        string? status = null,
        string? after = null,
        int? limit = null,
        CancellationToken ct = default
    );

    [Post("/v1/ops/quarantine/replay")]
    Task<IApiResponse> ReplayQuarantineAsync(string? id = null, CancellationToken ct = default);
}
