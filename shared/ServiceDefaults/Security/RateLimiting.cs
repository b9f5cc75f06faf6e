using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Tokenwise.ServiceDefaults.Security;

/// <summary>
/// A token bucket per API key source (Tokenwise:RateLimit:PerSecond, :Burst), and one per client address for
/// requests without a valid key (webhooks, probes with a wrong key: Tokenwise:RateLimit:AnonymousPerSecond,
/// :AnonymousBurst), so nobody unauthenticated can make a service work without limit. Health and metrics are not
/// counted: load balancers and scrapers ask often. Over a bucket: 429 with Retry-After, so a well-behaved sender
/// backs off instead of failing. Behind a proxy every client shares the proxy's address (see README).
/// </summary>
internal static class RateLimiting
{
    public static void AddTokenwiseRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var perSecond = configuration.GetValue("Tokenwise:RateLimit:PerSecond", 1000);
        var burst = configuration.GetValue("Tokenwise:RateLimit:Burst", 2 * perSecond);
        var anonymousPerSecond = configuration.GetValue("Tokenwise:RateLimit:AnonymousPerSecond", 50);
        var anonymousBurst = configuration.GetValue("Tokenwise:RateLimit:AnonymousBurst", 2 * anonymousPerSecond);
        if (perSecond < 1 || burst < 1 || anonymousPerSecond < 1 || anonymousBurst < 1)
            throw new InvalidOperationException("Tokenwise:RateLimit:* must be whole numbers of at least 1.");
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.User.Identity?.IsAuthenticated == true
                    ? RateLimitPartition.GetTokenBucketLimiter(
                        "key:" + context.User.Source(),
                        _ => Bucket(perSecond, burst)
                    )
                : context.Request.Path.StartsWithSegments("/health")
                || context.Request.Path.StartsWithSegments("/metrics")
                    ? RateLimitPartition.GetNoLimiter("probes")
                : RateLimitPartition.GetTokenBucketLimiter(
                    "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                    _ => Bucket(anonymousPerSecond, anonymousBurst)
                )
            );
            options.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                    : 1;
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString();
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(
                    new ProblemDetailsContext
                    {
                        HttpContext = context.HttpContext,
                        ProblemDetails =
                        {
                            Status = StatusCodes.Status429TooManyRequests,
                            Title = "Rate limit exceeded",
                            Detail =
                                context.HttpContext.User.Identity?.IsAuthenticated == true
                                    ? $"This key may send {perSecond} requests per second (bursts of {burst}). Retry after {retryAfter}s."
                                    : $"Requests without a valid key may come {anonymousPerSecond} a second from one address (bursts of "
                                        + $"{anonymousBurst}). Retry after {retryAfter}s.",
                        },
                    }
                );
            };
        });
    }

    private static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) =>
        new()
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
}
