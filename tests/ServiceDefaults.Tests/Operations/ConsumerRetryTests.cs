using Tokenwise.ServiceDefaults.Messaging;

namespace Tokenwise.ServiceDefaults.Tests.Operations;

public sealed class ConsumerRetryTests
{
    [Fact]
    public void By_default_a_consumer_retries_for_longer_than_a_ten_minute_outage_at_most_thirty_seconds_apart()
    {
        var schedule = ConsumerRetry.Schedule(TokenwiseSettings.DefaultRetryFor);

        Assert.True(schedule.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait) >= TimeSpan.FromMinutes(10));
        Assert.All(schedule, wait => Assert.InRange(wait, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30)));
        Assert.Equal(schedule.Order(), schedule);
    }

    [Fact]
    public void A_short_setting_gives_a_short_schedule()
    {
        var schedule = ConsumerRetry.Schedule(TimeSpan.FromSeconds(3));
        Assert.Equal(
            [
                TimeSpan.FromMilliseconds(100),
                TimeSpan.FromMilliseconds(500),
                TimeSpan.FromSeconds(1),
                TimeSpan.FromSeconds(2),
            ],
            schedule
        );
    }
}
