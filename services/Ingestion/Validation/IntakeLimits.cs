using System.Globalization;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Ingestion.Validation;

/// <summary>
/// Bounds on the numbers a sender reports (Tokenwise:Limits:*): far above any real request (the largest context
/// windows hold about 2 million tokens), far below what the sums of a busy hour could overflow.
/// </summary>
public sealed record IntakeLimits(long MaxTokensPerBucket, decimal MaxReportedCostUsd)
{
    public const long DefaultMaxTokensPerBucket = 100_000_000;
    public const decimal DefaultMaxReportedCostUsd = 100_000m;

    /// <summary>Activity counts (lines of code, commits) per data point.</summary>
    public const long MaxActivityCount = 10_000_000;

    /// <summary>The most a configuration may allow: 10^12 tokens a bucket still sums a million requests into a bigint.</summary>
    private const long MaxConfigurableTokens = 1_000_000_000_000;

    public static readonly IntakeLimits Default = new(DefaultMaxTokensPerBucket, DefaultMaxReportedCostUsd);

    /// <summary>Reads the limits; a value out of range stops the service at start, naming the setting.</summary>
    public static IntakeLimits Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("Tokenwise:Limits");
        var tokens = Number(section, "MaxTokensPerBucket", DefaultMaxTokensPerBucket, 1, MaxConfigurableTokens);
        var cost = Number(section, "MaxReportedCostUsd", DefaultMaxReportedCostUsd, 0.01m, 100_000_000m);
        return new IntakeLimits((long)tokens, cost);
    }

    private static decimal Number(
        IConfigurationSection section,
        string name,
        decimal fallback,
        decimal min,
        decimal max
    )
    {
        var text = section[name];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (
            decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
            && value >= min
            && value <= max
        )
            return value;
        throw new InvalidOperationException(
            $"Tokenwise:Limits:{name} must be a number from {min} to {max:N0}; it is '{text}'."
        );
    }
}

/// <summary>
/// What every intake reader needs besides the item: who sent it (the key's source, and whom the key speaks for), our
/// clock, the limits.
/// </summary>
public sealed record IntakeContext(string Source, DateTimeOffset Now, IntakeLimits Limits)
{
    /// <summary>Whom the sending key speaks for: a personal key's user stands in for telemetry that names no one.</summary>
    public KeyBinding Sender { get; init; } = KeyBinding.Unbound;

    public static IntakeContext Of(HttpContext http, TimeProvider clock, IntakeLimits limits) =>
        new(http.User.Source(), clock.GetUtcNow(), limits) { Sender = http.User.Binding() };
}
