namespace Tokenwise.Alerting.Rules;

/// <summary>The rules Alerting runs; each is a routing-key segment on tokenwise.alerts (alert.&lt;kind&gt;.&lt;severity&gt;).</summary>
public static class AlertKinds
{
    public const string Budget = "budget";
    public const string BurnRate = "burn_rate";
    public const string Runaway = "runaway";
    public const string TokenBurn = "token_burn";
    public const string Quality = "quality";
    public const string Unpriced = "unpriced";

    /// <summary>Items a service quarantined, messages that failed every retry: the pipeline needs a person.</summary>
    public const string Pipeline = "pipeline";

    /// <summary>Breaker changes: not a rule, but published on the same exchange.</summary>
    public const string Breaker = "breaker";

    public static readonly IReadOnlyList<string> Rules =
    [
        Budget,
        BurnRate,
        Runaway,
        TokenBurn,
        Quality,
        Unpriced,
        Pipeline,
    ];
}

public static class Severities
{
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Critical = "critical";

    public static int Rank(string severity) =>
        severity switch
        {
            Critical => 3,
            Warning => 2,
            _ => 1,
        };
}
