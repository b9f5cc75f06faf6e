using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using Tokenwise.Client;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Browser;

/// <summary>The console in Debian's Chromium, signed in through a real OpenID Connect provider, over a simulated company.</summary>
[Trait("Category", "Browser")]
public sealed class ConsoleTests(ConsoleSystem system) : IClassFixture<ConsoleSystem>
{
    private static readonly string Today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static readonly string MonthStart = DateTime.UtcNow.ToString("yyyy-MM-01", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_viewer_sees_the_overview_with_the_figures_the_services_report_for_the_whole_company()
    {
        var page = await system.SignInAsync(ConsoleSystem.Finance);
        var key = await system.ReadKeyForAsync(user: null);
        await AssertOverviewMatchesAsync(page, key);
        await Screenshots.SaveAsync(page, "overview-viewer-1280", forReadme: true);
    }

    [Fact]
    public async Task A_manager_sees_the_overview_of_the_people_they_manage_and_no_one_else()
    {
        var page = await system.SignInAsync(ConsoleSystem.Manager(1));
        var key = await system.ReadKeyForAsync(ConsoleSystem.Manager(1));
        var shown = await AssertOverviewMatchesAsync(page, key);
        var everyone = (
            await system.Services.Accounting.Client<IAccountingApi>().GetSpendAsync("team", MonthStart, Today)
        ).Content!;
        Assert.True(shown < Math.Round(everyone.Totals.CostUsd, 2), $"a manager's {shown} is the whole company's");
        await Screenshots.SaveAsync(page, "overview-manager-1280");
    }

    [Fact]
    public async Task A_manager_acknowledges_an_alert_and_overrides_a_breaker_from_the_review_queue_as_themselves()
    {
        var manager = ConsoleSystem.Manager(1);
        var alert = await TokenBurnAlertManagedByAsync(manager);
        var person = alert.Scope.Id;
        var page = await system.SignInAsync(manager, width: 390);
        await page.GotoAsync("/review");
        var item = page.Locator($"#alert-{alert.Id}");
        await item.GetByLabel("Note (optional)").FillAsync("talking to them today");
        await item.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("acknowledged");

        var alerting = system.AsAdmin<IAlertingApi>(system.Services.Alerting);
        var acknowledged = await Eventually.Until(
            async () => (await alerting.GetAlertAsync(alert.Id)).Content!.Alert,
            a => a.Status == "acknowledged",
            "the alert to be acknowledged"
        );
        Assert.Equal(manager, acknowledged.AcknowledgedBy);

        item = page.Locator($"#alert-{alert.Id}");
        await item.GetByLabel("Why", new() { Exact = true }).FillAsync("release week: let them finish");
        await item.GetByRole(AriaRole.Button, new() { Name = "Override breaker" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("overridden");
        var breaker = await Eventually.Until(
            async () => (await alerting.GetBreakerAsync(person)).Content!,
            b => b.Override is not null,
            "the breaker override to be recorded"
        );
        Assert.Equal(manager, breaker.Override!.By);
        Assert.Equal("release week: let them finish", breaker.Override.Reason);
        await page.GotoAsync("/breakers");
        await Assertions
            .Expect(page.Locator($"[id='breaker-user-{person}']"))
            .ToContainTextAsync($"Overridden by {manager}");
        await Screenshots.SaveAsync(page, "review-manager-390", forReadme: true);
    }

    [Fact]
    public async Task An_admin_sets_a_budget_and_sees_its_forecast_as_Accounting_computes_it()
    {
        var page = await system.SignInAsync(ConsoleSystem.Admin);
        await page.GotoAsync("/budgets");
        var form = page.Locator("#set-budget");
        await form.GetByLabel("For").SelectOptionAsync("team");
        await form.GetByLabel("Name").FillAsync("team-2");
        await form.GetByLabel("Amount (USD)").FillAsync("75.50");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save budget" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("team team-2");

        // The forecast moves with the clock: the page's lies between Accounting's just before and just after it.
        var accounting = system.AsAdmin<IAccountingApi>(system.Services.Accounting);
        var before = (await accounting.GetBudgetAsync("team", "team-2")).Content!;
        await page.ReloadAsync();
        var after = (await accounting.GetBudgetAsync("team", "team-2")).Content!;
        Assert.Equal(75.50m, after.AmountUsd);
        decimal Projected(BudgetView b) => Math.Round(b.Forecast!.ProjectedUsd, 2, MidpointRounding.AwayFromZero);
        var shown = Money(await page.Locator("[id='team-team-2'] .forecast").InnerTextAsync());
        Assert.InRange(
            shown,
            Math.Min(Projected(before), Projected(after)),
            Math.Max(Projected(before), Projected(after))
        );
        await Screenshots.SaveAsync(page, "budgets-admin-1280");
    }

    [Fact]
    public async Task A_viewer_cannot_open_a_person_page_nor_the_review_queue()
    {
        var page = await system.SignInAsync(ConsoleSystem.Finance, width: 390);
        var person = await page.GotoAsync("/people/" + Uri.EscapeDataString(system.Company.People[0].User));
        Assert.Equal((int)HttpStatusCode.Forbidden, person!.Status);
        var review = await page.GotoAsync("/review");
        Assert.Equal((int)HttpStatusCode.Forbidden, review!.Status);
        await page.GotoAsync("/teams/team-1");
        Assert.Equal(0, await page.Locator("#team-people a").CountAsync());
        await Screenshots.SaveAsync(page, "team-viewer-390");
    }

    [Fact]
    public async Task A_manager_cannot_see_people_they_do_not_manage_nor_act_on_their_alerts()
    {
        var alert = await TokenBurnAlertManagedByAsync(ConsoleSystem.Manager(1));
        var other = ConsoleSystem.Manager(2);
        var page = await system.SignInAsync(other);
        var person = await page.GotoAsync("/people/" + Uri.EscapeDataString(alert.Scope.Id));
        Assert.Equal((int)HttpStatusCode.NotFound, person!.Status);
        var shown = await page.GotoAsync("/alerts/" + alert.Id);
        Assert.Equal((int)HttpStatusCode.NotFound, shown!.Status);
        await page.GotoAsync("/review");
        Assert.Equal(0, await page.Locator($"#alert-{alert.Id}").CountAsync());

        // Nor by posting the form by hand: the console asks with their key first, and Alerting answers 403.
        var token = await page.EvaluateAsync<string>(
            "() => fetch('/budgets').then(r => r.text()).then(t => (t.match(/name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"/) || [])[1] || '')"
        );
        var posted = await page.APIRequest.PostAsync(
            $"/alerts/{alert.Id}?handler=Resolve",
            new()
            {
                Form = page
                    .APIRequest.CreateFormData()
                    .Append("reason", "not mine")
                    .Append("__RequestVerificationToken", token),
            }
        );
        Assert.Equal((int)HttpStatusCode.NotFound, posted.Status);
        var still = (await system.AsAdmin<IAlertingApi>(system.Services.Alerting).GetAlertAsync(alert.Id))
            .Content!
            .Alert;
        Assert.NotEqual("resolved", still.Status);
    }

