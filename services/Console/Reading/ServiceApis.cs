using Refit;
using Tokenwise.Client.Apis;

namespace Tokenwise.Console.Reading;

/// <summary>
/// Typed clients of the four services. <see cref="AsReader{T}"/> speaks with the signed-in person's key, so the
/// services decide what they may see; <see cref="AsConsole{T}"/> with the console's admin key, for the actions a
/// person takes (the console checks first that the person may see what they act on, and records them as the actor).
/// </summary>
public sealed class ServiceApis(IHttpClientFactory factory)
{
    public const string Reader = "reader",
        Console = "console";

    public T AsReader<T>() => RestService.For<T>(factory.CreateClient(ClientName<T>(Reader)));

    public T AsConsole<T>() => RestService.For<T>(factory.CreateClient(ClientName<T>(Console)));

    /// <summary>A service's operations endpoints (failed messages, quarantine), with the console's admin key.</summary>
    public IOperationsApi Operations(string service) =>
        RestService.For<IOperationsApi>(factory.CreateClient($"{Console}:{service}"));

    public static readonly string[] Services = ["Ingestion", "Accounting", "Outcomes", "Alerting"];

    public static string ClientName<T>(string speaker) => $"{speaker}:{ServiceOf(typeof(T))}";

    public static string ServiceOf(Type api) =>
        api == typeof(IIngestionApi) ? "Ingestion"
        : api == typeof(IAccountingApi) ? "Accounting"
        : api == typeof(IOutcomesApi) ? "Outcomes"
        : api == typeof(IAlertingApi) ? "Alerting"
        : throw new ArgumentException($"{api.Name} is not a Tokenwise service API", nameof(api));
}
