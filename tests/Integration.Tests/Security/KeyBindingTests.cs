using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Integration.Tests.Ingestion;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Security;

/// <summary>A key speaks only for whom it is bound to: its user, its teams' people, or (unbound) anyone.</summary>
public sealed class KeyBindingTests(IngestionSystem system) : IClassFixture<IngestionSystem>
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];
    private string Alice => $"alice-{_run}";
    private string Bob => $"bob-{_run}";
    private string Search => $"search-{_run}";
    private string Payments => $"payments-{_run}";

    private async Task DirectoryAsync()
    {
        await system.Api.SetDirectoryUserAsync(
            Alice,
            new DirectoryUserRequest("Alice", $"{Alice}@example.com", Search, null, null)
        );
        await system.Api.SetDirectoryUserAsync(
            Bob,
            new DirectoryUserRequest("Bob", $"{Bob}@example.com", Payments, null, null)
        );
    }

    private async Task<IIngestionApi> KeyAsync(
        string? user = null,
        IReadOnlyList<string>? teams = null,
        string scope = "ingest"
    ) => (await SourcedKeyAsync(user, teams, scope)).Api;

    private async Task<(IIngestionApi Api, string Source)> SourcedKeyAsync(
        string? user = null,
        IReadOnlyList<string>? teams = null,
        string scope = "ingest"
    )
    {
        var source = $"k-{_run}-{Guid.NewGuid().ToString("N")[..4]}";
        var issued = await system.Api.IssueKeyAsync(new KeyRequest(source, [scope]) { User = user, Teams = teams });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        return (system.Ingestion.Client<IIngestionApi>(issued.Content!.Key), source);
    }

    private static UsageEvent Usage(string user, string? team = null) =>
        new()
        {
            Id = Guid.NewGuid().ToString("N"),
            OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            User = user,
            Team = team,
            Model = "gpt-4.1",
            InputTokens = 100,
        };

    private static async Task<Dictionary<string, string[]>> RefusedAsync(Refit.IApiResponse response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.ErrorMediaType());
        using var problem = JsonDocument.Parse(response.ErrorBody());
        return problem.RootElement.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;
    }

    [Fact]
    public async Task A_personal_key_reports_its_users_usage_by_any_of_her_names_and_is_refused_for_anyone_else()
    {
        await DirectoryAsync();
        var (alices, source) = await SourcedKeyAsync(user: Alice);

        var byEmail = Usage($"{Alice}@example.com");
        Assert.Equal(HttpStatusCode.Accepted, (await alices.RecordUsageBatchAsync([Usage(Alice), byEmail])).StatusCode);
        Assert.Equal(Alice, (await system.StoredUsage($"{source}/{byEmail.Id}")).User);
        var (hers, forBob) = (Usage(Alice), Usage(Bob));
        var refused = await RefusedAsync(await alices.RecordUsageBatchAsync([hers, forBob]));

        Assert.Equal(["[1].user"], refused.Keys);
        Assert.Contains($"speaks for {Alice} only", refused["[1].user"].Single());
        // All or nothing: not even her own item of the refused request was stored.
        Assert.Empty(await system.StoredUsages($"{source}/{hers.Id}"));
        Assert.Empty(await system.StoredUsages($"{source}/{forBob.Id}"));
    }

    [Fact]
    public async Task A_personal_key_cannot_file_usage_under_a_team_its_user_is_not_in()
    {
        await DirectoryAsync();
        var alices = await KeyAsync(user: Alice);

        var refused = await RefusedAsync(await alices.RecordUsageAsync(Usage(Alice, team: Payments)));

        Assert.Equal(["team"], refused.Keys);
        Assert.Equal(HttpStatusCode.Accepted, (await alices.RecordUsageAsync(Usage(Alice, team: Search))).StatusCode);
    }

    [Fact]
    public async Task A_team_key_reports_its_teams_people_and_no_one_the_directory_puts_elsewhere_or_does_not_know()
    {
        await DirectoryAsync();
        var searchKey = await KeyAsync(teams: [Search]);

        Assert.Equal(HttpStatusCode.Accepted, (await searchKey.RecordUsageAsync(Usage(Alice))).StatusCode);
        var refused = await RefusedAsync(
            await searchKey.RecordUsageBatchAsync([Usage(Bob), Usage($"stranger-{_run}")])
        );
        Assert.Equal(["[0].user", "[1].user"], refused.Keys.Order());
    }

    [Fact]
    public async Task Telemetry_sent_with_a_personal_key_is_hers_when_it_names_no_one_and_skipped_when_it_names_someone_else()
    {
        await DirectoryAsync();
        var issued = (
            await system.Api.IssueKeyAsync(new KeyRequest($"laptop-{_run}", ["ingest"]) { User = Alice })
        ).Content!;
        using var http = system.Ingestion.Http();
        http.DefaultRequestHeaders.Authorization = new("Bearer", issued.Key);
        var nanos = (DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds() * 1_000_000).ToString();
        string Record(string id, string? email) =>
            "{\"timeUnixNano\":\""
            + nanos
            + "\",\"body\":{\"stringValue\":\"claude_code.api_request\"},\"attributes\":["
            + "{\"key\":\"request_id\",\"value\":{\"stringValue\":\""
            + id
            + "\"}},{\"key\":\"model\",\"value\":{\"stringValue\":\"claude-sonnet-4-5\"}},"
            + (email is null ? "" : "{\"key\":\"user.email\",\"value\":{\"stringValue\":\"" + email + "\"}},")
            + "{\"key\":\"input_tokens\",\"value\":{\"intValue\":\"100\"}}]}";
        var body =
            "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":["
            + Record($"{_run}-mine", null)
            + ","
            + Record($"{_run}-theirs", $"{Bob}@example.com")
            + "]}]}]}";

        var response = await http.PostAsync(
            "/otlp/v1/logs",
            new StringContent(body, Encoding.UTF8, "application/json")
        );

        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, answer.RootElement.GetProperty("partialSuccess").GetProperty("rejectedLogRecords").GetInt32());
        Assert.Equal(Alice, (await system.StoredUsage($"laptop-{_run}/{_run}-mine")).User);
        Assert.Empty(await system.StoredUsages($"laptop-{_run}/{_run}-theirs"));
    }

    [Fact]
    public async Task An_unbound_key_reports_anyone_and_outcomes_need_their_own_scope()
    {
        await DirectoryAsync();
        var gateway = await KeyAsync();
        Assert.Equal(
            HttpStatusCode.Accepted,
            (await gateway.RecordUsageBatchAsync([Usage(Alice), Usage(Bob, team: Payments)])).StatusCode
        );

        var merge = new OutcomeEvent
        {
            Id = Guid.NewGuid().ToString("N"),
            OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            Kind = "pr_merged",
            Repo = "acme/api",
            PrNumber = 1,
            User = Bob,
        };
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.RecordOutcomesAsync([merge])).StatusCode);
        Assert.Equal(
            HttpStatusCode.Accepted,
            (await (await KeyAsync(scope: "outcomes")).RecordOutcomesAsync([merge])).StatusCode
        );
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("outcomes")]
    public async Task An_admin_or_outcomes_key_cannot_be_bound_to_a_person(string scope)
    {
        using var http = system.Ingestion.Http();
        http.DefaultRequestHeaders.Authorization = new("Bearer", IsolatedEnvironment.BootstrapKey);
        var response = await http.PostAsJsonAsync(
            "/v1/keys",
            new
            {
                source = $"bound-{_run}",
                scopes = new[] { scope },
                user = Alice,
            }
        );

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"user\"", await response.Content.ReadAsStringAsync());
    }
}
