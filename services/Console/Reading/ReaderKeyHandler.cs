using System.Net;
using System.Net.Http.Headers;
using Tokenwise.Console.SigningIn;

namespace Tokenwise.Console.Reading;

/// <summary>
/// Puts the signed-in person's key on each request to a service. A key issued at sign-in reaches the services over
/// the broker within moments: for its first half minute a 401 is asked again, until the service knows it.
/// </summary>
public sealed class ReaderKeyHandler(IHttpContextAccessor http, TimeProvider clock) : DelegatingHandler
{
    private static readonly TimeSpan NewKey = TimeSpan.FromSeconds(30);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var user = http.HttpContext?.User;
        if (user?.ReaderKey() is not { } key)
            throw new InvalidOperationException("no one is signed in to read for");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await base.SendAsync(request, ct);
        var delay = TimeSpan.FromMilliseconds(50);
        while (
            response.StatusCode == HttpStatusCode.Unauthorized
            && user.KeyIssuedAt() is { } issued
            && clock.GetUtcNow() - issued < NewKey
        )
        {
            response.Dispose();
            await Task.Delay(delay, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
            response = await base.SendAsync(request, ct);
        }
        return response;
    }
}
