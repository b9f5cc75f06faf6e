using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Console.Pages.Shared;
using Tokenwise.Console.Reading;
using Tokenwise.Console.SigningIn;

namespace Tokenwise.Console.Pages.Alerts;

/// <summary>
/// One alert with its evidence (the person's recent spend and outcomes, their breaker) and the actions the API
/// offers: acknowledge or resolve with a reason, override a breaker until a time with a reason. A person acts only on
/// alerts they may see (the service answers their key), and the service records them as the one who acted.
/// </summary>
public sealed class AlertModel(ServiceApis apis, TimeProvider clock) : PageModel
{
    public AlertDetails Details { get; private set; } = null!;
    public BreakerStatus? Breaker { get; private set; }
    public IReadOnlyList<SpendRow> RecentSpend { get; private set; } = [];
    public EfficiencyRow? Outcomes { get; private set; }
    public string? Done { get; private set; }
    public string? Problem { get; private set; }
    public AlertView Alert => Details.Alert;
    public string? Person => Alert.Scope.Type == "user" ? Alert.Scope.Id : null;
    public string OverrideDefault => ActionInput.DefaultUntil(clock.GetUtcNow());

    public async Task<IActionResult> OnGetAsync(string id, string? done, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        Done = done is "acknowledged" or "resolved" or "overridden" ? done : null;
        return Page();
    }

    public Task<IActionResult> OnPostAcknowledgeAsync(
        string id,
        string? reason,
        string? returnUrl,
        CancellationToken ct
    ) =>
        ActAsync(
            id,
            returnUrl,
            "acknowledged",
            reason,
            required: false,
            (by, r) => apis.AsConsole<IAlertingApi>().AcknowledgeAlertAsync(id, new AlertActionRequest(by, r), ct),
            ct
        );

    public Task<IActionResult> OnPostResolveAsync(string id, string? reason, string? returnUrl, CancellationToken ct) =>
        ActAsync(
            id,
            returnUrl,
            "resolved",
            reason,
            required: true,
            (by, r) => apis.AsConsole<IAlertingApi>().ResolveAlertAsync(id, new AlertActionRequest(by, r), ct),
            ct
        );

    public async Task<IActionResult> OnPostOverrideAsync(
        string id,
        string? until,
        string? reason,
        string? returnUrl,
        CancellationToken ct
    )
    {
        if (!User.MayAct())
            return Forbid();
        if (!await LoadAsync(id, ct) || Person is not { } person)
            return NotFound();
        if (ActionInput.Until(until, clock.GetUtcNow()) is not { } end)
            return Refuse("until", "Give a time in the future (UTC).");
        if (ActionInput.ReasonProblem(reason, required: true) is { } why)
            return Refuse("reason", why);
        var answer = await apis.AsConsole<IAlertingApi>()
            .OverrideBreakerAsync(person, new BreakerOverrideRequest(User.Person(), end, reason!.Trim()), ct);
        answer.Succeeded("Alerting");
        return Back(id, returnUrl, "overridden");
    }

    private async Task<IActionResult> ActAsync(
        string id,
        string? returnUrl,
        string done,
        string? reason,
        bool required,
        Func<string, string?, Task<Refit.IApiResponse>> act,
        CancellationToken ct
    )
    {
        if (!User.MayAct())
            return Forbid();
        // Seen with the person's own key first: no one acts on an alert about someone they do not manage.
        if (!await LoadAsync(id, ct))
            return NotFound();
        if (ActionInput.ReasonProblem(reason, required) is { } why)
            return Refuse("reason", why);
        (await act(User.Person(), string.IsNullOrWhiteSpace(reason) ? null : reason.Trim())).Succeeded("Alerting");
        return Back(id, returnUrl, done);
    }

    private PageResult Refuse(string field, string why)
    {
        Problem = $"{field}: {why}";
        Response.StatusCode = 400;
        return Page();
    }

    private IActionResult Back(string id, string? returnUrl, string done) =>
        returnUrl is { } url && Url.IsLocalUrl(url)
            ? LocalRedirect(url + (url.Contains('?') ? "&" : "?") + "done=" + done + "#alert-" + id)
            : RedirectToPage("/Alerts/Alert", new { id, done });

    private async Task<bool> LoadAsync(string id, CancellationToken ct)
    {
        if (id.Length is 0 or > 200 || id.Any(char.IsControl))
            return false;
        var answer = await apis.AsReader<IAlertingApi>().GetAlertAsync(id, ct);
        if (answer.NotVisible())
            return false;
        Details = answer.Value("Alerting");
        if (Person is { } person && User.MaySeePeople())
        {
            var period = Period.Now(clock);
            var breaker = apis.AsReader<IAlertingApi>().GetBreakerAsync(person, ct);
            var spend = apis.AsReader<IAccountingApi>()
                .GetSpendAsync(
                    "user,model",
                    Period.Iso(period.Today.AddDays(-6)),
                    Period.Iso(period.Today),
                    user: person,
                    ct: ct
                );
            var outcomes = apis.AsReader<IOutcomesApi>()
                .GetEfficiencyAsync("user", Period.Iso(period.Last30Start), Period.Iso(period.Today), ct);
            var breakerAnswer = await breaker;
            Breaker = breakerAnswer.IsSuccessStatusCode ? breakerAnswer.Content : null;
            RecentSpend = (await spend)
                .Value("Accounting")
                .Rows.Where(r => r.Group.GetValueOrDefault("user") == person)
                .ToList();
            Outcomes = (await outcomes).Value("Outcomes").Rows.FirstOrDefault(r => r.Group == person);
        }
        return true;
    }
}
