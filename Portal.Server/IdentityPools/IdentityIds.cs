namespace Portal.Server.IdentityPools;

/// <summary>Identity pool and identity ids as Cognito makes them: <c>{region}:{uuid}</c>; pool ARNs.</summary>
public sealed class IdentityIds(Microsoft.Extensions.Options.IOptions<PortalOptions> options)
{
    public string Region => options.Value.Region;
    public string AccountId => options.Value.AccountId;

    public string NewIdentityPoolId() => $"{Region}:{Guid.NewGuid()}";

    public string NewIdentityId() => $"{Region}:{Guid.NewGuid()}";

    public string IdentityPoolArn(string identityPoolId) =>
        $"arn:aws:cognito-identity:{RegionOf(identityPoolId)}:{AccountId}:identitypool/{identityPoolId}";

    /// <summary>The pool id of <c>arn:aws:cognito-identity:{region}:{account}:identitypool/{id}</c> in this account; null otherwise.</summary>
    public string? IdentityPoolIdOf(string? arn)
    {
        var parts = (arn ?? "").Split(':', 6);
        if (parts is not ["arn", "aws", "cognito-identity", _, var account, var resource]) return null;
        if (account != AccountId || !resource.StartsWith("identitypool/", StringComparison.Ordinal)) return null;
        var id = resource["identitypool/".Length..];
        return id.Length > 0 ? id : null;
    }

    public static string RegionOf(string id) => id.Contains(':') ? id[..id.IndexOf(':')] : "us-east-1";
}
