namespace Tokenwise.Contracts;

/// <summary>Cost in USD per token bucket and their total. Money is decimal, never floating point.</summary>
public sealed record BucketCosts(
    decimal Input,
    decimal CacheRead,
    decimal CacheWrite,
    decimal CacheWrite1h,
    decimal Output
)
{
    public static readonly BucketCosts Zero = new(0, 0, 0, 0, 0);

    public decimal Total => Input + CacheRead + CacheWrite + CacheWrite1h + Output;

    public BucketCosts Add(BucketCosts other) =>
        new(
            Input + other.Input,
            CacheRead + other.CacheRead,
            CacheWrite + other.CacheWrite,
            CacheWrite1h + other.CacheWrite1h,
            Output + other.Output
        );
}
