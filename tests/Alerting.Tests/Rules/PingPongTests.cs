using Tokenwise.Alerting.Rules;

namespace Tokenwise.Alerting.Tests.Rules;

public sealed class PingPongTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);
    private static readonly TokenBurnRule Rule = new(); // 40 requests, within 10 %

    private static List<LaneRequest> Alternating(
        int count,
        Func<int, long>? tokens = null,
        Func<int, string>? lane = null
    ) =>
        Enumerable
            .Range(0, count)
            .Select(i => new LaneRequest(
                Start.AddSeconds(i * 10),
                lane?.Invoke(i) ?? (i % 2 == 0 ? "agent-a" : "agent-b"),
                tokens?.Invoke(i) ?? 1_000
            ))
            .ToList();

    [Fact]
    public void Two_agents_alternating_forty_near_identical_requests_is_ping_pong()
    {
        Assert.True(PingPong.Detect(Alternating(40, i => 1_000 + i % 3 * 30), Rule));
    }

    [Fact]
    public void Thirty_nine_requests_are_not_yet_a_long_stretch()
    {
        Assert.False(PingPong.Detect(Alternating(39), Rule));
    }

    [Fact]
    public void Requests_that_differ_by_more_than_ten_percent_are_real_work()
    {
        Assert.False(PingPong.Detect(Alternating(40, i => i == 7 ? 1_101 : 1_000), Rule));
        Assert.True(PingPong.Detect(Alternating(40, i => i == 7 ? 1_100 : 1_000), Rule));
    }

    [Fact]
    public void One_agent_working_in_long_runs_is_not_taking_turns()
    {
        Assert.False(PingPong.Detect(Alternating(40, lane: i => i < 20 ? "agent-a" : "agent-b"), Rule));
    }

    [Fact]
    public void A_caught_user_is_a_warning_for_their_manager_naming_every_request_of_the_window()
    {
        var finding = PingPong.Finding("dana", "carol", 212, Rule, Start);

        Assert.Equal(
            ("token_burn", "user", "dana", "warning", "carol"),
            (finding.Kind, finding.Scope.Type, finding.Scope.Id, finding.Severity, finding.Manager)
        );
        Assert.Equal((212m, 40m), (finding.Observed, finding.Threshold));
        Assert.Null(finding.OpensBreaker);
        Assert.Contains("212 requests in 30 minutes", finding.Detail);
    }
}
