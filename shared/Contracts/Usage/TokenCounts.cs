namespace Tokenwise.Contracts;

/// <summary>Token buckets of one request or a sum of them; they do not overlap, except reasoning ⊂ output.</summary>
public sealed record TokenCounts(
    long Input,
    long CacheRead,
    long CacheWrite,
    long CacheWrite1h,
    long Output,
    long Reasoning
)
{
    public static readonly TokenCounts Zero = new(0, 0, 0, 0, 0, 0);

    /// <summary>The sum; an overflow throws (<see cref="OverflowException"/>) rather than wrap to a wrong count.</summary>
    public TokenCounts Add(TokenCounts other) =>
        checked(
            new(
                Input + other.Input,
                CacheRead + other.CacheRead,
                CacheWrite + other.CacheWrite,
                CacheWrite1h + other.CacheWrite1h,
                Output + other.Output,
                Reasoning + other.Reasoning
            )
        );
}
