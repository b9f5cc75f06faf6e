using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Console.Reading;
using Tokenwise.Console.SigningIn;

namespace Tokenwise.Console.Pages.Prices;

/// <summary>
/// The price book: every model's prices by the date they took effect, the version that holds them, and provider
/// discounts. Admins set a price or import LiteLLM's price map; Accounting re-prices what the change reaches.
/// </summary>
public sealed class IndexModel(ServiceApis apis) : PageModel
{
    /// <summary>LiteLLM's map is about 1.5 MB today: four times that is room to grow, not room for abuse.</summary>
    public const long MaxImportBytes = 8 * 1024 * 1024;

    public PriceBookView Book { get; private set; } = null!;
    public string? Message { get; private set; }
    public IReadOnlyList<string> Problems { get; private set; } = [];

    public async Task OnGetAsync(string? message, CancellationToken ct)
    {
        Message = message is { Length: <= 300 } ? message : null;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostPriceAsync(
        string? provider,
        string? model,
        string? effectiveFrom,
        string? inputPerMTok,
        string? outputPerMTok,
        CancellationToken ct
    )
    {
        if (User.Role() != ConsoleRole.Admin)
            return Forbid();
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(provider) || provider.Length > 100)
            problems.Add("provider: required, at most 100 characters");
        if (string.IsNullOrWhiteSpace(model) || model.Length > 200)
            problems.Add("model: required, at most 200 characters");
        if (
            !DateTime.TryParseExact(
                effectiveFrom,
                "yyyy-MM-dd",
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var from
            )
        )
            problems.Add("effectiveFrom: a day, yyyy-MM-dd (UTC)");
        decimal Rate(string? text, string field)
        {
            if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var rate) && rate >= 0)
                return rate;
            problems.Add($"{field}: dollars per million tokens, zero or more");
            return 0;
        }
        var input = Rate(inputPerMTok, "inputPerMTok");
        var output = Rate(outputPerMTok, "outputPerMTok");
        if (problems.Count == 0)
        {
            var answer = await apis.AsConsole<IAccountingApi>()
                .SetPriceAsync(
                    provider!.Trim(),
                    model!.Trim(),
                    new PriceRequest(new DateTimeOffset(from, TimeSpan.Zero), input, output),
                    ct
                );
            if (answer.IsSuccessStatusCode)
                return RedirectToPage(
                    null,
                    null,
                    new
                    {
                        message = $"Set {provider!.Trim()}/{model!.Trim()} from {effectiveFrom}: version {answer.Content!.Version}.",
                    },
                    null
                );
            problems.AddRange(Refused(answer));
        }
        return await ShowProblemsAsync(problems, ct);
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? priceMap, CancellationToken ct)
    {
        if (User.Role() != ConsoleRole.Admin)
            return Forbid();
        if (priceMap is null || priceMap.Length == 0)
            return await ShowProblemsAsync(["priceMap: choose LiteLLM's model_prices_and_context_window.json"], ct);
        if (priceMap.Length > MaxImportBytes)
            return await ShowProblemsAsync([$"priceMap: at most {MaxImportBytes / 1024 / 1024} MB"], ct);
        JsonElement map;
        try
        {
            await using var stream = priceMap.OpenReadStream();
            using var json = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
            map = json.RootElement.Clone();
        }
        catch (JsonException)
        {
            return await ShowProblemsAsync(["priceMap: the file is not JSON"], ct);
        }
        var answer = await apis.AsConsole<IAccountingApi>().ImportLiteLlmPricesAsync(map, ct: ct);
        if (answer.IsSuccessStatusCode)
            return RedirectToPage(
                null,
                null,
                new
                {
                    message = $"Imported {answer.Content!.Imported} prices ({answer.Content.Skipped} skipped): version {answer.Content.Version}.",
                },
                null
            );
        return await ShowProblemsAsync(Refused(answer), ct);
    }

    private static List<string> Refused<T>(Refit.IApiResponse<T> answer)
    {
        if ((int?)answer.StatusCode is not (400 or 413 or 422))
            answer.Succeeded("Accounting");
        var content = (answer.Error as Refit.ApiException)?.Content;
        try
        {
            using var json = JsonDocument.Parse(content ?? "{}");
            if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                return errors
                    .EnumerateObject()
                    .SelectMany(e => e.Value.EnumerateArray().Select(m => $"{e.Name}: {m.GetString()}"))
                    .ToList();
            return
            [
                json.RootElement.TryGetProperty("detail", out var detail)
                    ? detail.GetString() ?? "refused"
                    : "Accounting refused it.",
            ];
        }
        catch (JsonException)
        {
            return ["Accounting refused it."];
        }
    }

    private async Task<IActionResult> ShowProblemsAsync(List<string> problems, CancellationToken ct)
    {
        Problems = problems;
        Response.StatusCode = 400;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Book = (await apis.AsReader<IAccountingApi>().GetPricesAsync(ct: ct)).Value("Accounting");
}
