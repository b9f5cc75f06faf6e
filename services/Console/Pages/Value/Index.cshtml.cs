using Microsoft.AspNetCore.Mvc.RazorPages;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Console.Reading;

namespace Tokenwise.Console.Pages.Value;

/// <summary>
/// Teams, never people, ranked by merged PRs that caused no incident or revert, with the spend per such PR beside them
/// and how large the PRs were, so that splitting work into tiny PRs shows instead of scoring.
/// </summary>
public sealed class IndexModel(ServiceApis apis) : PageModel
{
    public string Period { get; private set; } = "month";
    public ValueboardReport Board { get; private set; } = null!;

    public async Task OnGetAsync(string? period, CancellationToken ct)
    {
        Period = period is "week" ? "week" : "month";
        Board = (await apis.AsReader<IOutcomesApi>().GetValueboardAsync(Period, "team", ct)).Value("Outcomes");
    }
}
