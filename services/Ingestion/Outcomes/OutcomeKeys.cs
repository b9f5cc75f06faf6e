namespace Tokenwise.Ingestion.Outcomes;

public static class OutcomeKeys
{
    public static string StreamKey(string outcomeKey) => "outcome:" + outcomeKey;
}
