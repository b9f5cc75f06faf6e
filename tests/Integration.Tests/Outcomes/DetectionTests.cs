using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Outcomes.Quality;
using Tokenwise.Outcomes.Quality.Detecting;
using Tokenwise.Outcomes.Storage;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Outcomes;

public sealed class DetectionTests(OutcomesSystem system) : IClassFixture<OutcomesSystem>
{
    /// <summary>gpt-4.1 input is $2 per MTok.</summary>
    private static UsageEvent Spend(string user, decimal usd) =>
        new()
        {
            Id = Guid.NewGuid().ToString("N"),
            OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            User = user,
            Model = "gpt-4.1",
            InputTokens = (long)(usd / 2m * 1_000_000m),
        };

    private async Task<IReadOnlyList<ZeroOutcomeSpendDetected>> Detected(string user)
    {
        await using var session = system.Outcomes.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Events.QueryRawEventDataOnly<ZeroOutcomeSpendDetected>().ToListAsync())
            .Where(d => d.ScopeId == user)
            .ToList();
    }

    [Fact]
    public async Task Spend_above_the_floor_with_no_outcome_is_detected_once_for_the_user_and_team_with_their_manager_and_at_the_floor_not_at_all()
    {
        var (burner, atFloor) = (
            "burner-" + Guid.NewGuid().ToString("N")[..6],
            "floor-" + Guid.NewGuid().ToString("N")[..6]
        );
        var (team, manager) = ("team-" + burner, "boss-" + burner);
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await system.Ingest.SetDirectoryUserAsync(
                    burner,
                    new DirectoryUserRequest(null, null, team, manager, null)
                )
            ).StatusCode
        );
        var store = system.Outcomes.Services.GetRequiredService<OutcomeStore>();
        await Eventually.Until(
            async () =>
            {
                await using var connection = new NpgsqlConnection(system.Environment.Servers.Postgres);
                await connection.OpenAsync();
                return (await store.ManagersAsync(connection, default)).Users.GetValueOrDefault(burner);
            },
            found => found == manager,
            "Outcomes to learn the burner's manager from the directory"
        );
        await system.Ingest.RecordUsageBatchAsync([Spend(burner, 50.02m), Spend(atFloor, 50.00m)]);
        var detector = system.Outcomes.Services.GetServices<IHostedService>().OfType<Detector>().Single();
        // Both users' usage arrives in one batch, so when the burner is detected the other's spend is known too.
        await Eventually.Until(
            async () =>
            {
                await detector.DetectAsync(default);
                return await Detected(burner);
            },
            found => found.Count > 0,
            "the burner's spend to be detected"
        );

        await detector.DetectAsync(default);
        var detection = Assert.Single(await Detected(burner));
        Assert.Equal((50.02m, 50m, manager), (detection.SpendUsd, detection.FloorUsd, detection.Manager));
        var teamDetection = Assert.Single(await Detected(team));
        Assert.Equal(
            ("team", 50.02m, manager),
            (teamDetection.ScopeType, teamDetection.SpendUsd, teamDetection.Manager)
        );
        Assert.Empty(await Detected(atFloor));
    }
}
