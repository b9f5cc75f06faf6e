using System.Text.Json;
using Refit;
using Tokenwise.Client.Models;

namespace Tokenwise.Client.Apis;

/// <summary>Accounting (default port 5102): every public endpoint.</summary>
public interface IAccountingApi : IHealthApi
{
    /// <param name="groupBy">One or two of user, team, model, provider, tool, repo, comma separated.</param>
    /// <param name="from">First day, yyyy-MM-dd, inclusive, in <paramref name="timeZone"/>.</param>
    /// <param name="to">Last day, yyyy-MM-dd, inclusive.</param>
    /// <param name="interval">hour, day, week or month: one row per group and period.</param>
    /// <param name="timeZone">IANA time zone of the days and periods (default UTC).</param>
    /// <param name="user">Only this person's figures.</param>
    /// <param name="team">Only the figures filed under this team.</param>
    [Get("/v1/spend")]
    Task<IApiResponse<SpendReport>> GetSpendAsync(
        string groupBy,
        string? from = null,
        string? to = null,
        string? interval = null,
        string? timeZone = null,
        string? user = null,
        string? team = null,
        CancellationToken ct = default
    );

    /// <summary>The same rows as CSV.</summary>
    [Get("/v1/spend/export?format=csv")]
    Task<IApiResponse<string>> ExportSpendCsvAsync(
        string groupBy,
        string? from = null,
        string? to = null,
        string? interval = null,
        string? timeZone = null,
        CancellationToken ct = default
    );

    [Get("/v1/prices")]
    Task<IApiResponse<PriceBookView>> GetPricesAsync(
        string? provider = null,
        string? model = null,
        CancellationToken ct = default
    );

    [Put("/v1/prices/{provider}/{model}")]
    Task<IApiResponse<PriceView>> SetPriceAsync(
        string provider,
        string model,
        [Body] PriceRequest price,
        CancellationToken ct = default
    );

    /// <summary>LiteLLM's model_prices_and_context_window.json, as it is.</summary>
    [Post("/v1/prices/import?format=litellm")]
    Task<IApiResponse<PriceImportResult>> ImportLiteLlmPricesAsync(
        [Body] JsonElement priceMap,
        string? effectiveFrom = null,
        CancellationToken ct = default
    );

    [Put("/v1/prices/discounts/{provider}")]
    Task<IApiResponse<DiscountView>> SetDiscountAsync(
        string provider,
        [Body] DiscountRequest discount,
        CancellationToken ct = default
    );

    [Get("/v1/spend/forecast")]
    Task<IApiResponse<SpendForecastReport>> GetSpendForecastAsync(
        string? groupBy = null,
        string? period = null,
        string? timeZone = null,
        CancellationToken ct = default
    );

    [Get("/v1/adoption")]
    Task<IApiResponse<AdoptionReport>> GetAdoptionAsync(
        string? groupBy = null,
        string? interval = null,
        string? from = null,
        string? to = null,
        string? timeZone = null,
        CancellationToken ct = default
    );

    [Get("/v1/reconciliation")]
    Task<IApiResponse<ReconciliationReport>> GetReconciliationAsync(
        string? from = null,
        string? to = null,
        string? timeZone = null,
        CancellationToken ct = default
    );

    /// <summary>Makes spend_hourly again from the charge events (admin); charges go on arriving meanwhile.</summary>
    [Post("/v1/ops/spend/rebuild")]
    Task<IApiResponse<SpendRebuilt>> RebuildSpendAsync(CancellationToken ct = default);

    [Put("/v1/budgets/{scopeType}/{scopeId}")]
    Task<IApiResponse<BudgetView>> SetBudgetAsync(
        string scopeType,
        string scopeId,
        [Body] BudgetRequest budget,
        CancellationToken ct = default
    );

    [Get("/v1/budgets/{scopeType}/{scopeId}")]
    Task<IApiResponse<BudgetView>> GetBudgetAsync(string scopeType, string scopeId, CancellationToken ct = default);

    [Get("/v1/budgets")]
    Task<IApiResponse<IReadOnlyList<BudgetView>>> ListBudgetsAsync(CancellationToken ct = default);
}
