using Tokenwise.Contracts;
using Tokenwise.Outcomes.Attribution;

namespace Tokenwise.Outcomes.Observing;

// Outcomes' own events (not contracts, so the relay never republishes what Outcomes received).

// They carry what Outcomes keeps of what it received, so its tables can be rebuilt from its own events.

/// <summary>Charged usage Outcomes now knows of; attribution decides where it goes.</summary>
public sealed record UsageObserved(IReadOnlyList<ObservedUsage> Items);

/// <summary>Charges whose cost was corrected (re-priced) after Outcomes observed them.</summary>
public sealed record CostsCorrected(IReadOnlyList<UsageCharged> Items);

/// <summary>An outcome Outcomes now knows of; a merge (<see cref="PrKey"/>) may claim usage.</summary>
public sealed record OutcomeObserved(OutcomeRecorded Outcome, string? PrKey);

/// <summary>A directory entry Outcomes now knows of (for the managers detections are addressed to).</summary>
public sealed record DirectoryObserved(UserDirectoryChanged Change);

/// <summary>A usage event's attribution changed (first decided, or claimed by a better or earlier PR).</summary>
public sealed record UsageAttribution(
    string UsageKey,
    string? Pr,
    AttributionRule? Rule,
    string? PreviousPr,
    DateTimeOffset DecidedAt
);

/// <summary>The attribution changes decided together for one page of observations (one event, so a page commits in one append).</summary>
public sealed record AttributionsChanged(IReadOnlyList<UsageAttribution> Items);
