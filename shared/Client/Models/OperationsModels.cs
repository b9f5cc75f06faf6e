namespace Tokenwise.Client.Models;

/// <summary>A message that failed every retry and waits in an error queue.</summary>
public sealed record FailedMessageView(
    string Queue,
    string? MessageId,
    string? MessageType,
    string? Reason,
    string? ExceptionType,
    DateTimeOffset? FailedAt,
    int BodyBytes
);

/// <summary>An item a consumer set aside because it could not be processed, with the reason.</summary>
public sealed record QuarantinedItemView(
    string Id,
    string Service,
    string Queue,
    string MessageType,
    string ItemKey,
    string Reason,
    string? ExceptionType,
    string Status,
    DateTimeOffset QuarantinedAt,
    DateTimeOffset? ReplayedAt,
    int Replays
);

/// <summary>A page of quarantined items; <see cref="Next"/> is the cursor of the next page (null: the last).</summary>
public sealed record QuarantinePageView(IReadOnlyList<QuarantinedItemView> Items, string? Next);
