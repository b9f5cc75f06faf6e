using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Console.Pages.Shared;
using Tokenwise.Console.Reading;

namespace Tokenwise.Console.Pages.People;

/// <summary>
/// One person, for their managers and admins (the services answer only for people the reader manages): spend over
/// time by tool and by model, their merged PRs with what each cost, cost per merged PR beside their team's median,
/// alerts and breaker. Nothing here compares
/// them with anyone but their own team's median.
/// </summary>
public sealed class PersonModel(ServiceApis apis, TimeProvider clock) : PageModel
{
    public DirectoryUser Person { get; private set; } = null!;
    public ChartModel ByTool { get; private set; } = null!;
    public ChartModel ByModel { get; private set; } = null!;
    public EfficiencyRow? Value { get; private set; }
    public EfficiencyRow? TeamValue { get; private set; }
    public IReadOnlyList<AlertView> Alerts { get; private set; } = [];
    public BreakerStatus? Breaker { get; private set; }
    public PrSearchReport Prs { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string user, CancellationToken ct)
    {
        if (user.Length is 0 or > 200 || user.Any(char.IsControl))
            return NotFound();
        // The directory answers the person's key only for people they manage: anyone else is "not here".
        var entry = await apis.AsReader<IIngestionApi>().GetDirectoryUserAsync(user, ct);
        if (entry.NotVisible())
            return NotFound();
        Person = entry.Value("Ingestion");
        var period = Period.Now(clock);
        var accounting = apis.AsReader<IAccountingApi>();
        var tools = accounting.GetSpendAsync(
            "user,tool",
            Period.Iso(period.Last30Start),
            Period.Iso(period.Today),
            "day",
            user: user,
            ct: ct
        );
        var models = accounting.GetSpendAsync(
            "user,model",
            Period.Iso(period.Last30Start),
            Period.Iso(period.Today),
            "week",
            user: user,
            ct: ct
        );
        var outcomes = apis.AsReader<IOutcomesApi>();
        var mine = outcomes.GetEfficiencyAsync("user", Period.Iso(period.Last30Start), Period.Iso(period.Today), ct);
        var team = outcomes.GetEfficiencyAsync("team", Period.Iso(period.Last30Start), Period.Iso(period.Today), ct);
        var alerts = apis.AsReader<IAlertingApi>().ListAlertsAsync(scope: $"user:{user}", ct: ct);
        var prs = outcomes.SearchPrsAsync(
            Period.Iso(period.Last30Start),
            Period.Iso(period.Today),
            author: user,
            ct: ct
        );
        var breaker = apis.AsReader<IAlertingApi>().GetBreakerAsync(user, ct);

        ByTool = ChartModel.From(
            "person-tools",
            "Spend per day by tool, last 30 days",
            "bar",
            (await tools).Value("Accounting").Rows.Where(r => r.Group.GetValueOrDefault("user") == user),
            r => r.Period?[..10] ?? "",
            r => r.Group.GetValueOrDefault("tool") ?? "(none)",
            r => r.Figures.CostUsd,
            "usd"
        );
        ByModel = ChartModel.From(
            "person-models",
            "Spend per week by model, last 30 days",
            "bar",
            (await models).Value("Accounting").Rows.Where(r => r.Group.GetValueOrDefault("user") == user),
            r => r.Period?[..10] ?? "",
            r => r.Group.GetValueOrDefault("model") ?? "(none)",
            r => r.Figures.CostUsd,
            "usd"
        );
        Value = (await mine).Value("Outcomes").Rows.FirstOrDefault(r => r.Group == user);
        TeamValue = (await team).Value("Outcomes").Rows.FirstOrDefault(r => r.Group == Person.Team);
        Alerts = (await alerts).Value("Alerting");
        Prs = (await prs).Value("Outcomes");
        var breakerAnswer = await breaker;
        Breaker = breakerAnswer.IsSuccessStatusCode ? breakerAnswer.Content : null;
        return Page();
    }
}
