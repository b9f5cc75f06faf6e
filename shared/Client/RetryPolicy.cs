namespace Tokenwise.Client;

/// <summary>
/// How the SDK retries: on 429, 502, 503, 504 and connection failures, waiting Retry-After when the server gives
/// one, else an exponential backoff. Retried requests are byte-identical, so ids repeat and nothing counts twice.
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    public static readonly RetryPolicy Default = new(6, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));
    public static readonly RetryPolicy None = new(1, TimeSpan.Zero, TimeSpan.Zero);
}
