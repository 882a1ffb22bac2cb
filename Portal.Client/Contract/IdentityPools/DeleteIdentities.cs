// Cognito Identity API records (AWSCognitoIdentityService), named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.IdentityPools;

[Service(Services.IdentityPools)]
public sealed record DeleteIdentitiesRequest : ICognitoRequest<DeleteIdentitiesResponse>
{
    [Required]
    [Length(1, 60)]
    public List<string>? IdentityIdsToDelete { get; init; }
}

public sealed record DeleteIdentitiesResponse
{
    [MaxLength(60)]
    public List<UnprocessedIdentityId>? UnprocessedIdentityIds { get; init; }
}
