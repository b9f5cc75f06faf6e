using Refit;
using Tokenwise.Client.Models;

namespace Tokenwise.Client.Apis;

/// <summary>Accounting (default port 5102).</summary>
public interface IAccountingApi : IHealthApi
{
    /// <param name="from">First UTC day, yyyy-MM-dd, inclusive.</param>
    /// <param name="to">Last UTC day, yyyy-MM-dd, inclusive.</param>
    [Get("/v1/spend")]
    Task<IApiResponse<SpendReport>> GetSpendAsync(string groupBy, string? from = null, string? to = null, CancellationToken ct = default);
}
