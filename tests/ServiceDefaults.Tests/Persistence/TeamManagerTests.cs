using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.ServiceDefaults.Tests.Persistence;

/// <summary>Who a finding about a team is addressed to.</summary>
public sealed class TeamManagerTests
{
    [Fact]
    public void A_team_is_addressed_to_the_manager_most_of_its_people_report_to() =>
        Assert.Equal("pat", PeopleTable.TeamManager(["pat", "carol", "pat", null]));

    [Fact]
    public void A_tie_goes_to_the_first_manager_by_name() =>
        Assert.Equal("carol", PeopleTable.TeamManager(["pat", "carol"]));

    [Fact]
    public void A_team_where_nobody_has_a_manager_is_addressed_to_no_one() =>
        Assert.Null(PeopleTable.TeamManager([null, null]));
}
