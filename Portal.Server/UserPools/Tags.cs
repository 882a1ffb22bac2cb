using Portal.Client.Contract;

namespace Portal.Server.UserPools;

/// <summary>Tags of a user pool or an identity pool (the same rules in both APIs): at most 50, keys of 1-128 characters
/// outside the reserved <c>aws:</c> prefix, values up to 256.</summary>
public static class Tags
{
    public const int Limit = 50;

    public const string UserPool = "A user pool", IdentityPool = "An identity pool";

    /// <summary>Throws InvalidParameterException for a tag set <paramref name="resource"/> (as the message names it) cannot hold.</summary>
    public static void Check(IReadOnlyDictionary<string, string>? tags, string resource = UserPool)
    {
        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            if (key.Length is < 1 or > 128)
                throw new InvalidParameterException($"Tag key {key} is not valid: tag keys must have length between 1 and 128.");
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
                throw new InvalidParameterException($"Tag key {key} is not valid: the aws: prefix is reserved for AWS use.");
            if ((value ?? "").Length > 256)
                throw new InvalidParameterException($"The value of tag {key} is not valid: tag values must have length less than or equal to 256.");
        }
        if (tags?.Count > Limit)
            throw new InvalidParameterException($"{resource} can have at most {Limit} tags.");
    }

    /// <summary>The pool's tags after adding (or overwriting) <paramref name="added"/>.</summary>
    public static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> current, IReadOnlyDictionary<string, string> added,
        string resource = UserPool)
    {
        var merged = new Dictionary<string, string>(current, StringComparer.Ordinal);
        foreach (var (key, value) in added) merged[key] = value ?? "";
        Check(merged, resource);
        return merged;
    }
}
