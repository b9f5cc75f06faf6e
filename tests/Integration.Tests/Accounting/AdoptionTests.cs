using System.Net;
using System.Net.Http.Headers;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Accounting;

/// <summary>GET /v1/adoption on real servers: a team of three, two of whom use AI, one for the first time this week.</summary>
public sealed class AdoptionTests(AccountingSystem system) : IClassFixture<AccountingSystem>
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];
    private string Team => $"payments-{_run}";
    private string Ana => $"ana-{_run}";
    private string Ben => $"ben-{_run}";
    private string Cai => $"cai-{_run}";

    private static UsageEvent Usage(string user, DateTimeOffset at, string tool) =>
        new()
        {
            Id = Guid.NewGuid().ToString("N"),
            OccurredAt = at,
            User = user,
            Model = "gpt-4.1",
            InputTokens = 1_000,
            Tool = tool,
        };

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd");

    /// <summary>The Monday that starts the ISO week of a day, as PostgreSQL's date_trunc('week') names it.</summary>
    private static string WeekOf(DateTimeOffset at) =>
        IsoWeeks.MondayOf(DateOnly.FromDateTime(at.UtcDateTime)).ToString("yyyy-MM-dd");

    /// <summary>Ana used AI nine days ago and today, Ben for the first time today, Cai never.</summary>
    private async Task<(DateTimeOffset Now, DateTimeOffset Earlier)> TeamAsync()
    {
        foreach (var person in new[] { Ana, Ben, Cai })
            Assert.Equal(
                HttpStatusCode.OK,
                (
                    await system.Ingest.SetDirectoryUserAsync(
                        person,
                        new DirectoryUserRequest(person, null, Team, null, null)
                    )
                ).StatusCode
            );
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        var earlier = now.AddDays(-9);
        await system.PostAsync(
            Usage(Ana, earlier, "claude_code"),
            Usage(Ana, now, "claude_code"),
            Usage(Ben, now, "codex"),
            Usage(Ben, now, "codex")
        );
        return (now, earlier);
    }

    private Task<AdoptionReport> AdoptionAsync(
        IAccountingApi api,
        DateTimeOffset from,
        DateTimeOffset to,
        int members,
        int active,
        int periods
    ) =>
        Eventually.Until(
            async () => (await api.GetAdoptionAsync("team", "week", Day(from), Day(to))).Content!,
            report =>
                report.Groups.SingleOrDefault(g => g.Group == Team) is { } team
                && team.Members == members
                && team.ActiveUsers == active
                && report.Rows.Count(r => r.Group == Team) == periods,
            "the team's usage and directory to reach Accounting"
        );

    [Fact]
    public async Task A_team_shows_who_used_AI_each_week_with_which_tools_who_began_and_who_never_did()
    {
        var (now, earlier) = await TeamAsync();

        var report = await AdoptionAsync(system.Api, earlier, now, members: 3, active: 2, periods: 2);

        var rows = report.Rows.Where(r => r.Group == Team).ToList();
        Assert.Equal([WeekOf(earlier), WeekOf(now)], rows.Select(r => r.Period));
        Assert.Equal(
            (1, 3, 33.3m, 1),
            (rows[0].ActiveUsers, rows[0].Members, rows[0].SharePercent, rows[0].NewAdopters)
        );
        Assert.Equal(
            (2, 3, 66.7m, 1),
            (rows[1].ActiveUsers, rows[1].Members, rows[1].SharePercent, rows[1].NewAdopters)
        );
        Assert.Equal(new Dictionary<string, int> { ["claude_code"] = 1, ["codex"] = 1 }, rows[1].Tools);
        var team = report.Groups.Single(g => g.Group == Team);
        Assert.Equal([(Ana, WeekOf(earlier)), (Ben, WeekOf(now))], team.FirstUses.Select(f => (f.User, f.Period)));
        Assert.Equal([Cai], team.NeverUsed);
        Assert.Equal(66.7m, team.SharePercent);
    }

    [Fact]
    public async Task Spend_narrowed_to_a_person_or_a_team_holds_only_their_rows_and_a_bad_name_is_refused()
    {
        var (now, earlier) = await TeamAsync();
        await AdoptionAsync(system.Api, earlier, now, members: 3, active: 2, periods: 2);

        var ana = (await system.Api.GetSpendAsync("user,tool", Day(earlier), Day(now), "day", user: Ana)).Content!;
        Assert.Equal([Ana], ana.Rows.Select(r => r.Group["user"]).Distinct());
        Assert.Equal(2, ana.Totals.Requests);
        var team = (await system.Api.GetSpendAsync("user", Day(earlier), Day(now), team: Team)).Content!;
        Assert.Equal([Ana, Ben], team.Rows.Select(r => r.Group["user"]).Order(StringComparer.Ordinal));
        Assert.Equal(4, team.Totals.Requests);

        var bad = await system.Api.GetSpendAsync("user", user: "a\u0001b");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"user\"", (bad.Error as Refit.ApiException)!.Content);
    }

    [Fact]
    public async Task A_personal_key_sees_only_its_person_in_the_team_and_the_organisation_as_the_org_report_does()
    {
        var (now, earlier) = await TeamAsync();
        var issued = await system.Ingest.IssueKeyAsync(new KeyRequest($"adoption-{_run}", ["read"]) { User = Ben });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var api = system.Accounting.Client<IAccountingApi>(issued.Content!.Key);
        await Eventually.Until(
            async () => (await api.GetAdoptionAsync()).StatusCode,
            status => status == HttpStatusCode.OK,
            "Accounting to learn of the key"
        );

        var report = await AdoptionAsync(api, earlier, now, members: 1, active: 1, periods: 1);

        var team = report.Groups.Single(g => g.Group == Team);
        Assert.Equal((1, 1, 100m), (team.Members, team.ActiveUsers, team.SharePercent));
        Assert.Empty(team.NeverUsed);
        Assert.DoesNotContain(report.Groups.SelectMany(g => g.FirstUses), f => f.User == Ana);
        Assert.All(report.Rows.Where(r => r.Group == Team), r => Assert.Equal(1, r.Members));
        var org = (await api.GetAdoptionAsync("org", "week", Day(earlier), Day(now))).Content!;
        Assert.Equal(Figures(org.Rows), Figures(report.Organisation));
        Assert.Equal([(WeekOf(now), 1, 1)], report.Organisation.Select(r => (r.Period, r.ActiveUsers, r.Members)));
    }

    private static IEnumerable<string> Figures(IEnumerable<AdoptionRow> rows) =>
        rows.Select(r =>
            $"{r.Group} {r.Period} {r.ActiveUsers}/{r.Members} {r.SharePercent}% new {r.NewAdopters} "
            + string.Join(",", r.Tools.Select(t => $"{t.Key}={t.Value}"))
        );

    [Theory]
    [InlineData("groupBy=user", "groupBy")]
    [InlineData("interval=hour", "interval")]
    [InlineData("from=2026-13-01", "from")]
    public async Task A_bad_adoption_query_names_the_parameter(string query, string field)
    {
        using var http = system.Accounting.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer",
            IsolatedEnvironment.BootstrapKey
        );
        var response = await http.GetAsync("/v1/adoption?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
    }
}
