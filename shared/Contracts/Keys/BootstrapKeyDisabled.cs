namespace Tokenwise.Contracts;

/// <summary>The bootstrap key (TOKENWISE_BOOTSTRAP_KEY) is no longer accepted by any service, for good.</summary>
public sealed record BootstrapKeyDisabled
{
    public required string By { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary>HMAC-SHA256 of the message without it, with the services' shared secret (ControlSigner).</summary>
    public string? Signature { get; init; }

    public BootstrapKeyDisabled WithSignature(string? signature) => this with { Signature = signature };
}
