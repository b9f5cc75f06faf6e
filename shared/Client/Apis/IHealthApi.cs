using Refit;

namespace Tokenwise.Client.Apis;

/// <summary>Every service answers these: live = the process runs; ready = PostgreSQL and RabbitMQ answer too.</summary>
public interface IHealthApi
{
    [Get("/health/live")]
    Task<IApiResponse> LiveAsync(CancellationToken ct = default);

    [Get("/health/ready")]
    Task<IApiResponse> ReadyAsync(CancellationToken ct = default);
}
