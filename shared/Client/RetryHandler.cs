using System.Net;

namespace Tokenwise.Client;

public sealed class RetryHandler(RetryPolicy policy) : DelegatingHandler
{
    private static readonly HashSet<HttpStatusCode> Retryable =
    [
        HttpStatusCode.TooManyRequests,
        HttpStatusCode.BadGateway,
        HttpStatusCode.ServiceUnavailable,
        HttpStatusCode.GatewayTimeout,
    ];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var delay = policy.FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            var last = attempt >= policy.MaxAttempts;
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, ct);
            }
            catch (HttpRequestException) when (!last)
            {
                policy.OnRetry?.Invoke(new RetriedAttempt(attempt, null, null));
                await Wait(null);
                continue;
            }
            if (last || !Retryable.Contains(response.StatusCode))
                return response;
            var retryAfter = response.Headers.RetryAfter?.Delta;
            policy.OnRetry?.Invoke(new RetriedAttempt(attempt, response.StatusCode, retryAfter));
            response.Dispose();
            await Wait(retryAfter);
        }

        async Task Wait(TimeSpan? serverSaid)
        {
            var wait = serverSaid is { } s && s < policy.MaxDelay ? s : delay;
            await Task.Delay(wait, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, policy.MaxDelay.Ticks));
        }
    }
}
