using System.Security.Cryptography;

namespace Portal.Server.UserPools;

/// <summary>Identifiers in the formats AWS makes them.</summary>
public sealed class Ids(Microsoft.Extensions.Options.IOptions<PortalOptions> options)
{
    const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const string LowerAlphanumerics = "abcdefghijklmnopqrstuvwxyz0123456789";

    public string Region => options.Value.Region;
    public string AccountId => options.Value.AccountId;

    /// <summary><c>us-east-1_</c> + 9 alphanumerics.</summary>
    public string NewUserPoolId() => $"{Region}_{RandomNumberGenerator.GetString(Alphanumerics, 9)}";

    /// <summary>26 lowercase alphanumerics.</summary>
    public string NewClientId() => RandomNumberGenerator.GetString(LowerAlphanumerics, 26);

    /// <summary>51 lowercase alphanumerics, as Cognito generates client secrets.</summary>
    public string NewClientSecret() => RandomNumberGenerator.GetString(LowerAlphanumerics, 51);

    public static string NewSub() => Guid.NewGuid().ToString();

    public string UserPoolArn(string poolId) => $"arn:aws:cognito-idp:{RegionOf(poolId)}:{AccountId}:userpool/{poolId}";

    /// <summary>The pool id of <c>arn:aws:cognito-idp:{region}:{account}:userpool/{id}</c> in this account; null for any other ARN.</summary>
    public string? UserPoolIdOf(string? arn)
    {
        var parts = (arn ?? "").Split(':', 6);
        if (parts is not ["arn", "aws", "cognito-idp", var region, var account, var resource]) return null;
        if (account != AccountId || !resource.StartsWith("userpool/", StringComparison.Ordinal)) return null;
        var poolId = resource["userpool/".Length..];
        return poolId.Length > 0 && RegionOf(poolId) == region ? poolId : null;
    }

    public static string RegionOf(string poolId) => poolId.Contains('_') ? poolId[..poolId.IndexOf('_')] : "us-east-1";
}
