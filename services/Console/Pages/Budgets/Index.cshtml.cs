using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Console.Reading;
using Tokenwise.Console.SigningIn;

namespace Tokenwise.Console.Pages.Budgets;

/// <summary>
/// Every budget the reader may see in its current period: spent, thresholds fired, the forecast and when it runs out
/// at the last week's pace. Admins set and edit budgets here; Accounting checks every field and its answer is shown.
/// </summary>
public sealed class IndexModel(ServiceApis apis) : PageModel
{
    public static readonly string[] ScopeTypes = ["team", "user", "org"];
    public static readonly string[] Periods = ["month", "week", "day"];

    public IReadOnlyList<BudgetView> Budgets { get; private set; } = [];
    public string? Saved { get; private set; }
    public IReadOnlyList<string> Problems { get; private set; } = [];

    public async Task OnGetAsync(string? saved, CancellationToken ct)
    {
        Saved = saved is { Length: <= 220 } ? saved : null;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(
        string? scopeType,
        string? scopeId,
        string? amountUsd,
        string? period,
        string? thresholds,
        bool hardLimit,
        CancellationToken ct
    )
    {
        if (User.Role() != ConsoleRole.Admin)
            return Forbid();
        var problems = new List<string>();
        if (!ScopeTypes.Contains(scopeType))
            problems.Add("scopeType: choose team, user or org");
        if (string.IsNullOrWhiteSpace(scopeId) || scopeId.Length > 200)
            problems.Add("scopeId: name the team, person or organisation (at most 200 characters)");
        if (
            !decimal.TryParse(amountUsd, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount)
            || amount <= 0
        )
            problems.Add("amountUsd: a positive number of dollars, such as 1500.00");
        var percents = new List<int>();
        foreach (
            var part in (thresholds ?? "").Split(
                ',',
                StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries
            )
        )
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
                percents.Add(percent);
            else
                problems.Add("thresholds: whole percentages separated by commas, such as 50, 80, 100");
        if (problems.Count == 0)
        {
            var answer = await apis.AsConsole<IAccountingApi>()
                .SetBudgetAsync(
                    scopeType!,
                    scopeId!.Trim(),
                    new BudgetRequest(
                        amount,
                        Periods.Contains(period) ? period : "month",
                        null,
                        percents.Count > 0 ? percents : null,
                        hardLimit
                    ),
                    ct
                );
            if (answer.IsSuccessStatusCode)
                return RedirectToPage(
                    null,
                    null,
                    new { saved = $"{scopeType} {scopeId!.Trim()}" },
                    $"{scopeType}-{scopeId!.Trim()}"
                );
            if ((int?)answer.StatusCode is not (400 or 422))
                answer.Succeeded("Accounting");
            problems.AddRange(FieldProblems((answer.Error as Refit.ApiException)?.Content));
        }
        Problems = problems;
        Response.StatusCode = 400;
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>Accounting's problem+json names each field it refused: shown as it says.</summary>
    private static IEnumerable<string> FieldProblems(string? problem)
    {
        if (problem is null)
            return ["Accounting refused the budget."];
        try
        {
            using var json = JsonDocument.Parse(problem);
            if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                return errors
                    .EnumerateObject()
                    .SelectMany(e => e.Value.EnumerateArray().Select(m => $"{e.Name}: {m.GetString()}"))
                    .ToList();
            return
            [
                json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "refused" : "refused",
            ];
        }
        catch (JsonException)
        {
            return ["Accounting refused the budget."];
        }
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Budgets = (await apis.AsReader<IAccountingApi>().ListBudgetsAsync(ct))
            .Value("Accounting")
            .OrderBy(b => b.ScopeType, StringComparer.Ordinal)
            .ThenBy(b => b.ScopeId, StringComparer.Ordinal)
            .ToList();
}
