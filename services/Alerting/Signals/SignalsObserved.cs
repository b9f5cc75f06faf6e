using Tokenwise.Alerting.Alerts;

namespace Tokenwise.Alerting.Signals;

/// <summary>Findings of the rules, in the order the desk applies them to alerts and breakers.</summary>
public sealed record SignalsObserved(IReadOnlyList<AlertSignal> Signals);
