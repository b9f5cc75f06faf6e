using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Console.Reading;

namespace Tokenwise.Console.Pages.Prs;

/// <summary>One PR: what it cost, who and which sessions spent it, by which attribution rule, and what it caused.</summary>
public sealed class PrModel(ServiceApis apis) : PageModel
{
    public PrReport Pr { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string owner, string repo, int number, CancellationToken ct)
    {
        if (number <= 0 || owner.Length > 100 || repo.Length > 100)
            return NotFound();
        var answer = await apis.AsReader<IOutcomesApi>().GetPrAsync(owner, repo, number, ct);
        if (answer.NotVisible())
            return NotFound();
        Pr = answer.Value("Outcomes");
        return Page();
    }
}
