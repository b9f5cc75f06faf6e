using Tokenwise.Accounting.Adoption;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.Tests.Adoption;

public sealed class AdoptionFiguresTests
{
    private static readonly DirectoryPerson[] Directory =
    [
        new("ana", "payments", "mia"),
        new("ben", "payments", "mia"),
        new("cai", "payments", "mia"),
        new("dee", "search", "sam"),
    ];

    private static PeriodUse Use(string user, string period, params string[] tools) =>
        new(user, "", period, tools.ToHashSet());

    [Fact]
    public void A_team_counts_its_active_members_per_period_and_their_share_of_the_team()
    {
        var uses = new[]
        {
            Use("ana", "2026-11-23", "claude_code"),
            Use("ben", "2026-11-23", "codex"),
            Use("ana", "2026-11-30", "claude_code"),
        };
        var first = new Dictionary<string, string> { ["ana"] = "2026-11-23", ["ben"] = "2026-11-23" };

        var (rows, _) = AdoptionFigures.Compute(AdoptionFigures.ByTeam, uses, first, Directory);

        Assert.Equal(2, rows.Count);
        Assert.Equal(
            ("payments", "2026-11-23", 2, 3, 66.7m),
            (rows[0].Group, rows[0].Period, rows[0].ActiveUsers, rows[0].Members, rows[0].SharePercent)
        );
        Assert.Equal(
            ("payments", "2026-11-30", 1, 3, 33.3m),
            (rows[1].Group, rows[1].Period, rows[1].ActiveUsers, rows[1].Members, rows[1].SharePercent)
        );
    }

    [Fact]
    public void Tools_count_people_not_requests_and_a_use_without_a_tool_is_other()
    {
        var uses = new[] { Use("ana", "2026-11-23", "claude_code", ""), Use("ben", "2026-11-23", "claude_code") };
        var first = new Dictionary<string, string> { ["ana"] = "2026-11-01", ["ben"] = "2026-11-01" };

        var (rows, _) = AdoptionFigures.Compute(AdoptionFigures.ByTeam, uses, first, Directory);

        Assert.Equal(new Dictionary<string, int> { ["claude_code"] = 2, ["other"] = 1 }, rows.Single().Tools);
    }

    [Fact]
    public void A_new_adopter_is_counted_in_the_period_of_their_first_use_ever_and_not_after()
    {
        var uses = new[]
        {
            Use("ana", "2026-11-23", "codex"),
            Use("ben", "2026-11-23", "codex"),
            Use("ben", "2026-11-30", "codex"),
        };
        var first = new Dictionary<string, string> { ["ana"] = "2026-10-05", ["ben"] = "2026-11-23" };

        var (rows, groups) = AdoptionFigures.Compute(AdoptionFigures.ByTeam, uses, first, Directory);

        Assert.Equal([1, 0], rows.Select(r => r.NewAdopters));
        var payments = groups.Single(g => g.Group == "payments");
        Assert.Equal(["ben"], payments.FirstUses.Select(f => f.User));
        Assert.Equal("2026-11-23", payments.FirstUses.Single().Period);
    }

    [Fact]
    public void Members_who_never_used_AI_are_listed_to_invite_and_someone_idle_in_the_range_is_not()
    {
        var uses = new[] { Use("ana", "2026-11-23", "codex") };
        var first = new Dictionary<string, string> { ["ana"] = "2026-11-23", ["ben"] = "2026-09-07" };

        var (_, groups) = AdoptionFigures.Compute(AdoptionFigures.ByTeam, uses, first, Directory);

        Assert.Equal(["cai"], groups.Single(g => g.Group == "payments").NeverUsed);
        Assert.Equal(["dee"], groups.Single(g => g.Group == "search").NeverUsed);
        Assert.Equal(
            (3, 1, 33.3m),
            groups.Single(g => g.Group == "payments") is var p ? (p.Members, p.ActiveUsers, p.SharePercent) : default
        );
    }

    [Fact]
    public void The_directory_decides_the_team_and_usage_from_someone_it_does_not_know_counts_under_the_team_it_names()
    {
        var uses = new[]
        {
            new PeriodUse("ana", "search", "2026-11-23", new HashSet<string> { "codex" }),
            new PeriodUse("zed", "search", "2026-11-23", new HashSet<string> { "codex" }),
        };
        var first = new Dictionary<string, string> { ["ana"] = "2026-11-23", ["zed"] = "2026-11-23" };

        var (rows, groups) = AdoptionFigures.Compute(AdoptionFigures.ByTeam, uses, first, Directory);

        Assert.Equal([("payments", 1), ("search", 1)], rows.Select(r => (r.Group, r.ActiveUsers)));
        Assert.Equal(2, groups.Single(g => g.Group == "search").Members);
    }

    [Fact]
    public void By_org_everyone_is_one_group()
    {
        var uses = new[] { Use("ana", "2026-11-23", "codex"), Use("dee", "2026-11-23", "gemini_cli") };
        var first = new Dictionary<string, string> { ["ana"] = "2026-11-23", ["dee"] = "2026-11-23" };

        var (rows, groups) = AdoptionFigures.Compute(AdoptionFigures.ByOrg, uses, first, Directory);

        Assert.Equal(
            ("org", 2, 4, 50m, 2),
            (
                rows.Single().Group,
                rows.Single().ActiveUsers,
                rows.Single().Members,
                rows.Single().SharePercent,
                rows.Single().NewAdopters
            )
        );
        Assert.Equal(["ben", "cai"], groups.Single().NeverUsed);
    }

    [Fact]
    public void A_group_of_nobody_has_a_share_of_zero() => Assert.Equal(0m, AdoptionFigures.Share(0, 0));
}
