using Tokenwise.Client;

namespace Tokenwise.Testing;

/// <summary>Where a Tokenwise service answers: one process, or a load balancer in front of several.</summary>
public interface IServiceEndpoint
{
    /// <summary>Ingestion, Accounting, Outcomes or Alerting.</summary>
    string Service { get; }

    Uri BaseAddress { get; }

    /// <summary>An SDK client for the service, with the bootstrap key unless another is given.</summary>
    T Client<T>(string? apiKey = null, RetryPolicy? retry = null) =>
        TokenwiseClients.Create<T>(BaseAddress, apiKey ?? IsolatedEnvironment.BootstrapKey, retry ?? RetryPolicy.None);
}
