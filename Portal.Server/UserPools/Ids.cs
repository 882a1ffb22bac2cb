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

    public static string RegionOf(string poolId) => poolId.Contains('_') ? poolId[..poolId.IndexOf('_')] : "us-east-1";
}
