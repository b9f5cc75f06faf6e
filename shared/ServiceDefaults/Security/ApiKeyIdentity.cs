namespace Tokenwise.ServiceDefaults.Security;

/// <summary>Who presented a key: its source name scopes idempotency keys; its scopes say what it may do.</summary>
public sealed record ApiKeyIdentity(string Source, IReadOnlySet<string> Scopes);
