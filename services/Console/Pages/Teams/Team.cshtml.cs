using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Console.Pages.Shared;
using Tokenwise.Console.Reading;
using Tokenwise.Console.SigningIn;

namespace Tokenwise.Console.Pages.Teams;

/// <summary>
/// One team: spend over time and by model, its people and how many use AI, its value (merged PRs without incident or
/// revert, cost per such PR), its budget with the forecast, and its alerts.
/// </summary>
public sealed class TeamModel(ServiceApis apis, TimeProvider clock) : PageModel
{
    public string Team { get; private set; } = "";
    public Period Period { get; private set; } = null!;
    public ChartModel SpendOverTime { get; private set; } = null!;
    public IReadOnlyList<SpendRow> ByModel { get; private set; } = [];
    public decimal MonthUsd { get; private set; }
    public IReadOnlyList<DirectoryUser> People { get; private set; } = [];
    public AdoptionGroup? Adoption { get; private set; }
    public EfficiencyRow? Value { get; private set; }
    public ValueboardRow? Board { get; private set; }
    public BudgetView? Budget { get; private set; }
    public IReadOnlyList<AlertView> Alerts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string team, CancellationToken ct)
    {
        if (team.Length is 0 or > 200 || team.Any(char.IsControl))
            return NotFound();
        Team = team;
        Period = Period.Now(clock);
        var accounting = apis.AsReader<IAccountingApi>();
        var p = Period;
        var daily = accounting.GetSpendAsync(
            "team",
            Period.Iso(p.Last30Start),
            Period.Iso(p.Today),
            "day",
            team: team,
            ct: ct
        );
        var models = accounting.GetSpendAsync(
            "team,model",
            Period.Iso(p.MonthStart),
            Period.Iso(p.Today),
            team: team,
            ct: ct
        );
        var adoption = accounting.GetAdoptionAsync(
            "team",
            "week",
            Period.Iso(p.Weeks8Start),
            Period.Iso(p.Today),
            ct: ct
        );
        var budget = accounting.GetBudgetAsync("team", team, ct);
        var efficiency = apis.AsReader<IOutcomesApi>()
            .GetEfficiencyAsync("team", Period.Iso(p.Last30Start), Period.Iso(p.Today), ct);
        var board = apis.AsReader<IOutcomesApi>().GetValueboardAsync("month", "team", ct);
        var alerts = apis.AsReader<IAlertingApi>().ListAlertsAsync(scope: $"team:{team}", ct: ct);
        // Names, not figures: a viewer sees who is in the team; only managers and admins open a person's page.
        var people = apis.AsReader<IIngestionApi>().ListDirectoryUsersAsync(team, ct);

        var spend = (await daily).Value("Accounting");
        SpendOverTime = ChartModel.From(
            "team-spend",
            $"Spend per day, last 30 days",
            "line",
            spend.Rows.Where(r => r.Group.GetValueOrDefault("team") == team),
            r => r.Period?[..10] ?? "",
            _ => team,
            r => r.Figures.CostUsd,
            "usd"
        );
        ByModel = (await models)
            .Value("Accounting")
            .Rows.Where(r => r.Group.GetValueOrDefault("team") == team)
            .OrderBy(r => r.Group.GetValueOrDefault("model"), StringComparer.Ordinal)
            .ToList();
        MonthUsd = ByModel.Sum(r => r.Figures.CostUsd);
        Adoption = (await adoption).Value("Accounting").Groups.FirstOrDefault(g => g.Group == team);
        var budgetAnswer = await budget;
        Budget = budgetAnswer.IsSuccessStatusCode ? budgetAnswer.Content : null;
        Value = (await efficiency).Value("Outcomes").Rows.FirstOrDefault(r => r.Group == team);
        Board = (await board).Value("Outcomes").Rows.FirstOrDefault(r => r.Group == team);
        Alerts = (await alerts).Value("Alerting");
        var peopleAnswer = await people;
        People = peopleAnswer.IsSuccessStatusCode
            ? [.. peopleAnswer.Content!.OrderBy(u => u.Id, StringComparer.Ordinal)]
            : [];
        if (spend.Rows.Count == 0 && Adoption is null && People.Count == 0 && Value is null && Budget is null)
            return NotFound();
        return Page();
    }

    public bool MaySeePeople => User.MaySeePeople();
}
