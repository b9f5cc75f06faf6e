using Tokenwise.Client.Models;

namespace Tokenwise.Benchmarks;

/// <summary>Canonical usage events shaped like a gateway's: a handful of users and models, realistic token counts.</summary>
internal static class Workload
{
    private static readonly string[] Models =
    [
        "claude-sonnet-4-5-20250929",
        "gpt-4.1",
        "gemini-2.5-pro",
        "claude-haiku-4-5",
    ];

    public static UsageEvent Event(string run, long n) =>
        new()
        {
            Id = $"{run}-{n}",
            OccurredAt = DateTimeOffset.UtcNow.AddSeconds(-1),
            User = $"user-{n % 50}@bench.example",
            Team = $"team-{n % 5}",
            Model = Models[n % Models.Length],
            InputTokens = 800 + n % 1000,
            CacheReadTokens = 20_000 + n % 5000,
            OutputTokens = 200 + n % 300,
            Tool = "claude-code",
            SessionId = $"s-{n % 200}",
        };
}
