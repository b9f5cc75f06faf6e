using System.Globalization;

namespace Tokenwise.Console.Pages.Shared;

/// <summary>What a person types when they act (a reason, an override's end), checked before anything is sent.</summary>
public static class ActionInput
{
    public const int MaxReason = 2000;
    public const string UntilFormat = "yyyy-MM-ddTHH:mm";

    /// <summary>Why the reason cannot be sent, or null. Line breaks and tabs are fine; other control characters are not.</summary>
    public static string? ReasonProblem(string? reason, bool required) =>
        required && string.IsNullOrWhiteSpace(reason) ? "Say why."
        : reason is { Length: > MaxReason } ? $"At most {MaxReason} characters."
        : reason?.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')) == true ? "No control characters."
        : null;

    /// <summary>An override's end as a datetime-local field gives it, read as UTC; null unless it is in the future.</summary>
    public static DateTimeOffset? Until(string? text, DateTimeOffset now) =>
        DateTime.TryParseExact(
            text,
            UntilFormat,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var end
        )
        && new DateTimeOffset(end, TimeSpan.Zero) is var until
        && until > now
            ? until
            : null;

    /// <summary>What the override field shows first: four hours from now.</summary>
    public static string DefaultUntil(DateTimeOffset now) =>
        now.AddHours(4).UtcDateTime.ToString(UntilFormat, CultureInfo.InvariantCulture);
}
