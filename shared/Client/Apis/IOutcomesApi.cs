using Refit;
using Tokenwise.Client.Models;

namespace Tokenwise.Client.Apis;

/// <summary>Outcomes (default port 5103). Issue D in progress: the PR view so far.</summary>
public interface IOutcomesApi : IHealthApi
{
    [Get("/v1/prs/{owner}/{repo}/{number}")]
    Task<IApiResponse<PrReport>> GetPrAsync(string owner, string repo, int number, CancellationToken ct = default);
}
