using System.Net.Http.Headers;
using Refit;

namespace Tokenwise.Client;

/// <summary>Creates typed clients for the Tokenwise services, authenticated with an API key and retrying outages.</summary>
public static class TokenwiseClients
{
    public static T Create<T>(Uri baseAddress, string apiKey, RetryPolicy? retry = null)
    {
        var http = new HttpClient(
            new RetryHandler(retry ?? RetryPolicy.Default) { InnerHandler = new SocketsHttpHandler() }
        )
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(100),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return RestService.For<T>(http);
    }
}
