using Tokenwise.Contracts;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.AgentTelemetry;

/// <summary>
/// What one OTLP request became: usage events, activity signals, and the records skipped with why. A record is kept
/// only when it obeys the intake rules every shape obeys; otherwise it is skipped, never stored, never refused whole
/// (an exporter that got a 400 would drop or endlessly retry its whole batch).
/// </summary>
internal sealed class OtlpBatch
{
    private const int MaxReasons = 10;
    public List<UsageRecorded> Usage { get; } = [];
    public List<ActivityRecorded> Activities { get; } = [];
    public int Skipped { get; private set; }
    private readonly SortedSet<string> _reasons = new(StringComparer.Ordinal);

    public void Skip(string reason)
    {
        Skipped++;
        // The reasons are few kinds; a flood of distinct ones (say, junk event names) must not grow the answer.
        if (_reasons.Count < MaxReasons)
            _reasons.Add(reason);
    }

    public void Add(UsageRecorded usage, string eventName, OtlpAttributes attributes, IntakeLimits limits)
    {
        if (Refused(eventName, attributes, IntakeRules.Problems(usage, limits)))
            return;
        Usage.Add(usage);
    }

    public void Add(ActivityRecorded activity, string eventName, OtlpAttributes attributes)
    {
        if (Refused(eventName, attributes, IntakeRules.Problems(activity)))
            return;
        Activities.Add(activity);
    }

    private bool Refused(string eventName, OtlpAttributes attributes, IReadOnlyList<FieldProblem> problems)
    {
        if (attributes.Malformed.Count > 0)
        {
            Skip(
                $"{eventName}: attribute {Quote(attributes.Malformed.Order(StringComparer.Ordinal).First())} is not valid Unicode text"
            );
            return true;
        }
        if (problems.Count == 0)
            return false;
        Skip($"{eventName}: {problems[0].Field} {problems[0].Message}");
        return true;
    }

    /// <summary>A sender's text inside our message: short, and only when it is acceptable text.</summary>
    public static string Quote(string? text) =>
        text is null ? "(none)"
        : !TextRules.IsAcceptable(text, 64) ? "(unreadable)"
        : text;

    /// <summary>OTLP's partialSuccess message: the distinct reasons, briefly.</summary>
    public string? SkipMessage => _reasons.Count == 0 ? null : string.Join("; ", _reasons);
}
