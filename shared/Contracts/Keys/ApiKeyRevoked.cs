namespace Tokenwise.Contracts;

/// <summary>An API key may no longer be used, in any service.</summary>
public sealed record ApiKeyRevoked
{
    public required string KeyId { get; init; }
    public required DateTimeOffset RevokedAt { get; init; }
}
