using Refit;
using Tokenwise.Client.Models;

namespace Tokenwise.Client.Apis;

/// <summary>Outcomes (default port 5103): PR costs, efficiency and the value board.</summary>
public interface IOutcomesApi : IHealthApi
{
    [Get("/v1/prs/{owner}/{repo}/{number}")]
    Task<IApiResponse<PrReport>> GetPrAsync(string owner, string repo, int number, CancellationToken ct = default);

    /// <summary>Merged PRs in a range (UTC days), newest first; every filter is optional.</summary>
    [Get("/v1/prs")]
    Task<IApiResponse<PrSearchReport>> SearchPrsAsync(
        string? from = null,
        string? to = null,
        string? repo = null,
        string? author = null,
        string? team = null,
        bool? aiAssisted = null,
        bool? failed = null,
        decimal? minCostUsd = null,
        int? limit = null,
        CancellationToken ct = default
    );

    [Get("/v1/efficiency")]
    Task<IApiResponse<EfficiencyReport>> GetEfficiencyAsync(
        string groupBy,
        string? from = null,
        string? to = null,
        CancellationToken ct = default
    );

    [Get("/v1/valueboard")]
    Task<IApiResponse<ValueboardReport>> GetValueboardAsync(
        string period,
        string groupBy,
        CancellationToken ct = default
    );
}
