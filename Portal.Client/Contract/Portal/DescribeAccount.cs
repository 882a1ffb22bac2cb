// Portal-only extension (not an AWS operation): the AWS account id and region this Portal writes into ARNs, so the portal
// can name a resource the API only takes by ARN (TagResource of an identity pool). X-Amz-Target: PortalAdmin.DescribeAccount.
namespace Portal.Client.Contract;

[Service(PortalServices.Admin)]
public sealed record DescribeAccountRequest : ICognitoRequest<DescribeAccountResponse>
{
}

public sealed record DescribeAccountResponse
{
    public string? AccountId { get; init; }
    public string? Region { get; init; }

    /// <summary>An identity pool's ARN, as Cognito writes it (the region is the pool id's own).</summary>
    public string IdentityPoolArn(string identityPoolId) =>
        $"arn:aws:cognito-identity:{(identityPoolId.Contains(':') ? identityPoolId[..identityPoolId.IndexOf(':')] : Region)}:{AccountId}:identitypool/{identityPoolId}";
}
