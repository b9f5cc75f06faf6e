using Microsoft.Extensions.Logging.Abstractions;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.ServiceDefaults.Tests.Security;

public sealed class ControlSignerTests
{
    private static ControlSigner SignerWith(string secret) =>
        new(
            new TokenwiseSettings("s", "pg", new Uri("amqp://x"), "s", false, null, TimeSpan.FromMinutes(1), secret),
            NullLogger<ControlSigner>.Instance
        );

    private static readonly ControlSigner Services = SignerWith("the-services-shared-secret");

    private static ApiKeyIssued ReadKey() =>
        new()
        {
            KeyId = "k1",
            Source = "bi",
            Scopes = ["read"],
            KeyHash = "ab",
            Teams = ["search"],
            IssuedAt = DateTimeOffset.Parse("2026-12-01T10:00:00Z"),
        };

    [Fact]
    public void A_message_signed_with_the_shared_secret_is_accepted()
    {
        Assert.True(Services.Verify(Services.Sign(ReadKey())));
        Assert.True(
            Services.Verify(Services.Sign(new ApiKeyRevoked { KeyId = "k1", RevokedAt = DateTimeOffset.UtcNow }))
        );
    }

    [Fact]
    public void An_unsigned_message_is_refused() => Assert.False(Services.Verify(ReadKey()));

    [Fact]
    public void A_message_signed_with_another_secret_is_refused() =>
        Assert.False(Services.Verify(SignerWith("a-guess-at-the-secret").Sign(ReadKey())));

    [Fact]
    public void Changing_any_part_of_a_signed_message_breaks_its_signature()
    {
        var signed = Services.Sign(ReadKey());
        Assert.False(Services.Verify(signed with { Scopes = ["admin"] }));
        Assert.False(Services.Verify(signed with { Teams = [] }));
        Assert.False(Services.Verify(signed with { User = "mallory" }));
        Assert.False(Services.Verify(signed with { KeyHash = "cd" }));
        Assert.False(Services.Verify(signed with { IssuedAt = signed.IssuedAt.AddTicks(1) }));
    }

    [Fact]
    public void A_breaker_change_is_signed_over_its_version_and_override()
    {
        var change = Services.Sign(
            new BreakerChanged
            {
                ScopeType = "user",
                ScopeId = "ana",
                State = "open",
                Since = DateTimeOffset.UnixEpoch,
                Version = 3,
                Override = new BreakerOverride("lead", DateTimeOffset.UnixEpoch.AddHours(1), "release"),
            }
        );
        Assert.True(Services.Verify(change));
        Assert.False(Services.Verify(change with { Version = 4 }));
        Assert.False(
            Services.Verify(change with { Override = change.Override! with { Until = DateTimeOffset.MaxValue } })
        );
    }
}
