namespace Tokenwise.Contracts;

/// <summary>An API key may no longer be used, in any service.</summary>
public sealed record ApiKeyRevoked
{
    public required string KeyId { get; init; }
    public required DateTimeOffset RevokedAt { get; init; }

    /// <summary>HMAC-SHA256 of the message without it, with the services' shared secret (ControlSigner).</summary>
    public string? Signature { get; init; }

    public ApiKeyRevoked WithSignature(string? signature) => this with { Signature = signature };
}
