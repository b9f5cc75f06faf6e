using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.OutcomeReports.RecordingOutcomes;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.Tests.Outcomes;

public sealed class CanonicalOutcomeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static (List<OutcomeRecorded> Items, IDictionary<string, string[]> Errors) Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new ValidationErrors();
        var items = JsonBatch.Read(
            document.RootElement,
            CanonicalOutcomeReader.Read,
            (outcome, _) => IntakeRules.Problems(outcome),
            errors,
            new IntakeContext("ci", Now, IntakeLimits.Default)
        );
        return (items, errors.ToDictionary());
    }

    [Fact]
    public void A_merged_PR_keeps_its_links_sessions_and_AI_flag()
    {
        var (items, errors) = Read(
            """
            {"id":"m1","occurredAt":"2026-11-20T10:00:00Z","kind":"pr_merged","repo":"acme/api","prNumber":7,"sha":"ABC1234",
             "branch":"feat/x","user":"alice","aiAssisted":true,"sessionIds":["s1","s2"],"linesAdded":10,"linesDeleted":2}
            """
        );
        Assert.Empty(errors);
        var outcome = Assert.Single(items);
        Assert.Equal(
            ("ci/m1", 7, "abc1234", "feat/x", true),
            (outcome.Key, outcome.PrNumber!.Value, outcome.Sha, outcome.HeadRef, outcome.AiAssisted!.Value)
        );
        Assert.Equal(["s1", "s2"], outcome.SessionIds);
    }

    [Fact]
    public void An_incident_needs_no_repo_and_links_the_root_cause_in_its_title()
    {
        var (items, errors) = Read(
            """
            {"id":"i1","occurredAt":"2026-11-20T10:00:00Z","kind":"incident_opened","title":"Errors. root cause: deadbeef1","links":{"prNumbers":[7]}}
            """
        );
        Assert.Empty(errors);
        Assert.Equal(["deadbeef1"], items.Single().Links.Shas);
        Assert.Equal([7], items.Single().Links.PrNumbers);
    }

    [Theory]
    [InlineData("""{"id":"x","occurredAt":"2026-11-20T10:00:00Z","kind":"shipped","repo":"a/b"}""", "kind")]
    [InlineData("""{"id":"x","occurredAt":"2026-11-20T10:00:00Z","kind":"pr_merged","repo":"a/b"}""", "prNumber")]
    [InlineData("""{"id":"x","occurredAt":"2026-11-20T10:00:00Z","kind":"deployment"}""", "repo")]
    [InlineData("""{"id":"x","occurredAt":"2026-11-20T10:00:00Z","kind":"revert","repo":"a/b"}""", "links")]
    [InlineData(
        """{"id":"x","occurredAt":"2026-11-20T10:00:00Z","kind":"revert","repo":"a/b","links":{"prNumbers":["7"]}}""",
        "links.prNumbers"
    )]
    [InlineData(
        """{"id":"x","occurredAt":"2026-11-20T10:00:00Z","kind":"deployment","repo":"a/b","aiAssisted":"yes"}""",
        "aiAssisted"
    )]
    [InlineData("""{"id":"x","occurredAt":"2026-12-20T10:00:00Z","kind":"deployment","repo":"a/b"}""", "occurredAt")]
    public void An_invalid_outcome_names_the_field(string json, string field)
    {
        Assert.Contains(field, Read(json).Errors.Keys);
    }
}
