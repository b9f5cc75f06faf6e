using Tokenwise.Outcomes.Attribution;
using Tokenwise.Outcomes.Efficiency;
using Tokenwise.Outcomes.Prs.SearchingPrs;
using Tokenwise.Outcomes.Quality;

namespace Tokenwise.Outcomes.Tests.Prs;

public sealed class PrSearchTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static MergedPrCost Pr(
        string repo,
        int number,
        string author,
        bool ai,
        decimal cost,
        bool failed,
        int hour,
        int? lines = null
    ) =>
        new(new MergedChange(new PrKey(repo, number), "payments", ai, new HashSet<string>()), author, cost, failed)
        {
            MergedAt = Monday.AddHours(hour),
            LinesChanged = lines,
            Title = $"Change {number}",
        };

    private static readonly MergedPrCost[] Merged =
    [
        Pr("acme/api", 1, "ann", true, 3.20m, true, 1, 40),
        Pr("acme/api", 2, "ann", false, 0.10m, false, 5, 6),
        Pr("acme/web", 3, "ben", true, 1.00m, false, 3),
        Pr("acme/web", 4, "ben", true, 0.99m, false, 2, 900),
    ];

    [Fact]
    public void With_no_filter_every_merged_PR_is_found_newest_merge_first()
    {
        var (total, prs) = PrSearch.Find(Merged, new PrQuery());
        Assert.Equal(4, total);
        Assert.Equal([2, 3, 4, 1], prs.Select(p => p.Number));
    }

    [Fact]
    public void Filters_combine_and_a_repo_matches_whatever_its_case()
    {
        var (total, prs) = PrSearch.Find(Merged, new PrQuery(Repo: "ACME/web", AiAssisted: true, MinCostUsd: 1.00m));
        Assert.Equal(1, total);
        Assert.Equal(3, Assert.Single(prs).Number);
        Assert.Equal([1], PrSearch.Find(Merged, new PrQuery(Failed: true)).Prs.Select(p => p.Number));
        Assert.Equal([2, 1], PrSearch.Find(Merged, new PrQuery(Author: "ann")).Prs.Select(p => p.Number));
    }

    [Fact]
    public void The_limit_cuts_the_list_but_the_total_counts_every_match()
    {
        var (total, prs) = PrSearch.Find(Merged, new PrQuery(Limit: 2));
        Assert.Equal((4, 2), (total, prs.Count));
    }

    [Fact]
    public void A_summary_carries_the_cost_the_size_and_whether_it_failed()
    {
        var pr = PrSearch.Find(Merged, new PrQuery(Failed: true)).Prs.Single();
        Assert.Equal(
            ("acme/api", 3.20m, 40, true, "Change 1"),
            (pr.Repo, pr.CostUsd, pr.LinesChanged, pr.Failed, pr.Title)
        );
    }

    [Fact]
    public void The_value_board_shows_the_median_size_of_a_groups_good_PRs_beside_their_count()
    {
        var facts = new EfficiencyFacts(Merged, [], [], []);
        var row = Assert.Single(EfficiencyReports.Valueboard(facts, "team"));
        // Good PRs: 2 (6 lines), 3 (size unknown), 4 (900 lines): the median of the known sizes.
        Assert.Equal((3, 453), (row.MergedPrsWithoutFailure, row.MedianLinesChanged));
        Assert.Null(
            EfficiencyReports
                .Valueboard(new EfficiencyFacts([Merged[2]], [], [], []), "team")
                .Single()
                .MedianLinesChanged
        );
    }

    [Fact]
    public void A_PRs_size_is_lines_added_and_deleted_and_unknown_when_neither_was_said()
    {
        Assert.Equal(12, Tokenwise.Outcomes.Storage.OutcomeStore.LinesChanged(10, 2));
        Assert.Equal(10, Tokenwise.Outcomes.Storage.OutcomeStore.LinesChanged(10, null));
        Assert.Null(Tokenwise.Outcomes.Storage.OutcomeStore.LinesChanged(null, null));
        Assert.Equal(int.MaxValue, Tokenwise.Outcomes.Storage.OutcomeStore.LinesChanged(int.MaxValue, 5));
    }
}
