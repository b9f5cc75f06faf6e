using Tokenwise.Alerting.Rules;

namespace Tokenwise.Alerting.Tests.Rules;

public sealed class RunawayTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 15, 0, 30, TimeSpan.Zero);
    private static readonly RunawayRule Rule = new(); // 60/min for 5 min, $100, 3 h without a prompt, quiet 10 min

    private static SessionActivity Session(
        int[] perMinute,
        decimal cost = 1m,
        double startedHoursAgo = 0.5,
        double? promptHoursAgo = null,
        bool sendsPrompts = true,
        double lastMinutesAgo = 0
    ) =>
        new(
            "s-1",
            "alice",
            perMinute,
            cost,
            Now.AddHours(-startedHoursAgo),
            Now.AddMinutes(-lastMinutesAgo),
            promptHoursAgo is { } p ? Now.AddHours(-p) : null,
            sendsPrompts,
            "carol"
        );

    [Fact]
    public void Five_minutes_each_above_sixty_requests_fire_and_open_the_users_breaker()
    {
        var signal = Runaway.Evaluate(Session([0, 61, 61, 70, 61, 61]), Rule, Now);
        Assert.True(signal.Holds);
        Assert.Equal(("session", "s-1", 61m), (signal.Scope.Type, signal.Scope.Id, signal.Observed));
        Assert.Equal("alice", signal.OpensBreaker!.ScopeId);
    }

    [Fact]
    public void One_minute_at_sixty_breaks_the_run()
    {
        Assert.False(Runaway.Evaluate(Session([0, 61, 61, 60, 61, 61]), Rule, Now).Holds);
    }

    [Fact]
    public void Session_cost_above_the_limit_fires_and_at_it_does_not()
    {
        Assert.True(Runaway.Evaluate(Session([1, 1, 1, 1, 1, 1], cost: 100.01m), Rule, Now).Holds);
        Assert.False(Runaway.Evaluate(Session([1, 1, 1, 1, 1, 1], cost: 100m), Rule, Now).Holds);
    }

    [Fact]
    public void Three_hours_without_a_user_prompt_fires_only_where_the_tool_sends_prompts()
    {
        Assert.True(
            Runaway.Evaluate(Session([1, 1, 1, 1, 1, 1], startedHoursAgo: 5, promptHoursAgo: 3), Rule, Now).Holds
        );
        Assert.False(
            Runaway.Evaluate(Session([1, 1, 1, 1, 1, 1], startedHoursAgo: 5, promptHoursAgo: 2.99), Rule, Now).Holds
        );
        Assert.False(
            Runaway.Evaluate(Session([1, 1, 1, 1, 1, 1], startedHoursAgo: 5, sendsPrompts: false), Rule, Now).Holds
        );
    }

    [Fact]
    public void A_session_quiet_for_ten_minutes_clears()
    {
        var signal = Runaway.Evaluate(Session([61, 61, 61, 61, 61, 61], lastMinutesAgo: 10), Rule, Now);
        Assert.False(signal.Holds);
        Assert.Null(signal.OpensBreaker);
    }
}
