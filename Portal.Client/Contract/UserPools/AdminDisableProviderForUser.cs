// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record AdminDisableProviderForUserRequest : ICognitoRequest<AdminDisableProviderForUserResponse>
{
    [Required]
    [StringLength(131072, MinimumLength = 0)]
    public string? UserPoolId { get; init; }
    [Required]
    public ProviderUserIdentifierType? User { get; init; }
}

public sealed record AdminDisableProviderForUserResponse
{
}
