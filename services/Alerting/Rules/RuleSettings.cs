namespace Tokenwise.Alerting.Rules;

/// <summary>Every rule's settings; the defaults are what a company gets out of the box.</summary>
public sealed record RuleSettings
{
    public BudgetRule Budget { get; init; } = new();
    public BurnRateRule BurnRate { get; init; } = new();
    public RunawayRule Runaway { get; init; } = new();
    public TokenBurnRule TokenBurn { get; init; } = new();
    public SimpleRule Quality { get; init; } = new();
    public SimpleRule Unpriced { get; init; } = new();
    public SimpleRule Pipeline { get; init; } = new();

    public object Of(string kind) =>
        kind switch
        {
            AlertKinds.Budget => Budget,
            AlertKinds.BurnRate => BurnRate,
            AlertKinds.Runaway => Runaway,
            AlertKinds.TokenBurn => TokenBurn,
            AlertKinds.Quality => Quality,
            AlertKinds.Pipeline => Pipeline,
            _ => Unpriced,
        };

    /// <summary>These settings with one rule's replaced.</summary>
    public RuleSettings With(string kind, object tuned) =>
        kind switch
        {
            AlertKinds.Budget => this with { Budget = (BudgetRule)tuned },
            AlertKinds.BurnRate => this with { BurnRate = (BurnRateRule)tuned },
            AlertKinds.Runaway => this with { Runaway = (RunawayRule)tuned },
            AlertKinds.TokenBurn => this with { TokenBurn = (TokenBurnRule)tuned },
            AlertKinds.Quality => this with { Quality = (SimpleRule)tuned },
            AlertKinds.Pipeline => this with { Pipeline = (SimpleRule)tuned },
            _ => this with { Unpriced = (SimpleRule)tuned },
        };

    public bool Enabled(string kind) =>
        kind switch
        {
            AlertKinds.Budget => Budget.Enabled,
            AlertKinds.BurnRate => BurnRate.Enabled,
            AlertKinds.Runaway => Runaway.Enabled,
            AlertKinds.TokenBurn => TokenBurn.Enabled,
            AlertKinds.Quality => Quality.Enabled,
            AlertKinds.Unpriced => Unpriced.Enabled,
            AlertKinds.Pipeline => Pipeline.Enabled,
            _ => true,
        };
}

/// <summary>Severity by the budget threshold crossed: info from 50 %, warning from 80 %, critical from 100 % (and exhausted).</summary>
public sealed record BudgetRule(bool Enabled = true, int WarningAtPercent = 80, int CriticalAtPercent = 100)
{
    public string SeverityOf(int percent) =>
        percent >= CriticalAtPercent ? Severities.Critical
        : percent >= WarningAtPercent ? Severities.Warning
        : Severities.Info;
}

/// <summary>
/// Last hour's spend above <see cref="Multiplier"/> × the trailing hourly baseline and above the floor: warning.
/// A user's spend since UTC midnight above <see cref="DailyCapUsd"/>: critical (and the user's breaker opens).
/// </summary>
public sealed record BurnRateRule(
    bool Enabled = true,
    decimal Multiplier = 5m,
    decimal FloorUsdPerHour = 10m,
    int BaselineDays = 14,
    decimal DailyCapUsd = 250m
);

/// <summary>
/// One session above <see cref="RequestsPerMinute"/> for <see cref="Minutes"/> consecutive minutes, above
/// <see cref="SessionCostUsd"/>, or running <see cref="HoursWithoutPrompt"/> hours without a user prompt (when its
/// tool sends prompts): critical. Resolves after <see cref="QuietMinutes"/> without requests.
/// </summary>
public sealed record RunawayRule(
    bool Enabled = true,
    int RequestsPerMinute = 60,
    int Minutes = 5,
    decimal SessionCostUsd = 100m,
    double HoursWithoutPrompt = 3,
    int QuietMinutes = 10
);

/// <summary>
/// Agent ping-pong: at least <see cref="Requests"/> of a user's requests within <see cref="WindowMinutes"/> that
/// alternate between two sessions or agents, with token counts within <see cref="TolerancePercent"/> of their median.
/// </summary>
public sealed record TokenBurnRule(
    bool Enabled = true,
    int Requests = 40,
    int WindowMinutes = 30,
    decimal TolerancePercent = 10m
);

public sealed record SimpleRule(bool Enabled = true);
