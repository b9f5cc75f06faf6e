using System.Net;
using System.Net.Http.Headers;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Integration.Tests.Pipeline;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Security;

/// <summary>
/// A reader bound to a manager sees the people who report to them, however far down; one bound to teams sees those
/// teams; either is refused (403) anyone else's figures on every read endpoint. An unbound reader sees everything.
/// </summary>
public sealed class ReaderLimitsTests(WholePipeline system) : IClassFixture<WholePipeline>
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];

    // Morgan manages Alice, who manages Carol; Bob is in another team under Pat.
    private string Morgan => $"morgan-{_run}";
    private string Alice => $"alice-{_run}";
    private string Carol => $"carol-{_run}";
    private string Bob => $"bob-{_run}";
    private string Pat => $"pat-{_run}";
    private string Search => $"search-{_run}";
    private string Payments => $"payments-{_run}";
    private string Repo => $"acme/r{_run}";

    /// <summary>gpt-4.1 input is $2 per MTok: 50,000 tokens cost $0.10.</summary>
    private UsageEvent Usage(string user, string team, string? session = null) =>
        new()
        {
            Id = Guid.NewGuid().ToString("N"),
            OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            User = user,
            Team = team,
            Model = "gpt-4.1",
            InputTokens = 50_000,
            SessionId = session,
        };

    private OutcomeEvent Merge(int number, string author) =>
        new()
        {
            Id = Guid.NewGuid().ToString("N"),
            OccurredAt = DateTimeOffset.UtcNow.AddSeconds(-30),
            Kind = "pr_merged",
            Repo = Repo,
            PrNumber = number,
            User = author,
            Title = $"PR {number}",
        };

    /// <summary>The company: a directory, a day of usage for four people, two merged PRs, budgets that raise alerts.</summary>
    private async Task CompanyAsync()
    {
        var directory = system.Ingest;
        await directory.SetDirectoryUserAsync(
            Morgan,
            new DirectoryUserRequest("Morgan", null, $"leads-{_run}", null, null)
        );
        await directory.SetDirectoryUserAsync(Alice, new DirectoryUserRequest("Alice", null, Search, Morgan, null));
        await directory.SetDirectoryUserAsync(Carol, new DirectoryUserRequest("Carol", null, Search, Alice, null));
        await directory.SetDirectoryUserAsync(Bob, new DirectoryUserRequest("Bob", null, Payments, Pat, null));
        await directory.SetDirectoryUserAsync(Pat, new DirectoryUserRequest("Pat", null, Payments, null, null));
        // Alice's budget is soft, Bob's hard: both alert, and Bob's breaker opens.
        Assert.Equal(
            HttpStatusCode.OK,
            (await system.Spend.SetBudgetAsync("user", Alice, new BudgetRequest(0.05m))).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (await system.Spend.SetBudgetAsync("user", Bob, new BudgetRequest(0.05m, HardLimit: true))).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Accepted,
            (
                await system.Ingest.RecordUsageBatchAsync([
                    Usage(Alice, Search),
                    Usage(Carol, Search),
                    Usage(Bob, Payments),
                    Usage(Pat, Payments),
                ])
            ).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Accepted,
            (await system.Ingest.RecordOutcomesAsync([Merge(1, Alice), Merge(2, Bob)])).StatusCode
        );

        var day = DateTime.UtcNow.ToString("yyyy-MM-dd");
        await Eventually.Until(
            async () =>
                Ours((await system.Spend.GetSpendAsync("user", day, day)).Content!.Rows.Select(r => r.Group["user"])),
            users => users.Length == 4,
            "the four people's usage to be charged"
        );
        await Eventually.Until(
            async () =>
                Ours((await system.Prs.GetEfficiencyAsync("user", day, day)).Content!.Rows.Select(r => r.Group)),
            users => users.Length == 4,
            "Outcomes to take in the four people's spend"
        );
        await Eventually.Until(
            async () =>
                (await system.Alerts.ListAlertsAsync(kind: "budget")).Content!.Count(a =>
                    a.Scope.Id == Alice || a.Scope.Id == Bob
                ),
            n => n == 2,
            "Alice's and Bob's budget alerts"
        );
        await Eventually.Until(
            async () => (await system.Alerts.CheckAsync(Bob)).Content!,
            c => !c.Allow,
            "Bob's breaker to open"
        );
        foreach (var (number, author) in new[] { (1, Alice), (2, Bob) })
            await Eventually.Until(
                async () => (await system.Prs.GetPrAsync("acme", $"r{_run}", number)).Content?.Author,
                a => a == author,
                $"PR {number}"
            );
    }

    private async Task<string> ReaderKeyAsync(
        string? user = null,
        IReadOnlyList<string>? teams = null,
        string scope = "read"
    )
    {
        var issued = await system.Ingest.IssueKeyAsync(
            new KeyRequest($"reader-{_run}-{Guid.NewGuid().ToString("N")[..4]}", [scope]) { User = user, Teams = teams }
        );
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var key = issued.Content!.Key;
        // Every service learns of the key from Ingestion's message.
        foreach (
            var (service, path) in new[]
            {
                (system.Accounting, "/v1/budgets"),
                (system.Outcomes, "/v1/efficiency"),
                (system.Alerting, "/v1/alerts"),
            }
        )
            await Eventually.Until(
                async () => (await Get(service, key, path)).StatusCode,
                status => status != HttpStatusCode.Unauthorized,
                $"the key to reach {path}"
            );
        return key;
    }

    private static async Task<HttpResponseMessage> Get(RunningService service, string key, string path)
    {
        using var http = service.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await http.GetAsync(path);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task AssertRefusedAsync(Refit.IApiResponse response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.ErrorMediaType());
        Assert.Contains("Outside this key's limits", response.ErrorBody());
    }

    private string[] Ours(IEnumerable<string?> names) =>
        names
            .OfType<string>()
            .Where(n => n.EndsWith(_run, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();

    [Fact]
    public async Task A_managers_key_reads_the_people_who_report_to_them_however_far_down_and_is_refused_everyone_else()
    {
        await CompanyAsync();
        var key = await ReaderKeyAsync(user: Morgan);
        var day = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var spend = system.Accounting.Client<IAccountingApi>(key);

        var byUser = (await spend.GetSpendAsync("user", day, day)).Content!;
        Assert.Equal([Alice, Carol], Ours(byUser.Rows.Select(r => r.Group["user"])));
        Assert.Equal(byUser.Rows.Sum(r => r.Figures.CostUsd), byUser.Totals.CostUsd);
        Assert.Equal(0.20m, byUser.Totals.CostUsd);
        var csv = (await spend.ExportSpendCsvAsync("user", day, day)).Content!;
        Assert.Contains(Carol, csv);
        Assert.DoesNotContain(Bob, csv);
        Assert.DoesNotContain(Pat, csv);

        var directory = system.Ingestion.Client<IIngestionApi>(key);
        Assert.Equal(
            [Alice, Carol, Morgan],
            Ours((await directory.ListDirectoryUsersAsync()).Content!.Select(u => u.Id))
        );
        Assert.Equal(HttpStatusCode.OK, (await directory.GetDirectoryUserAsync(Carol)).StatusCode);
        await AssertRefusedAsync(await directory.GetDirectoryUserAsync(Bob));
        await AssertRefusedAsync(await directory.GetDirectoryUserAsync($"nobody-{_run}"));

        Assert.Equal([Alice], Ours((await spend.ListBudgetsAsync()).Content!.Select(b => b.ScopeId)));
        await AssertRefusedAsync(await spend.GetBudgetAsync("user", Bob));
        await AssertRefusedAsync(await spend.GetReconciliationAsync(day, day));

        var outcomes = system.Outcomes.Client<IOutcomesApi>(key);
        Assert.Equal(HttpStatusCode.OK, (await outcomes.GetPrAsync("acme", $"r{_run}", 1)).StatusCode);
        await AssertRefusedAsync(await outcomes.GetPrAsync("acme", $"r{_run}", 2));
        // Not even whether a PR exists.
        await AssertRefusedAsync(await outcomes.GetPrAsync("acme", $"r{_run}", 99));
        var efficiency = (await outcomes.GetEfficiencyAsync("user", day, day)).Content!;
        Assert.Equal([Alice, Carol], Ours(efficiency.Rows.Select(r => r.Group)));
        Assert.Equal(
            [Alice, Carol],
            Ours((await outcomes.GetValueboardAsync("week", "user")).Content!.Rows.Select(r => r.Group))
        );

        var alerting = system.Alerting.Client<IAlertingApi>(key);
        var alerts = (await alerting.ListAlertsAsync()).Content!;
        Assert.Equal([Alice], Ours(alerts.Select(a => a.Scope.Id)));
        var bobs = (await system.Alerts.ListAlertsAsync(scope: $"user:{Bob}")).Content!.First();
        await AssertRefusedAsync(await alerting.GetAlertAsync(bobs.Id));
        Assert.Equal(
            HttpStatusCode.OK,
            (await alerting.GetAlertAsync(alerts.Single(a => a.Scope.Id == Alice).Id)).StatusCode
        );
        await AssertRefusedAsync(await alerting.GetBreakerAsync(Bob));
        Assert.Equal("closed", (await alerting.GetBreakerAsync(Carol)).Content!.State);
    }

    [Fact]
    public async Task A_team_key_reads_its_teams_people_and_figures_and_nothing_of_the_other_team()
    {
        await CompanyAsync();
        var key = await ReaderKeyAsync(teams: [Payments]);
        var day = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var spend = system.Accounting.Client<IAccountingApi>(key);

        Assert.Equal(
            [Bob, Pat],
            Ours((await spend.GetSpendAsync("user", day, day)).Content!.Rows.Select(r => r.Group["user"]))
        );
        Assert.Equal(
            [Payments],
            Ours((await spend.GetSpendAsync("team", day, day)).Content!.Rows.Select(r => r.Group["team"]))
        );
        Assert.Equal([Bob], Ours((await spend.ListBudgetsAsync()).Content!.Select(b => b.ScopeId)));
        await AssertRefusedAsync(await spend.GetBudgetAsync("user", Alice));
        var outcomes = system.Outcomes.Client<IOutcomesApi>(key);
        await AssertRefusedAsync(await outcomes.GetPrAsync("acme", $"r{_run}", 1));
        Assert.Equal(HttpStatusCode.OK, (await outcomes.GetPrAsync("acme", $"r{_run}", 2)).StatusCode);
        var alerting = system.Alerting.Client<IAlertingApi>(key);
        Assert.Equal([Bob], Ours((await alerting.ListAlertsAsync()).Content!.Select(a => a.Scope.Id)));
        Assert.Equal("open", (await alerting.GetBreakerAsync(Bob)).Content!.State);

        // An unbound reader (finance) sees everyone.
        var finance = system.Accounting.Client<IAccountingApi>(await ReaderKeyAsync());
        Assert.Equal(
            [Alice, Bob, Carol, Pat],
            Ours((await finance.GetSpendAsync("user", day, day)).Content!.Rows.Select(r => r.Group["user"]))
        );
        Assert.Equal(HttpStatusCode.OK, (await finance.GetReconciliationAsync(day, day)).StatusCode);
    }

    [Fact]
    public async Task Check_tells_a_gateway_and_the_person_why_they_are_stopped_and_anyone_else_only_that_they_are()
    {
        await CompanyAsync();
        var gateway = system.Alerting.Client<IAlertingApi>(await ReaderKeyAsync(scope: "ingest"));
        var bobs = system.Alerting.Client<IAlertingApi>(await ReaderKeyAsync(user: Bob, scope: "ingest"));
        var payments = system.Alerting.Client<IAlertingApi>(await ReaderKeyAsync(teams: [Payments], scope: "ingest"));
        var alices = system.Alerting.Client<IAlertingApi>(await ReaderKeyAsync(user: Alice, scope: "ingest"));

        foreach (var told in new[] { gateway, bobs, payments })
        {
            var answer = (await told.CheckAsync(Bob)).Content!;
            Assert.False(answer.Allow);
            Assert.Contains("hard budget exhausted", answer.Reason);
            Assert.Equal(("user", Bob), (answer.Breaker!.ScopeType, answer.Breaker.ScopeId));
        }
        var stranger = (await alices.CheckAsync(Bob)).Content!;
        Assert.Equal((false, null, null), (stranger.Allow, stranger.Reason, stranger.Breaker));
        Assert.True((await alices.CheckAsync(Alice)).Content!.Allow);
    }
}
