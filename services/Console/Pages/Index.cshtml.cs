using Microsoft.AspNetCore.Mvc.RazorPages;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Console.Pages.Shared;
using Tokenwise.Console.Reading;

namespace Tokenwise.Console.Pages;

/// <summary>
/// The overview: this month's spend against last month and the budgets, where the month is heading, spend over time,
/// adoption, what merged PRs cost and how often they failed, open alerts. Every figure is a service's answer, read with
/// the signed-in person's key (a manager sees their people, a viewer and an admin the whole company).
/// </summary>
public sealed class IndexModel(ServiceApis apis, TimeProvider clock) : PageModel
{
    public static readonly string[] Groupings = ["team", "model", "tool"];

    public Period Period { get; private set; } = null!;
    public string By { get; private set; } = "team";
    public SpendReport ThisMonth { get; private set; } = null!;
    public SpendReport LastMonth { get; private set; } = null!;
    public SpendReport LastMonthToDate { get; private set; } = null!;
    public SpendForecastReport Forecast { get; private set; } = null!;
    public IReadOnlyList<BudgetView> Budgets { get; private set; } = [];
    public ChartModel SpendOverTime { get; private set; } = null!;
    public AdoptionReport TeamAdoption { get; private set; } = null!;
    public ChartModel ActiveUsers { get; private set; } = null!;
    public IReadOnlyList<(string Month, EfficiencyReport Report)> Efficiency { get; private set; } = [];
    public IReadOnlyList<AlertView> OpenAlerts { get; private set; } = [];

    public decimal ProjectedMonthUsd => Forecast.Groups.Sum(g => g.ProjectedUsd);

    public async Task OnGetAsync(string? by, CancellationToken ct)
    {
        By = Groupings.Contains(by) ? by! : "team";
        Period = Period.Now(clock);
        var accounting = apis.AsReader<IAccountingApi>();
        var outcomes = apis.AsReader<IOutcomesApi>();
        var alerting = apis.AsReader<IAlertingApi>();
        var p = Period;
        var thisMonth = accounting.GetSpendAsync("team", Period.Iso(p.MonthStart), Period.Iso(p.Today), ct: ct);
        var lastMonth = accounting.GetSpendAsync(
            "team",
            Period.Iso(p.LastMonthStart),
            Period.Iso(p.LastMonthEnd),
            ct: ct
        );
        var lastToDate = accounting.GetSpendAsync(
            "team",
            Period.Iso(p.LastMonthStart),
            Period.Iso(p.LastMonthSameDay),
            ct: ct
        );
        var forecast = accounting.GetSpendForecastAsync("team", "month", ct: ct);
        var budgets = accounting.ListBudgetsAsync(ct);
        var overTime = accounting.GetSpendAsync(By, Period.Iso(p.Last30Start), Period.Iso(p.Today), "day", ct: ct);
        var teams = accounting.GetAdoptionAsync("team", "week", Period.Iso(p.Weeks8Start), Period.Iso(p.Today), ct: ct);
        var months = p.Months(3)
            .Select(m =>
                (
                    Month: m.From.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
                    Answer: outcomes.GetEfficiencyAsync("team", Period.Iso(m.From), Period.Iso(m.To), ct)
                )
            )
            .ToList();
        var alerts = alerting.ListAlertsAsync(ct: ct);

        ThisMonth = (await thisMonth).Value("Accounting");
        LastMonth = (await lastMonth).Value("Accounting");
        LastMonthToDate = (await lastToDate).Value("Accounting");
        Forecast = (await forecast).Value("Accounting");
        Budgets = (await budgets).Value("Accounting");
        var spend = (await overTime).Value("Accounting");
        SpendOverTime = ChartModel.From(
            "spend-over-time",
            $"Spend per day by {By}, last 30 days",
            "line",
            spend.Rows,
            r => r.Period?[..10] ?? "",
            r => r.Group.GetValueOrDefault(By) ?? "(none)",
            r => r.Figures.CostUsd,
            "usd",
            $"/?by={By}"
        );
        TeamAdoption = (await teams).Value("Accounting");
        ActiveUsers = ChartModel.From(
            "active-users",
            "People who used AI, per week",
            "bar",
            TeamAdoption.Organisation,
            r => r.Period,
            _ => "active users",
            r => r.ActiveUsers
        );
        var efficiency = new List<(string, EfficiencyReport)>();
        foreach (var (month, answer) in months)
            efficiency.Add((month, (await answer).Value("Outcomes")));
        Efficiency = efficiency;
        OpenAlerts = (await alerts).Value("Alerting").Where(a => a.Status != "resolved").ToList();
    }
}
