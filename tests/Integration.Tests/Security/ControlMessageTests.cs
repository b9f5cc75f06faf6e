using System.Net;
using System.Net.Http.Headers;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Integration.Tests.Pipeline;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Security;

/// <summary>
/// Messages that change who may do what (keys, breakers, the directory) come only from the services: anyone else who
/// can publish to the broker is refused, and a replay of a genuine message changes nothing.
/// </summary>
public sealed class ControlMessageTests(WholePipeline system) : IClassFixture<WholePipeline>
{
    private RunningService[] Services => [system.Ingestion, system.Accounting, system.Outcomes, system.Alerting];
    private ControlSigner Signer => system.Ingestion.Services.GetRequiredService<ControlSigner>();

    /// <summary>An admin-only endpoint every service has: 200 for an admin key it accepts, 401 for a key it does not.</summary>
    private static async Task<HttpStatusCode> StatusWithKey(RunningService service, string key)
    {
        using var http = service.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return (await http.GetAsync("/v1/ops/quarantine")).StatusCode;
    }

    private async Task EveryServiceAnswers(string key, HttpStatusCode expected, string why)
    {
        foreach (var service in Services)
            await Eventually.Until(
                () => StatusWithKey(service, key),
                status => status == expected,
                $"{service.BaseAddress} {why}"
            );
    }

    private static ControlSigner SignerWithSecret(string secret) =>
        new(
            new TokenwiseSettings("x", "x", new Uri("amqp://x"), "x", false, null, TimeSpan.FromMinutes(1), secret),
            NullLogger<ControlSigner>.Instance
        );

