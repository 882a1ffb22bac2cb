// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record AdminLinkProviderForUserRequest : ICognitoRequest<AdminLinkProviderForUserResponse>
{
    [Required]
    [StringLength(131072, MinimumLength = 0)]
    public string? UserPoolId { get; init; }
    [Required]
    public ProviderUserIdentifierType? DestinationUser { get; init; }
    [Required]
    public ProviderUserIdentifierType? SourceUser { get; init; }
}

public sealed record AdminLinkProviderForUserResponse
{
}
