using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Ingestion;

/// <summary>
/// Idempotency keys as Ingestion claims them: the sender's id scoped by source ("source/id"), and by kind, so a
/// usage id and an outcome id never collide. Each accepted request's events go to one stream named by its keys.
/// </summary>
public static class IntakeKeys
{
    public static string Usage(string key) => "usage:" + key;

    public static string Activity(string key) => "activity:" + key;

    public static string Outcome(string key) => "outcome:" + key;

    public static string Stream(IEnumerable<string> claimedKeys) => "intake:" + BatchIds.Of(claimedKeys);
}