    [Fact]
    public async Task A_key_published_straight_to_the_broker_is_refused_by_every_service_and_logged()
    {
        var (unsignedId, unsignedKey) = ApiKeyFormat.NewKey();
        await BrokerPublisher.PublishAsync(
            system.Environment,
            new ApiKeyIssued
            {
                KeyId = unsignedId,
                Source = "intruder",
                Scopes = ["admin"],
                KeyHash = ApiKeyFormat.Hash(unsignedKey),
                IssuedAt = DateTimeOffset.UtcNow,
            }
        );
        var (guessedId, guessedKey) = ApiKeyFormat.NewKey();
        await BrokerPublisher.PublishAsync(
            system.Environment,
            SignerWithSecret("a-guess-at-the-secret-0000")
                .Sign(
                    new ApiKeyIssued
                    {
                        KeyId = guessedId,
                        Source = "intruder",
                        Scopes = ["admin"],
                        KeyHash = ApiKeyFormat.Hash(guessedKey),
                        IssuedAt = DateTimeOffset.UtcNow,
                    }
                )
        );
        // A genuine read key's message with the scope raised to admin after it was signed.
        var (alteredId, alteredKey) = ApiKeyFormat.NewKey();
        var genuine = Signer.Sign(
            new ApiKeyIssued
            {
                KeyId = alteredId,
                Source = "intruder",
                Scopes = ["read"],
                KeyHash = ApiKeyFormat.Hash(alteredKey),
                IssuedAt = DateTimeOffset.UtcNow,
            }
        );
        await BrokerPublisher.PublishAsync(system.Environment, genuine with { Scopes = ["admin"] });

        // Issued through Ingestion after the forgeries, so each service's key queue has handled them once it knows this key.
        var marker = (await system.Ingest.IssueKeyAsync(new KeyRequest("marker", ["admin"]))).Content!;
        await EveryServiceAnswers(marker.Key, HttpStatusCode.OK, "accepts the key Ingestion issued");

        foreach (var service in Services)
        foreach (var forged in new[] { unsignedKey, guessedKey, alteredKey })
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithKey(service, forged));
        foreach (var service in Services)
        {
            await using var session = service.Services.GetRequiredService<IDocumentStore>().QuerySession();
            Assert.Empty(await session.LoadManyAsync<KnownApiKey>(unsignedId, guessedId, alteredId));
            var refusals = service.Logs.Lines.Count(l =>
                l.Contains("Refused a ApiKeyIssued that is not signed by a Tokenwise service")
            );
            Assert.True(refusals >= 3, $"{service.BaseAddress} logged {refusals} refusals");
        }
    }

    [Fact]
    public async Task A_forged_breaker_change_neither_stops_a_colleague_nor_lifts_a_breaker()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var (victim, marker) = ($"victim-{run}", $"marker-{run}");
        BreakerChanged Open(string user, long version) =>
            new()
            {
                ScopeType = "user",
                ScopeId = user,
                State = "open",
                Reason = "forged",
                Since = DateTimeOffset.UtcNow,
                Until = DateTimeOffset.UtcNow.AddHours(8),
                Version = version,
            };
        await BrokerPublisher.PublishAsync(system.Environment, Open(victim, 1));
        await BrokerPublisher.PublishAsync(
            system.Environment,
            SignerWithSecret("a-guess-at-the-secret-0000").Sign(Open(victim, 2))
        );
        // Signed with the services' secret, as Alerting signs what it decides: the board takes it, after the forgeries.
        await BrokerPublisher.PublishAsync(system.Environment, Signer.Sign(Open(marker, 1)));

        var check = system.Alerting.Client<Tokenwise.Client.Apis.IAlertingApi>();
        await Eventually.Until(
            () => check.CheckAsync(marker, null, null),
            r => r.Content is { Allow: false },
            "the signed breaker change to stop the marker"
        );
        // Breaker changes are applied one at a time, in order: the forgeries were handled before the marker.
        Assert.Equal(
            2,
            system.Alerting.Logs.Lines.Count(l =>
                l.Contains("Refused a BreakerChanged that is not signed by a Tokenwise service")
            )
        );
        Assert.True((await check.CheckAsync(victim, null, null)).Content!.Allow);

        // Replaying an older genuine change (closed, version 0) does not lift the marker's breaker.
        await BrokerPublisher.PublishAsync(system.Environment, Signer.Sign(Open(marker, 0) with { State = "closed" }));
        await BrokerPublisher.PublishAsync(system.Environment, Signer.Sign(Open($"after-{run}", 1)));
        await Eventually.Until(
            () => check.CheckAsync($"after-{run}", null, null),
            r => r.Content is { Allow: false },
            "the change after the replay"
        );
        Assert.False((await check.CheckAsync(marker, null, null)).Content!.Allow);
    }

    [Fact]
    public async Task Replaying_a_revoked_keys_genuine_issue_message_does_not_bring_it_back()
    {
        var key = (await system.Ingest.IssueKeyAsync(new KeyRequest("replayed", ["admin"]))).Content!;
        await EveryServiceAnswers(key.Key, HttpStatusCode.OK, "accepts the new key");
        Assert.Equal(HttpStatusCode.NoContent, (await system.Ingest.RevokeKeyAsync(key.Id)).StatusCode);
        await EveryServiceAnswers(key.Key, HttpStatusCode.Unauthorized, "refuses the revoked key");

        ApiKeyIssued original;
        await using (var session = system.Ingestion.Services.GetRequiredService<IDocumentStore>().QuerySession())
            original = await session.Events.QueryRawEventDataOnly<ApiKeyIssued>().SingleAsync(e => e.KeyId == key.Id);
        Assert.True(Signer.Verify(original));
        await BrokerPublisher.PublishAsync(system.Environment, original);
        var marker = (await system.Ingest.IssueKeyAsync(new KeyRequest("marker", ["admin"]))).Content!;
        await EveryServiceAnswers(marker.Key, HttpStatusCode.OK, "accepts the key issued after the replay");
        // Past the services' few seconds of key cache, so a refusal is the stored key's, not a cached answer.
        foreach (var service in Services)
        {
            await using var session = service.Services.GetRequiredService<IDocumentStore>().QuerySession();
            Assert.NotNull((await session.LoadAsync<KnownApiKey>(key.Id))!.RevokedAt);
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithKey(service, key.Key));
        }
    }

    [Fact]
    public async Task A_revocation_that_never_reached_a_service_is_applied_from_the_next_key_snapshot()
    {
        var key = (await system.Ingest.IssueKeyAsync(new KeyRequest("lost-revocation", ["admin"]))).Content!;
        await EveryServiceAnswers(key.Key, HttpStatusCode.OK, "accepts the new key");

        const string revocations = "Tokenwise.Contracts:ApiKeyRevoked",
            accountingKeys = "accounting-api-key-changes";
        Assert.Equal(1, await system.Environment.UnbindAsync(revocations, accountingKeys));
        try
        {
            Assert.Equal(HttpStatusCode.NoContent, (await system.Ingest.RevokeKeyAsync(key.Id)).StatusCode);
            await Eventually.Until(
                () => StatusWithKey(system.Outcomes, key.Key),
                s => s == HttpStatusCode.Unauthorized,
                "Outcomes, which got the revocation, to refuse the key"
            );
            // Accounting never got ApiKeyRevoked; the snapshot Ingestion sends every 2 s here revokes the key there too.
            await Eventually.Until(
                () => StatusWithKey(system.Accounting, key.Key),
                s => s == HttpStatusCode.Unauthorized,
                "Accounting to refuse the key from the snapshot",
                TimeSpan.FromSeconds(30)
            );
            await using var session = system.Accounting.Services.GetRequiredService<IDocumentStore>().QuerySession();
            Assert.NotNull((await session.LoadAsync<KnownApiKey>(key.Id))!.RevokedAt);
        }
        finally
        {
            await system.Environment.BindAsync(revocations, accountingKeys);
        }
    }
}
