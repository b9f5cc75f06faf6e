namespace Tokenwise.Contracts;

public static class ActivityKinds
{
    public const string Commit = "commit";
    public const string PullRequest = "pull_request";
    public const string LinesAdded = "lines_added";
    public const string LinesRemoved = "lines_removed";
    public const string UserPrompt = "user_prompt";
}
