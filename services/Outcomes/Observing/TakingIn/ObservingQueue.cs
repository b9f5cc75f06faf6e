namespace Tokenwise.Outcomes.Observing.TakingIn;

/// <summary>The one queue (<c>outcomes-observing</c>) Outcomes takes usage, outcomes and the directory from.</summary>
public static class ObservingQueue
{
    public const string Area = "observing";
    public const int ConcurrentMessageLimit = 8;
}
