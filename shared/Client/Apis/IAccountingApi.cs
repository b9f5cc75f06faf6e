using Refit;
using Tokenwise.Client.Models;

namespace Tokenwise.Client.Apis;

/// <summary>Accounting (default port 5102).</summary>
public interface IAccountingApi : IHealthApi
{
    /// <param name="groupBy">One or two of user, team, model, provider, tool, repo, comma separated.</param>
    /// <param name="from">First day, yyyy-MM-dd, inclusive, in <paramref name="timeZone"/>.</param>
    /// <param name="to">Last day, yyyy-MM-dd, inclusive.</param>
    /// <param name="interval">hour, day, week or month: one row per group and period.</param>
    /// <param name="timeZone">IANA time zone of the days and periods (default UTC).</param>
    [Get("/v1/spend")]
    Task<IApiResponse<SpendReport>> GetSpendAsync(string groupBy, string? from = null, string? to = null,
        string? interval = null, string? timeZone = null, CancellationToken ct = default);
}
