using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.ServiceDefaults.Tests.Security;

/// <summary>Given the keys a service holds, when the owner's snapshot arrives, then these are the keys it stores.</summary>
public sealed class KeySnapshotTests
{
    private static readonly DateTimeOffset TakenAt = DateTimeOffset.Parse("2026-12-01T12:00:00Z");

    private static KnownApiKey Held(string id, DateTimeOffset issuedAt, DateTimeOffset? revokedAt = null) =>
        new()
        {
            Id = id,
            Source = "s",
            Scopes = ["read"],
            KeyHash = "h-" + id,
            IssuedAt = issuedAt,
            RevokedAt = revokedAt,
        };

    private static ApiKeysSnapshot Snapshot(params KnownApiKey[] owned) =>
        new()
        {
            Keys = owned.Select(k => k.State()).ToList(),
            BootstrapKeyDisabled = false,
            TakenAt = TakenAt,
        };

    [Fact]
    public void A_revocation_the_service_missed_is_taken_from_the_snapshot()
    {
        var held = Held("a", TakenAt.AddHours(-1));
        var changes = KnownApiKey.Reconcile([held], Snapshot(Held("a", TakenAt.AddHours(-1), TakenAt.AddMinutes(-5))));
        Assert.Equal(TakenAt.AddMinutes(-5), Assert.Single(changes).RevokedAt);
    }

    [Fact]
    public void A_key_the_service_missed_is_added_and_a_matching_key_is_left_alone()
    {
        var same = Held("a", TakenAt.AddHours(-1));
        var changes = KnownApiKey.Reconcile(
            [same],
            Snapshot(Held("a", TakenAt.AddHours(-1)), Held("b", TakenAt.AddHours(-2)))
        );
        Assert.Equal("b", Assert.Single(changes).Id);
    }

    [Fact]
    public void An_older_snapshot_never_brings_back_a_key_revoked_here()
    {
        var revokedHere = Held("a", TakenAt.AddHours(-1), TakenAt.AddMinutes(1));
        var changes = KnownApiKey.Reconcile([revokedHere], Snapshot(Held("a", TakenAt.AddHours(-1))));
        Assert.All(changes, k => Assert.Equal(TakenAt.AddMinutes(1), k.RevokedAt));
    }

    [Fact]
    public void A_usable_key_the_owner_never_had_is_revoked_unless_it_is_younger_than_a_minute()
    {
        var stray = Held("stray", TakenAt.AddHours(-1));
        var young = Held("young", TakenAt.AddSeconds(-20));
        var changes = KnownApiKey.Reconcile([stray, young], Snapshot());
        var revoked = Assert.Single(changes);
        Assert.Equal(("stray", TakenAt), (revoked.Id, revoked.RevokedAt));
    }
}
