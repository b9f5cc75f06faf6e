using Microsoft.AspNetCore.Mvc.RazorPages;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Console.Pages.Shared;
using Tokenwise.Console.Reading;

namespace Tokenwise.Console.Pages.Teams;

/// <summary>Every team the reader may see: this month's spend, adoption, value over the last 30 days.</summary>
public sealed class IndexModel(ServiceApis apis, TimeProvider clock) : PageModel
{
    public Period Period { get; private set; } = null!;
    public IReadOnlyList<string> Teams { get; private set; } = [];
    public SpendReport Spend { get; private set; } = null!;
    public AdoptionReport Adoption { get; private set; } = null!;
    public EfficiencyReport Efficiency { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Period = Period.Now(clock);
        var accounting = apis.AsReader<IAccountingApi>();
        var spend = accounting.GetSpendAsync("team", Period.Iso(Period.MonthStart), Period.Iso(Period.Today), ct: ct);
        var adoption = accounting.GetAdoptionAsync(
            "team",
            "week",
            Period.Iso(Period.Weeks8Start),
            Period.Iso(Period.Today),
            ct: ct
        );
        var efficiency = apis.AsReader<IOutcomesApi>()
            .GetEfficiencyAsync("team", Period.Iso(Period.Last30Start), Period.Iso(Period.Today), ct);
        Spend = (await spend).Value("Accounting");
        Adoption = (await adoption).Value("Accounting");
        Efficiency = (await efficiency).Value("Outcomes");
        Teams = Spend
            .Rows.Select(r => r.Group.GetValueOrDefault("team"))
            .Concat(Adoption.Groups.Select(g => g.Group))
            .Concat(Efficiency.Rows.Select(r => r.Group))
            .OfType<string>()
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
