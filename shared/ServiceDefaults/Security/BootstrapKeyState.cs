namespace Tokenwise.ServiceDefaults.Security;

/// <summary>Whether TOKENWISE_BOOTSTRAP_KEY has been switched off in this service: once off, off for good.</summary>
public sealed class BootstrapKeyState
{
    public const string DocumentId = "bootstrap";
    public string Id { get; set; } = DocumentId;
    public DateTimeOffset? DisabledAt { get; set; }
    public string? DisabledBy { get; set; }
}
