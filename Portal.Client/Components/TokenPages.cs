namespace Portal.Client.Components;

/// <summary>Cursor paging as Cognito does it (PaginationToken / NextToken): keeps the token of every page seen so far,
/// so Previous can ask for an earlier page again.</summary>
public sealed class TokenPages
{
    readonly List<string?> tokens = [null];

    /// <summary>Zero-based index of the page shown.</summary>
    public int Index { get; private set; }
    /// <summary>The token that asks for the page shown (null for the first).</summary>
    public string? Current => tokens[Index];
    public bool HasPrevious => Index > 0;
    public bool HasNext { get; private set; }

    public void Reset()
    {
        tokens.Clear();
        tokens.Add(null);
        Index = 0;
        HasNext = false;
    }

    /// <summary>Records the token the engine answered for the page after the one shown.</summary>
    public void Loaded(string? next)
    {
        tokens.RemoveRange(Index + 1, tokens.Count - Index - 1);
        HasNext = !string.IsNullOrEmpty(next);
        if (HasNext) tokens.Add(next);
    }

    public bool Next()
    {
        if (!HasNext) return false;
        Index++;
        return true;
    }

    public bool Previous()
    {
        if (Index == 0) return false;
        Index--;
        return true;
    }
}
