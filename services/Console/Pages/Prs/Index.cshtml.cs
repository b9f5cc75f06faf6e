using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Console.Pages.Shared;
using Tokenwise.Console.Reading;

namespace Tokenwise.Console.Pages.Prs;

/// <summary>
/// Merged PRs the reader may see, searched by repo, team, cost, AI assistance and whether an incident or revert named
/// them: each with its attributed cost and size. Outcomes does the search; a bad filter comes back as its message.
/// </summary>
public sealed class IndexModel(ServiceApis apis, TimeProvider clock) : PageModel
{
    public const int Limit = 200;

    public string? Repo { get; private set; }
    public string? Team { get; private set; }
    public string? Ai { get; private set; }
    public string? Failed { get; private set; }
    public string? MinCost { get; private set; }
    public int Days { get; private set; } = 30;
    public PrSearchReport? Report { get; private set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync(
        string? repo,
        string? team,
        string? ai,
        string? failed,
        string? minCost,
        int? days,
        CancellationToken ct
    )
    {
        (Repo, Team) = (Blank(repo), Blank(team));
        Ai = ai is "true" or "false" ? ai : null;
        Failed = failed is "true" or "false" ? failed : null;
        MinCost = Blank(minCost);
        Days = days is 7 or 30 or 90 or 365 ? days.Value : 30;
        decimal? cost = null;
        if (MinCost is not null)
        {
            if (decimal.TryParse(MinCost, NumberStyles.Number, CultureInfo.InvariantCulture, out var c) && c >= 0)
                cost = c;
            else
            {
                Problem = "Minimum cost: a number of dollars, such as 2.50.";
                Response.StatusCode = 400;
                return;
            }
        }
        var today = Period.Now(clock).Today;
        var answer = await apis.AsReader<IOutcomesApi>()
            .SearchPrsAsync(
                Period.Iso(today.AddDays(1 - Days)),
                Period.Iso(today),
                Repo,
                null,
                Team,
                Ai is null ? null : Ai == "true",
                Failed is null ? null : Failed == "true",
                cost,
                Limit,
                ct
            );
        if ((int?)answer.StatusCode == 400)
        {
            Problem = (answer.Error as Refit.ApiException)?.Content ?? "Outcomes refused the search.";
            Response.StatusCode = 400;
            return;
        }
        Report = answer.Value("Outcomes");
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
