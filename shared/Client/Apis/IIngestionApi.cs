using Refit;
using Tokenwise.Client.Models;

namespace Tokenwise.Client.Apis;

/// <summary>Ingestion (default port 5101).</summary>
public interface IIngestionApi : IHealthApi
{
    [Post("/v1/usage")]
    Task<IApiResponse<IngestResult>> RecordUsageAsync([Body] UsageEvent usage, CancellationToken ct = default);

    [Post("/v1/usage")]
    Task<IApiResponse<IngestResult>> RecordUsageBatchAsync([Body] IReadOnlyList<UsageEvent> batch, CancellationToken ct = default);
}
