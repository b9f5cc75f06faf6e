using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.OutcomeReports;

namespace Tokenwise.Ingestion.Tests.Outcomes;

public sealed class PagerDutyTranslationTests
{
    public static string Event(string type, string id = "01EVT") =>
        """
            {"event":{"id":"EVENT_ID","event_type":"EVENT_TYPE","resource_type":"incident","occurred_at":"2026-11-20T09:30:00Z",
              "data":{"id":"PINC42","number":42,"status":"triggered","urgency":"high","title":"Checkout 500s — root cause: 9f8e7d6c",
                      "service":{"id":"PSVC","summary":"checkout"},"priority":{"summary":"P1"},"teams":[{"id":"PT","summary":"payments"}]}}}
            """.Replace("EVENT_ID", id).Replace("EVENT_TYPE", type);

    private static Tokenwise.Ingestion.OutcomeReports.GitHubWebhooks.Translation Translate(string json)
    {
        using var document = JsonDocument.Parse(json);
        return PagerDutyWebhookEndpoint.Translate(document.RootElement, DateTimeOffset.UtcNow);
    }

    [Theory]
    [InlineData("incident.triggered", OutcomeKinds.IncidentOpened)]
    [InlineData("incident.resolved", OutcomeKinds.IncidentResolved)]
    public void Triggered_and_resolved_incidents_become_outcomes_keyed_by_the_event_id(string type, string kind)
    {
        var incident = Assert.Single(Translate(Event(type)).Outcomes);

        Assert.Equal(
            (kind, "pagerduty/01EVT", "PINC42", "P1", "payments"),
            (incident.Kind, incident.Key, incident.ExternalId, incident.Severity, incident.Team)
        );
        Assert.Equal(["9f8e7d6c"], incident.Links.Shas);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero), incident.OccurredAt);
    }

    [Theory]
    [InlineData("incident.acknowledged")]
    [InlineData("incident.priority_updated")]
    [InlineData("service.updated")]
    public void Other_event_types_are_ignored(string type)
    {
        Assert.NotNull(Translate(Event(type)).IgnoredBecause);
    }
}
