using System.Globalization;

namespace Tokenwise.Console.Pages.Shared;

/// <summary>How figures read on a page: dollars to the cent, shares to a tenth of a percent, dates as ISO.</summary>
public static class Figures
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Usd(decimal? value) =>
        value is { } v ? (v < 0 ? "-$" : "$") + Math.Abs(v).ToString("#,##0.00", Invariant) : "—";

    public static string Percent(decimal? value) => value is { } v ? v.ToString("0.#", Invariant) + " %" : "—";

    /// <summary>A rate held as a fraction (0.25) shown as a percentage.</summary>
    public static string Rate(decimal? fraction) => fraction is { } f ? Percent(f * 100) : "—";

    public static string Count(long? value) => value is { } v ? v.ToString("#,##0", Invariant) : "—";

    /// <summary>A count with its noun: "1 person", "2 people".</summary>
    public static string Count(long value, string one, string many) => Count(value) + " " + (value == 1 ? one : many);

    public static string Number(decimal? value, string unit) =>
        unit switch
        {
            "usd" => Usd(value),
            "%" => Percent(value),
            _ => value is { } v ? v.ToString("#,##0.##", Invariant) : "—",
        };

    public static string When(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant) + " UTC" : "—";

    public static string Day(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd", Invariant) : "—";
}
