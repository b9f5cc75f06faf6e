using Microsoft.AspNetCore.Mvc.RazorPages;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Console.Reading;

namespace Tokenwise.Console.Pages.Alerts;

/// <summary>Alerts the reader may see, newest first, filtered by status, severity and kind.</summary>
public sealed class IndexModel(ServiceApis apis) : PageModel
{
    public static readonly string[] Statuses = ["open", "raised", "escalated", "acknowledged", "resolved"];
    public static readonly string[] Severities = ["critical", "warning", "info"];
    public static readonly string[] Kinds =
    [
        "token_burn",
        "runaway",
        "burn_rate",
        "budget",
        "quality",
        "unpriced",
        "breaker",
        "pipeline",
    ];

    public string Status { get; private set; } = "open";
    public string? Severity { get; private set; }
    public string? Kind { get; private set; }
    public IReadOnlyList<AlertView> Alerts { get; private set; } = [];

    public async Task OnGetAsync(string? status, string? severity, string? kind, CancellationToken ct)
    {
        Status = Statuses.Contains(status) ? status! : "open";
        Severity = Severities.Contains(severity) ? severity : null;
        Kind = Kinds.Contains(kind) ? kind : null;
        var alerts = (
            await apis.AsReader<IAlertingApi>().ListAlertsAsync(Status == "open" ? null : Status, Kind, ct: ct)
        ).Value("Alerting");
        Alerts = alerts
            .Where(a => Status != "open" || a.Status != "resolved")
            .Where(a => Severity is null || a.Severity == Severity)
            .ToList();
    }
}
