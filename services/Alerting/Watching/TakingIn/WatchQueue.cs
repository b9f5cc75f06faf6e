namespace Tokenwise.Alerting.Watching.TakingIn;

/// <summary>The one queue (<c>alerting-watching</c>) the watch rules' inputs arrive on, and how many are taken in at once.</summary>
public static class WatchQueue
{
    public const string Area = "watching";
    public const int ConcurrentMessageLimit = 4;
}
