using Marten.Events.Aggregation;

namespace Tokenwise.Accounting.Budgets;

/// <summary>A budget was created or changed (the whole definition, replacing the previous one).</summary>
public sealed record BudgetSet(
    string ScopeType,
    string ScopeId,
    decimal AmountUsd,
    string Period,
    string TimeZone,
    IReadOnlyList<int> ThresholdsPercent,
    bool HardLimit,
    DateTimeOffset SetAt
);

/// <summary>A budget as it now stands, projected inline from its <see cref="BudgetSet"/> stream "budget:{type}:{id}".</summary>
public sealed class Budget
{
    public string Id { get; set; } = "";
    public string ScopeType { get; set; } = "";
    public string ScopeId { get; set; } = "";
    public decimal AmountUsd { get; set; }
    public string Period { get; set; } = "month";
    public string TimeZone { get; set; } = "UTC";
    public List<int> ThresholdsPercent { get; set; } = [];
    public bool HardLimit { get; set; }
    public DateTimeOffset SetAt { get; set; }

    /// <summary>When the budget was first set: periods that had ended by then are not its own (see BudgetMonitorSubscription).</summary>
    public DateTimeOffset FirstSetAt { get; set; }

    public static string StreamKey(string scopeType, string scopeId) => $"budget:{scopeType}:{scopeId}";

    /// <summary>The percentages a period's spend has reached: each threshold it is at or above (exactly at counts), and
    /// 100 once it is exhausted, whether or not the budget alerts at 100.</summary>
    public IReadOnlyList<int> Reached(decimal spent) =>
        ThresholdsPercent.Append(ExhaustedPercent).Distinct().Where(p => spent * 100 >= AmountUsd * p).Order().ToList();

    /// <summary>The percentage at which the budget is exhausted: a hard budget stops spend from here.</summary>
    public const int ExhaustedPercent = 100;

    /// <summary>Does a charge by this user in this team count against the budget?</summary>
    public bool Covers(string user, string? team) =>
        ScopeType switch
        {
            "user" => ScopeId == user,
            "team" => ScopeId == team,
            _ => true,
        };
}

public sealed class BudgetProjection : SingleStreamProjection<Budget, string>
{
    public static Budget Create(BudgetSet set)
    {
        var budget = Apply(new Budget(), set);
        budget.FirstSetAt = set.SetAt;
        return budget;
    }

    public static Budget Apply(Budget budget, BudgetSet set)
    {
        budget.ScopeType = set.ScopeType;
        budget.ScopeId = set.ScopeId;
        budget.AmountUsd = set.AmountUsd;
        budget.Period = set.Period;
        budget.TimeZone = set.TimeZone;
        budget.ThresholdsPercent = set.ThresholdsPercent.Order().ToList();
        budget.HardLimit = set.HardLimit;
        budget.SetAt = set.SetAt;
        return budget;
    }
}
