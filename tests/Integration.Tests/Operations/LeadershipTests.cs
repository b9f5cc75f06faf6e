using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Leadership;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Operations;

/// <summary>
/// A singleton loop runs on one instance at a time and moves to another when its leader stops or loses its database
/// session, on the real PostgreSQL. Each "instance" here is a <see cref="LeaderElection"/> of its own, as each service
/// process has one.
/// </summary>
public sealed class LeadershipTests : IAsyncLifetime
{
    private const string Loop = "test-loop";
    private IsolatedEnvironment _environment = null!;

    public async Task InitializeAsync() => _environment = await IsolatedEnvironment.CreateAsync("lead");

    public async Task DisposeAsync() => await _environment.DisposeAsync();

    private sealed class Instance(LeaderElection election) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _running = Task.CompletedTask;

        public LeaderElection Election => election;

        /// <summary>Set when this instance's work saw its lead taken away while the instance itself kept running.</summary>
        public bool LostItsLead { get; private set; }

        public void Start() =>
            _running = election.RunWhileLeadingAsync(
                Loop,
                async lead =>
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, lead);
                    }
                    finally
                    {
                        if (!_stop.IsCancellationRequested)
                            LostItsLead = true;
                    }
                },
                _stop.Token
            );

        public bool Leads => election.Leading.ContainsKey(Loop);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _running;
        }
    }

    /// <summary>An instance whose database sessions carry <paramref name="name"/>, so a test can end exactly its own.</summary>
    private Instance NewInstance(string name) =>
        new(
            new LeaderElection(
                new TokenwiseSettings(
                    "Leadership",
                    $"{_environment.Servers.Postgres};Application Name={_environment.SchemaPrefix}{name}",
                    _environment.RabbitMq,
                    _environment.Schema("leadership"),
                    RunDaemon: true,
                    null,
                    TimeSpan.FromMinutes(1),
                    IsolatedEnvironment.ControlSecret
                ),
                NullLogger<LeaderElection>.Instance
            )
        );

    private static Task<bool> LeadsAsync(Instance instance, string what) =>
        Eventually.Until(() => Task.FromResult(instance.Leads), leads => leads, what, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task One_instance_leads_and_another_takes_over_within_seconds_when_the_leader_stops()
    {
        var first = NewInstance("first");
        await using var second = NewInstance("second");
        first.Start();
        await LeadsAsync(first, "the first instance to lead");
        second.Start();
        // Two of the second instance's attempts: the lead stays where it is.
        await Task.Delay(2 * LeaderElection.RetryEvery + TimeSpan.FromMilliseconds(500));
        Assert.False(second.Leads);

        var watch = Stopwatch.StartNew();
        await first.DisposeAsync();
        await LeadsAsync(second, "the second instance to take the lead");
        Assert.False(first.Leads);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, LeaderElection.RetryEvery + TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_leader_whose_database_session_ends_stops_its_work_and_another_takes_over()
    {
        await using var first = NewInstance("first");
        await using var second = NewInstance("second");
        first.Start();
        await LeadsAsync(first, "the first instance to lead");
        second.Start();

        // What a crashed host, a cut network or a fail-over does to the leader's session.
        await using (var admin = new NpgsqlConnection(_environment.Servers.PostgresAdmin))
        {
            await admin.OpenAsync();
            await using var terminate = new NpgsqlCommand(
                """
                select count(pg_terminate_backend(l.pid))
                from pg_locks l join pg_stat_activity a on a.pid = l.pid
                where l.locktype = 'advisory' and l.granted and a.application_name = @first
                """,
                admin
            );
            terminate.Parameters.AddWithValue("first", _environment.SchemaPrefix + "first");
            Assert.True((long)(await terminate.ExecuteScalarAsync())! >= 1);
        }

        await LeadsAsync(second, "the second instance to take the lead");
        await Eventually.Until(
            () => Task.FromResult(first.LostItsLead),
            lost => lost,
            "the first instance to stop the work it no longer leads",
            TimeSpan.FromSeconds(30)
        );
        Assert.False(first.Leads);
    }
}
