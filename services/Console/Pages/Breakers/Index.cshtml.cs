using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Console.Pages.Shared;
using Tokenwise.Console.Reading;
using Tokenwise.Console.SigningIn;

namespace Tokenwise.Console.Pages.Breakers;

/// <summary>
/// Breakers that stop spend now or are overridden, within the reader's limits; managers and admins override a
/// person's breaker until a time, with a reason, recorded as themselves.
/// </summary>
public sealed class IndexModel(ServiceApis apis, TimeProvider clock) : PageModel
{
    public IReadOnlyList<BreakerInfo> Breakers { get; private set; } = [];
    public string OverrideDefault { get; private set; } = "";
    public string? Done { get; private set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync(string? done, CancellationToken ct)
    {
        Done = done is { Length: <= 250 } ? done : null;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostOverrideAsync(
        string? user,
        string? until,
        string? reason,
        CancellationToken ct
    )
    {
        if (!User.MayAct())
            return Forbid();
        if (user is not { Length: > 0 and <= 200 } || user.Any(char.IsControl))
            return NotFound();
        // Asked with the person's own key first: no one overrides the breaker of someone they do not manage.
        var seen = await apis.AsReader<IAlertingApi>().GetBreakerAsync(user, ct);
        if (seen.NotVisible())
            return NotFound();
        seen.Value("Alerting");
        if (ActionInput.Until(until, clock.GetUtcNow()) is not { } end)
            return await RefuseAsync("until: give a time in the future (UTC)", ct);
        if (ActionInput.ReasonProblem(reason, required: true) is { } why)
            return await RefuseAsync("reason: " + why, ct);
        (
            await apis.AsConsole<IAlertingApi>()
                .OverrideBreakerAsync(user, new BreakerOverrideRequest(User.Person(), end, reason!.Trim()), ct)
        ).Succeeded("Alerting");
        return RedirectToPage(null, null, new { done = $"overrode {user}'s breaker until {Figures.When(end)}" }, null);
    }

    private async Task<IActionResult> RefuseAsync(string problem, CancellationToken ct)
    {
        Problem = problem;
        Response.StatusCode = 400;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        OverrideDefault = ActionInput.DefaultUntil(clock.GetUtcNow());
        Breakers = (await apis.AsReader<IAlertingApi>().ListBreakersAsync(ct)).Value("Alerting");
    }
}
