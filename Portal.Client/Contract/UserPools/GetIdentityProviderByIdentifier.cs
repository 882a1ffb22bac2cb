// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record GetIdentityProviderByIdentifierRequest : ICognitoRequest<GetIdentityProviderByIdentifierResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(40, MinimumLength = 1)]
    [RegularExpression(@"[\w\s+=.@-]+")]
    public string? IdpIdentifier { get; init; }
}

public sealed record GetIdentityProviderByIdentifierResponse
{
    [Required]
    public IdentityProviderType? IdentityProvider { get; init; }
}
