using Npgsql;
using Tokenwise.ServiceDefaults.Operations;

namespace Tokenwise.ServiceDefaults.Tests.Operations;

public sealed class ItemIsolationTests
{
    /// <summary>A consumer's step: refuses any part holding a poisoned item, as PostgreSQL refuses a whole statement.</summary>
    private sealed class Consumer(IReadOnlySet<int> poisoned)
    {
        public List<int> Committed { get; } = [];
        public int Attempts { get; private set; }

        public Task ProcessAsync(IReadOnlyList<int> part)
        {
            Attempts++;
            if (part.Any(poisoned.Contains))
                throw new InvalidOperationException($"item {part.First(poisoned.Contains)} cannot be stored");
            Committed.AddRange(part);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Poisoned_items_are_set_aside_alone_and_every_other_item_is_processed_once()
    {
        var consumer = new Consumer(new HashSet<int> { 37, 81, 82 });
        var setAside = new List<QuarantineRequest>();
        var isolation = new ItemIsolation(
            (request, _) =>
            {
                setAside.Add(request);
                return Task.CompletedTask;
            }
        );
        var items = Enumerable.Range(0, 1_000).ToList();

        await isolation.RunAsync(
            "accounting-usage",
            items,
            consumer.ProcessAsync,
            i => $"key-{i}",
            i => new[] { i },
            default
        );

        Assert.Equal(items.Except([37, 81, 82]), consumer.Committed.Order());
        Assert.Equal(["key-37", "key-81", "key-82"], setAside.Select(r => r.ItemKey));
        Assert.All(setAside, r => Assert.Equal("accounting-usage", r.Queue));
        Assert.Contains("cannot be stored", setAside[0].Failure.Message);
        // Halving finds three bad items among a thousand in 33 attempts (the whole, then halves of halves), not a thousand.
        Assert.Equal(33, consumer.Attempts);
    }

    [Fact]
    public async Task A_failure_that_waiting_cures_is_thrown_so_the_whole_message_is_retried()
    {
        var isolation = new ItemIsolation((_, _) => throw new InvalidOperationException("nothing may be set aside"));
        var outage = new NpgsqlException("the database is away");

        var thrown = await Assert.ThrowsAsync<NpgsqlException>(() =>
            isolation.RunAsync("q", [1, 2, 3], _ => throw outage, i => i.ToString(), i => i, default)
        );
        Assert.Same(outage, thrown);
    }

    [Theory]
    [InlineData("22021", false)] // invalid byte sequence: the data
    [InlineData("54000", false)] // index row too large: the data
    [InlineData("23514", false)] // check constraint: the data
    [InlineData("22003", false)] // numeric out of range: the data
    [InlineData("40P01", true)] // deadlock
    [InlineData("40001", true)] // serialization failure
    [InlineData("57P01", true)] // the server shuts down
    [InlineData("53300", true)] // too many connections
    public void PostgreSQL_failures_are_transient_only_when_waiting_cures_them(string sqlState, bool transient) =>
        Assert.Equal(transient, Failures.IsTransient(new PostgresException("m", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void Overflows_and_bugs_are_not_transient_timeouts_and_lost_connections_are()
    {
        Assert.False(Failures.IsTransient(new OverflowException()));
        Assert.False(Failures.IsTransient(new ArgumentException("bad item")));
        Assert.True(Failures.IsTransient(new TimeoutException()));
        Assert.True(
            Failures.IsTransient(new InvalidOperationException("wrapped", new NpgsqlException("connection lost")))
        );
    }
}
