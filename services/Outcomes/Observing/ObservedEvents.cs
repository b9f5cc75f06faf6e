using Tokenwise.Contracts;
using Tokenwise.Outcomes.Attribution;

namespace Tokenwise.Outcomes.Observing;

// Outcomes' own events (not contracts, so the relay never republishes what Outcomes received).

// They carry what was received, so Outcomes' tables can be rebuilt from its own events.

/// <summary>Charged usage Outcomes now knows of; attribution decides where it goes.</summary>
public sealed record ChargesObserved(IReadOnlyList<UsageCharged> Items);

/// <summary>Charges whose cost was corrected (re-priced) after Outcomes observed them.</summary>
public sealed record CostsCorrected(IReadOnlyList<UsageCharged> Items);

/// <summary>An outcome Outcomes now knows of; a merge (<see cref="PrKey"/>) may claim usage.</summary>
public sealed record OutcomeObserved(OutcomeRecorded Outcome, string? PrKey);

/// <summary>A usage event's attribution changed (first decided, or claimed by a better or earlier PR).</summary>
public sealed record UsageAttributed(string UsageKey, string? Pr, AttributionRule? Rule, string? PreviousPr, DateTimeOffset DecidedAt);
