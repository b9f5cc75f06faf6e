namespace Tokenwise.Contracts;

/// <summary>
/// An administrator changed something: who (the key, and the person it or the request names), when, in which service,
/// what kind of change, on what, and the values it set. Appended in the same transaction as the change itself, so
/// the audit log holds exactly the changes that happened. Signed, so nobody with broker access can write the log.
/// </summary>
public sealed record AdminActionRecorded
{
    public required Guid Id { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary>The service that made the change: Ingestion, Accounting, Outcomes or Alerting.</summary>
    public required string Service { get; init; }

    /// <summary>What was done (<see cref="AdminActionKinds"/>).</summary>
    public required string Kind { get; init; }

    /// <summary>The key the request came with: its id, or "bootstrap".</summary>
    public required string KeyId { get; init; }

    /// <summary>The source the key was issued for ("bootstrap" for the bootstrap key).</summary>
    public required string KeySource { get; init; }

    /// <summary>The person: who the request says acted ("by"), else the user the key is bound to; null when neither.</summary>
    public string? Person { get; init; }

    /// <summary>What it acted on: a key id, "user:alice", "openai/gpt-4.1", a queue.</summary>
    public required string Subject { get; init; }

    /// <summary>The values set, as compact JSON (never a key or a secret).</summary>
    public required string Change { get; init; }

    /// <summary>HMAC-SHA256 of the message without it, with the services' shared secret (ControlSigner).</summary>
    public string? Signature { get; init; }

    public AdminActionRecorded WithSignature(string? signature) => this with { Signature = signature };
}

/// <summary>The kinds of admin action the audit log records.</summary>
public static class AdminActionKinds
{
    public const string KeyIssued = "key.issued";
    public const string KeyRevoked = "key.revoked";
    public const string BootstrapKeyDisabled = "key.bootstrap_disabled";
    public const string DirectoryUserSet = "directory.user_set";
    public const string PriceSet = "price.set";
    public const string PricesImported = "price.imported";
    public const string DiscountSet = "price.discount_set";
    public const string BudgetSet = "budget.set";
    public const string RuleTuned = "rule.tuned";
    public const string BreakerOverridden = "breaker.overridden";
    public const string AlertAcknowledged = "alert.acknowledged";
    public const string AlertResolved = "alert.resolved";
    public const string FailedMessagesReplayed = "ops.failed_messages_replayed";
    public const string QuarantineReplayed = "ops.quarantine_replayed";
    public const string SpendRebuilt = "ops.spend_rebuilt";

    public static readonly IReadOnlySet<string> All = new HashSet<string>
    {
        KeyIssued,
        KeyRevoked,
        BootstrapKeyDisabled,
        DirectoryUserSet,
        PriceSet,
        PricesImported,
        DiscountSet,
        BudgetSet,
        RuleTuned,
        BreakerOverridden,
        AlertAcknowledged,
        AlertResolved,
        FailedMessagesReplayed,
        QuarantineReplayed,
        SpendRebuilt,
    };
}
