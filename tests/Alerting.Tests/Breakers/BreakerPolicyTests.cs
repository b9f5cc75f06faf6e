using Tokenwise.Alerting.Breakers;
using Tokenwise.Contracts;

namespace Tokenwise.Alerting.Tests.Breakers;

public sealed class BreakerPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Midnight = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    private static BreakerChanged Opened() => BreakerPolicy.Open(null, "user", "alice", Midnight, "runaway", Now)!;

    [Fact]
    public void An_opened_breaker_blocks_until_its_period_ends()
    {
        var open = Opened();
        Assert.Equal((BreakerStates.Open, 1L), (open.State, open.Version));
        Assert.True(BreakerPolicy.Blocks(open, Midnight.AddTicks(-1)));
        Assert.False(BreakerPolicy.Blocks(open, Midnight));
    }

    [Fact]
    public void Opening_an_open_breaker_again_changes_nothing_unless_it_reaches_further()
    {
        var open = Opened();
        Assert.Null(BreakerPolicy.Open(open, "user", "alice", Midnight, "again", Now.AddMinutes(1)));
        var longer = BreakerPolicy.Open(open, "user", "alice", Midnight.AddDays(10), "hard budget", Now.AddMinutes(1))!;
        Assert.Equal((Now, Midnight.AddDays(10), 2L), (longer.Since, longer.Until!.Value, longer.Version));
    }

    [Fact]
    public void Expiring_closes_it_at_the_end_of_the_period_and_not_before()
    {
        Assert.Null(BreakerPolicy.Expire(Opened(), Midnight.AddTicks(-1)));
        var closed = BreakerPolicy.Expire(Opened(), Midnight)!;
        Assert.Equal((BreakerStates.Closed, 2L), (closed.State, closed.Version));
    }

    [Fact]
    public void A_managers_override_closes_it_and_keeps_it_closed_until_the_override_ends()
    {
        var overridden = BreakerPolicy.Override(
            Opened(),
            "user",
            "alice",
            new BreakerOverride("carol", Now.AddHours(2), "release day"),
            Now
        );
        Assert.False(BreakerPolicy.Blocks(overridden, Now.AddMinutes(1)));
        Assert.Null(BreakerPolicy.Open(overridden, "user", "alice", Midnight, "runaway", Now.AddHours(1)));
        Assert.NotNull(BreakerPolicy.Open(overridden, "user", "alice", Midnight, "runaway", Now.AddHours(2)));
    }
}
