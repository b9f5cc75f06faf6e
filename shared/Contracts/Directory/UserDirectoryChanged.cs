namespace Tokenwise.Contracts;

/// <summary>
/// A person's directory entry as it now stands (a full replacement, not a diff): their team and manager, and the
/// aliases (emails, account uuids, GitHub logins) that resolve to them everywhere. Signed, as it decides whose usage
/// a team key may report and whose figures a manager may read.
/// </summary>
public sealed record UserDirectoryChanged
{
    public required string User { get; init; }
    public string? DisplayName { get; init; }
    public string? Email { get; init; }
    public string? Team { get; init; }
    public string? Manager { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public required DateTimeOffset ChangedAt { get; init; }

    /// <summary>HMAC-SHA256 of the message without it, with the services' shared secret (ControlSigner).</summary>
    public string? Signature { get; init; }

    public UserDirectoryChanged WithSignature(string? signature) => this with { Signature = signature };
}
