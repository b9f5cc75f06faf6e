using System.Net;

namespace Tokenwise.Client;

/// <summary>
/// How the SDK retries: on 429, 502, 503, 504 and connection failures, waiting Retry-After when the server gives
/// one, else an exponential backoff. Retried requests are byte-identical, so ids repeat and nothing counts twice.
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    public static readonly RetryPolicy Default = new(6, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));
    public static readonly RetryPolicy None = new(1, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>Told of every attempt that will be retried (for logs and metrics): what failed and what the server asked.</summary>
    public Action<RetriedAttempt>? OnRetry { get; init; }
}

/// <summary>An attempt the SDK retries: the status it got (null: no answer, the connection failed) and the server's Retry-After.</summary>
public sealed record RetriedAttempt(int Attempt, HttpStatusCode? Status, TimeSpan? RetryAfter);
