using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Portal.Client.Components.IdentityPools;

/// <summary>The trust policy every Cognito identity pool role carries, as AWS's console and templates write it, and the
/// names the portal gives the roles it creates in one click.</summary>
public static partial class TrustPolicies
{
    public const string CognitoIdentity = "cognito-identity.amazonaws.com";

    /// <summary>Lets identities of <paramref name="identityPoolId"/> assume the role: signed-in ones
    /// (<c>authenticated</c>) or guests (<c>unauthenticated</c>). sts:TagSession lets principal tags through.</summary>
    public static string ForIdentityPool(string identityPoolId, bool authenticated) =>
        new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Federated"] = CognitoIdentity },
                ["Action"] = new JsonArray("sts:AssumeRoleWithWebIdentity", "sts:TagSession"),
                ["Condition"] = new JsonObject
                {
                    ["StringEquals"] = new JsonObject { [$"{CognitoIdentity}:aud"] = identityPoolId },
                    ["ForAnyValue:StringLike"] = new JsonObject { [$"{CognitoIdentity}:amr"] = authenticated ? "authenticated" : "unauthenticated" },
                },
            }),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>A permission policy to start from: nothing allowed yet, in the shape IAM expects.</summary>
    public const string EmptyPermissions = """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Action": ["sts:GetCallerIdentity"],
              "Resource": "*"
            }
          ]
        }
        """;

    /// <summary>A role name IAM accepts (letters, digits and +=,.@_-, 64 at most) for an identity pool's role:
    /// <c>{pool name}-authenticated</c> or <c>-guest</c>.</summary>
    public static string RoleName(string? poolName, bool authenticated)
    {
        var suffix = authenticated ? "-authenticated" : "-guest";
        var stem = NotInRoleNames().Replace((poolName ?? "").Trim().Replace(' ', '-'), "");
        if (stem.Length == 0) stem = "identity-pool";
        return stem[..Math.Min(stem.Length, 64 - suffix.Length)] + suffix;
    }

    /// <summary>Whether <paramref name="roleName"/> is a name IAM accepts.</summary>
    public static bool IsRoleName(string? roleName) => roleName is { Length: >= 1 and <= 64 } && RoleNames().IsMatch(roleName);

    /// <summary>The role's trust policy, read back from IAM (which answers policy documents URL-encoded on its Query
    /// protocol), indented for reading.</summary>
    public static string Readable(string? document)
    {
        if (string.IsNullOrWhiteSpace(document)) return "";
        var text = document.TrimStart().StartsWith('%') ? Uri.UnescapeDataString(document) : document;
        try
        {
            return JsonNode.Parse(text)?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? text;
        }
        catch (JsonException)
        {
            return text;
        }
    }

    /// <summary>What a trust policy admits, in words, when it is the identity-pool kind: which pool, which identities.</summary>
    public static string? Describe(string? document)
    {
        try
        {
            var root = JsonNode.Parse(Readable(document));
            var statements = root?["Statement"] is JsonArray a ? a.OfType<JsonObject>() : root?["Statement"] is JsonObject o ? [o] : [];
            foreach (var s in statements)
            {
                if (s["Principal"]?["Federated"]?.ToString() is not { } fed || !fed.Contains(CognitoIdentity, StringComparison.Ordinal)) continue;
                var conditions = s["Condition"]?.AsObject();
                var aud = conditions?.Select(c => c.Value?[$"{CognitoIdentity}:aud"]).FirstOrDefault(v => v is not null)?.ToString();
                var amr = conditions?.Select(c => c.Value?[$"{CognitoIdentity}:amr"]).FirstOrDefault(v => v is not null)?.ToString();
                var who = amr is null ? "any identity" : amr.Contains("unauthenticated", StringComparison.Ordinal) ? "guests" : "signed-in identities";
                return aud is null ? $"Cognito identity pools ({who} of any pool)" : $"{who} of {aud}";
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"[^\w+=,.@-]")]
    private static partial Regex NotInRoleNames();

    [GeneratedRegex(@"^[\w+=,.@-]+$")]
    private static partial Regex RoleNames();
}
