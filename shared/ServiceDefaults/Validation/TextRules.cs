using System.Text;

namespace Tokenwise.ServiceDefaults.Validation;

/// <summary>
/// The rule every string that crosses a boundary and is stored obeys: valid Unicode, no control characters (PostgreSQL
/// refuses U+0000 outright, and the others break logs, CSV and the pages people read) and no bidirectional overrides
/// (they make one name look like another), and a cap in UTF-8 bytes, because that is what PostgreSQL's index entries
/// are limited by (2,704 bytes per entry, several identifiers per key: docs/decisions.md, "Intake").
/// </summary>
public static class TextRules
{
    /// <summary>Ids, people, teams, models, sessions, repos: anything that becomes a key or an index entry.</summary>
    public const int IdentifierBytes = 200;

    /// <summary>Null when <paramref name="text"/> is acceptable, else why not (to follow the field's name).</summary>
    public static string? Problem(string text, int maxBytes = IdentifierBytes)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
                return "must be valid Unicode text (it holds a lone surrogate)";
            if (char.IsControl(c))
                return $"must not contain control characters (U+{(int)c:X4})";
            if (IsBidiControl(c))
                return $"must not contain bidirectional formatting characters (U+{(int)c:X4})";
        }
        return Encoding.UTF8.GetByteCount(text) > maxBytes
            ? $"must be at most {maxBytes} bytes of UTF-8 ({maxBytes} ASCII characters)"
            : null;
    }

    public static bool IsAcceptable(string text, int maxBytes = IdentifierBytes) => Problem(text, maxBytes) is null;

    // Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069); the marks U+200E/U+200F only hint a direction.
    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