    [Fact]
    public async Task PRs_are_searched_as_Outcomes_finds_them_and_each_opens_with_its_cost()
    {
        var page = await system.SignInAsync(ConsoleSystem.Finance);
        await page.GotoAsync("/prs");
        var form = page.Locator("#pr-search");
        await form.GetByLabel("AI-assisted").SelectOptionAsync("true");
        await form.GetByLabel("Incident or revert").SelectOptionAsync("true");
        await form.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("failed=true", StringComparison.Ordinal));

        var outcomes = system.AsAdmin<IOutcomesApi>(system.Services.Outcomes);
        var today = DateTime.UtcNow;
        var expected = (
            await outcomes.SearchPrsAsync(
                today.AddDays(-29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Today,
                aiAssisted: true,
                failed: true
            )
        ).Content!;
        Assert.True(expected.Total > 0, "the simulated company has AI-assisted PRs that failed");
        await Assertions.Expect(page.Locator("#pr-count")).ToContainTextAsync($"{expected.Total} merged PRs");
        Assert.Equal(expected.Prs.Count, await page.Locator("#prs tbody tr").CountAsync());

        var first = expected.Prs[0];
        await page.GetByRole(AriaRole.Link, new() { Name = $"{first.Repo}#{first.Number}", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync($"{first.Repo}#{first.Number}");
        Assert.Equal(
            Math.Round(first.CostUsd, 2, MidpointRounding.AwayFromZero),
            Money((await page.Locator("#pr-facts dd").First.InnerTextAsync()).Split('\n')[0])
        );
        await Screenshots.SaveAsync(page, "pr-viewer-1280");
    }

    [Fact]
    public async Task A_session_opens_on_every_console_instance_outlives_a_restart_and_ends_everywhere_with_its_key()
    {
        var manager = ConsoleSystem.Manager(3);
        var ingestion = system.AsAdmin<IIngestionApi>(system.Services.Ingestion);
        async Task<IReadOnlyList<KeySummary>> ConsoleKeysOfAsync() =>
            (await ingestion.ListKeysAsync()).Content!.Where(k => k.Source == "console" && k.User == manager).ToList();
        var keysBefore = (await ConsoleKeysOfAsync()).Select(k => k.Id).ToHashSet();

        var page = await system.SignInAsync(manager);
        var sessionKey = Assert.Single(await ConsoleKeysOfAsync(), k => !keysBefore.Contains(k.Id));
        await using var second = await system.StartConsoleAsync();
        var onSecond = await page.GotoAsync(new Uri(second.BaseAddress, "/review").ToString());
        Assert.Equal((int)HttpStatusCode.OK, onSecond!.Status);
        await Assertions.Expect(page.Locator("form.who")).ToContainTextAsync(manager);

        await second.KillAsync();
        await second.RestartAsync();
        await page.GotoAsync(new Uri(second.BaseAddress, "/").ToString());
        await Assertions.Expect(page.Locator("form.who")).ToContainTextAsync(manager);

        // Signing out on the second instance ends the session on the first, and revokes the key it read with.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        var onFirst = await page.GotoAsync(new Uri(system.Console.BaseAddress, "/review").ToString());
        Assert.Contains("/signin?returnUrl=", onFirst!.Url, StringComparison.Ordinal);
        Assert.NotNull((await ConsoleKeysOfAsync()).Single(k => k.Id == sessionKey.Id).RevokedAt);
        await Screenshots.SaveAsync(page, "signed-out-everywhere-1280");
    }

    [Fact]
    public async Task Someone_the_identity_provider_knows_without_a_Tokenwise_role_is_not_signed_in()
    {
        var context = await system.Browser.NewContextAsync(new() { BaseURL = system.Console.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with your company account" }).ClickAsync();
        await page.GetByLabel("Email").FillAsync(ConsoleSystem.NoRole);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("holds no Tokenwise role");
        var overview = await page.GotoAsync("/");
        Assert.EndsWith("/signin?returnUrl=%2F", overview!.Url);
    }

    [Fact]
    public async Task Every_page_passes_axe_and_fits_at_desktop_and_phone_width()
    {
        var alert = await TokenBurnAlertManagedByAsync(ConsoleSystem.Manager(1));
        string[] pages =
        [
            "/",
            "/teams",
            "/teams/team-1",
            "/people/" + Uri.EscapeDataString(alert.Scope.Id),
            "/review",
            "/value",
            "/budgets",
            "/alerts",
            "/alerts/" + alert.Id,
            "/prices",
            "/breakers",
            "/pipeline",
            "/prs",
            "/prs?ai=true&failed=true",
        ];
        var problems = new List<string>();
        foreach (var width in new[] { 1280, 390 })
        {
            var page = await system.SignInAsync(ConsoleSystem.Admin, width);
            foreach (var path in pages)
            {
                var answer = await page.GotoAsync(path);
                Assert.True(answer!.Ok, $"{path} answered {answer.Status}");
                problems.AddRange(await Screenshots.AccessibilityProblemsAsync(page));
                var overflow = await page.EvaluateAsync<int>(
                    "() => document.documentElement.scrollWidth - window.innerWidth"
                );
                if (overflow > 0)
                    problems.Add($"{path} at {width} px is {overflow} px wider than the window");
                var name =
                    path == "/"
                        ? "overview"
                        : path.Trim('/')
                            .Replace('/', '-')
                            .Replace('%', '_')
                            .Replace('?', '_')
                            .Replace('&', '_')
                            .Replace('=', '-');
                await Screenshots.SaveAsync(page, $"{name}-admin-{width}");
            }
            await page.Context.CloseAsync();
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The overview's spend cards against Accounting read with the same reach; returns this month's figure.</summary>
    private async Task<decimal> AssertOverviewMatchesAsync(IPage page, string key)
    {
        var accounting = system.Services.Accounting.Client<IAccountingApi>(key, RetryPolicy.Default);
        // The month-end forecast moves with the clock (fewer days left at the same rate): the page's figure lies
        // between Accounting's answers just before and just after the page was drawn.
        decimal Projected(SpendForecastReport report) =>
            Math.Round(report.Groups.Sum(g => g.ProjectedUsd), 2, MidpointRounding.AwayFromZero);
        var before = Projected((await accounting.GetSpendForecastAsync("team", "month")).Content!);
        await page.GotoAsync("/");
        var after = Projected((await accounting.GetSpendForecastAsync("team", "month")).Content!);
        var thisMonth = (await accounting.GetSpendAsync("team", MonthStart, Today)).Content!;
        var shown = Money(await page.Locator("#spend-this-month dd a").InnerTextAsync());
        Assert.Equal(Math.Round(thisMonth.Totals.CostUsd, 2, MidpointRounding.AwayFromZero), shown);
        var forecast = Money(await page.Locator("#spend-forecast dd a").InnerTextAsync());
        Assert.InRange(forecast, Math.Min(before, after), Math.Max(before, after));
        var efficiency = (
            await system
                .Services.Outcomes.Client<IOutcomesApi>(key, RetryPolicy.Default)
                .GetEfficiencyAsync("team", MonthStart, Today)
        ).Content!;
        var thisMonthRows = page.Locator("#efficiency tbody tr").Filter(new() { HasText = MonthStart[..7] });
        Assert.Equal(efficiency.Rows.Count, await thisMonthRows.CountAsync());
        foreach (var row in efficiency.Rows)
        {
            var cells = thisMonthRows.Filter(
                new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = row.Group, Exact = true }) }
            );
            Assert.Equal(
                row.MergedPrs.ToString(CultureInfo.InvariantCulture),
                await cells.Locator("td").Nth(1).InnerTextAsync()
            );
        }
        // People using AI per week: the page reads them from the team report's organisation rows.
        var weeks8 = IsoWeeks.EightWeeksTo(DateOnly.ParseExact(Today, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        var org = (
            await accounting.GetAdoptionAsync(
                "org",
                "week",
                weeks8.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Today
            )
        ).Content!;
        Assert.NotEmpty(org.Rows);
        Assert.Equal(
            org.Rows.Select(r => r.ActiveUsers.ToString("#,##0", CultureInfo.InvariantCulture)),
            await page.Locator("#active-users-table tbody td").AllInnerTextsAsync()
        );
        var tools = org
            .Rows.SelectMany(r => r.Tools)
            .GroupBy(t => t.Key)
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => (Tool: t.Key, Most: t.Max(x => x.Value)));
        Assert.Equal(
            tools.Select(t => $"{t.Tool}: up to {t.Most:#,##0} {(t.Most == 1 ? "person" : "people")} a week"),
            await page.Locator("#tools li").AllInnerTextsAsync()
        );
        return shown;
    }

    private async Task<AlertView> TokenBurnAlertManagedByAsync(string manager)
    {
        var alerts = (
            await system.AsAdmin<IAlertingApi>(system.Services.Alerting).ListAlertsAsync(kind: "token_burn")
        ).Content!;
        return alerts.First(a => a.Scope.Type == "user" && a.Manager == manager);
    }

    private static decimal Money(string text) =>
        decimal.Parse(
            text.Trim().Replace("$", "").Replace(",", ""),
            NumberStyles.Number | NumberStyles.AllowLeadingSign,
            CultureInfo.InvariantCulture
        );
}
