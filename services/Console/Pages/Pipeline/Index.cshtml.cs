using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tokenwise.Client.Models;
using Tokenwise.Console.Reading;

namespace Tokenwise.Console.Pages.Pipeline;

/// <summary>
/// For admins: each service's readiness (and which check failed), the messages that failed every retry, and the items
/// a consumer quarantined, with the reason; sending them back after a fix. A service that does not answer is shown as
/// such, not as an empty list.
/// </summary>
public sealed class IndexModel(ServiceApis apis) : PageModel
{
    public const int Shown = 50;

    public sealed record ServiceState(
        string Service,
        bool Answered,
        bool Ready,
        IReadOnlyList<(string Check, string Status, string? Description)> Checks,
        IReadOnlyList<FailedMessageView> Failed,
        IReadOnlyList<QuarantinedItemView> Quarantined,
        bool MoreQuarantined
    );

    public IReadOnlyList<ServiceState> Services { get; private set; } = [];
    public string? Done { get; private set; }

    public async Task OnGetAsync(string? done, CancellationToken ct)
    {
        Done = done is { Length: <= 200 } ? done : null;
        Services = await Task.WhenAll(ServiceApis.Services.Select(s => ReadAsync(s, ct)));
    }

    public async Task<IActionResult> OnPostReplayQuarantineAsync(string? service, string? id, CancellationToken ct)
    {
        if (!ServiceApis.Services.Contains(service) || id is not { Length: > 0 and <= 500 })
            return BadRequest();
        (await apis.Operations(service!).ReplayQuarantineAsync(id, ct)).Succeeded(service!);
        return RedirectToPage(null, null, new { done = $"sent {id} back to {service}" }, null);
    }

    public async Task<IActionResult> OnPostReplayFailedAsync(string? service, string? messageId, CancellationToken ct)
    {
        if (!ServiceApis.Services.Contains(service) || messageId is not { Length: > 0 and <= 200 })
            return BadRequest();
        (await apis.Operations(service!).ReplayFailedMessagesAsync(messageId, ct)).Succeeded(service!);
        return RedirectToPage(null, null, new { done = $"sent message {messageId} back to {service}" }, null);
    }

    private async Task<ServiceState> ReadAsync(string service, CancellationToken ct)
    {
        var api = apis.Operations(service);
        try
        {
            var readiness = await api.ReadinessAsync(ct);
            var body = readiness.Content ?? (readiness.Error as Refit.ApiException)?.Content;
            var checks = new List<(string, string, string?)>();
            if (body is not null)
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.TryGetProperty("checks", out var all))
                    foreach (var check in all.EnumerateObject())
                        checks.Add(
                            (
                                check.Name,
                                check.Value.GetProperty("status").GetString() ?? "",
                                check.Value.TryGetProperty("description", out var d) ? d.GetString() : null
                            )
                        );
            }
            var failed = await api.ListFailedMessagesAsync(ct);
            var quarantined = await api.ListQuarantineAsync("quarantined", limit: Shown, ct: ct);
            return new ServiceState(
                service,
                true,
                readiness.IsSuccessStatusCode,
                checks,
                failed.IsSuccessStatusCode ? failed.Content! : [],
                quarantined.IsSuccessStatusCode ? quarantined.Content!.Items : [],
                quarantined.Content?.Next is not null
            );
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return new ServiceState(service, false, false, [], [], [], false);
        }
    }
}
