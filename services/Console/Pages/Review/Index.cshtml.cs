using Microsoft.AspNetCore.Mvc.RazorPages;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Console.Pages.Shared;
using Tokenwise.Console.Reading;
using Tokenwise.Console.SigningIn;

namespace Tokenwise.Console.Pages.Review;

/// <summary>
/// The manager's home page: the open alerts addressed to them (an admin: every open alert), most severe first, each
/// with its evidence (the person's spend in the last 7 days, their merged PRs and unattributed spend in the last 30)
/// and the actions on it.
/// </summary>
public sealed class IndexModel(ServiceApis apis, TimeProvider clock) : PageModel
{
    private static readonly string[] Order = ["critical", "warning", "info"];

    public IReadOnlyList<AlertView> Alerts { get; private set; } = [];
    public IReadOnlyDictionary<string, SpendFigures> WeekSpend { get; private set; } =
        new Dictionary<string, SpendFigures>();
    public IReadOnlyDictionary<string, EfficiencyRow> Outcomes { get; private set; } =
        new Dictionary<string, EfficiencyRow>();
    public string? Done { get; private set; }
    public string OverrideDefault { get; private set; } = "";

    public async Task OnGetAsync(string? done, CancellationToken ct)
    {
        Done = done is "acknowledged" or "resolved" or "overridden" ? done : null;
        var period = Period.Now(clock);
        OverrideDefault = ActionInput.DefaultUntil(clock.GetUtcNow());
        var alerts = apis.AsReader<IAlertingApi>().ListAlertsAsync(ct: ct);
        var spend = apis.AsReader<IAccountingApi>()
            .GetSpendAsync("user", Period.Iso(period.Today.AddDays(-6)), Period.Iso(period.Today), ct: ct);
        var outcomes = apis.AsReader<IOutcomesApi>()
            .GetEfficiencyAsync("user", Period.Iso(period.Last30Start), Period.Iso(period.Today), ct);
        var me = User.Person();
        var admin = User.Role() == ConsoleRole.Admin;
        Alerts = (await alerts)
            .Value("Alerting")
            .Where(a => a.Status != "resolved" && (admin || a.Manager == me))
            .OrderBy(a => Array.IndexOf(Order, a.Severity))
            .ThenByDescending(a => a.RaisedAt)
            .ToList();
        WeekSpend = (await spend)
            .Value("Accounting")
            .Rows.Where(r => r.Group.ContainsKey("user"))
            .ToDictionary(r => r.Group["user"], r => r.Figures);
        Outcomes = (await outcomes).Value("Outcomes").Rows.ToDictionary(r => r.Group);
    }
}
