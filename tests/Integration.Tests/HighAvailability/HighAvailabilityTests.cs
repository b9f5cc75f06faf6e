using Tokenwise.Simulator;
using Xunit.Abstractions;

namespace Tokenwise.Integration.Tests.HighAvailability;

/// <summary>Runs alone, after the other tests: it starts eight service processes, three broker nodes and two databases.</summary>
[CollectionDefinition(nameof(HighAvailabilityCollection), DisableParallelization = true)]
public sealed class HighAvailabilityCollection;

/// <summary>The bounded run in ./test.sh: a small company, every fault once.</summary>
[Collection(nameof(HighAvailabilityCollection))]
public sealed class HighAvailabilityTests(HighAvailabilitySystem system, ITestOutputHelper output)
    : IClassFixture<HighAvailabilitySystem>
{
    [Fact]
    public Task Killing_daemon_leaders_a_broker_node_and_the_database_primary_under_load_loses_nothing() =>
        HighAvailabilitySuite.RunAsync(
            system,
            new HighAvailabilityLoad(new CompanyOptions(Seed: 31, Engineers: 12, Teams: 3, Days: 7), 300, 100),
            output
        );
}

/// <summary>./test.sh --faults: four weeks of a 60-engineer company, after the fault suite (alone, as above).</summary>
[Trait("Category", "Faults")]
[Collection(nameof(HighAvailabilityCollection))]
public sealed class HighAvailabilityFaultTests(HighAvailabilitySystem system, ITestOutputHelper output)
    : IClassFixture<HighAvailabilitySystem>
{
    [Fact]
    public Task Killing_daemon_leaders_a_broker_node_and_the_database_primary_under_load_loses_nothing() =>
        HighAvailabilitySuite.RunAsync(
            system,
            new HighAvailabilityLoad(new CompanyOptions(Seed: 37, Engineers: 60, Teams: 5, Days: 28), 1_000, 100),
            output
        );
}
