// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record CreateUserPoolDomainRequest : ICognitoRequest<CreateUserPoolDomainResponse>
{
    [Required]
    [StringLength(63, MinimumLength = 1)]
    [RegularExpression(UserPoolDomainNames.Pattern)]
    public string? Domain { get; init; }
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    public int? ManagedLoginVersion { get; init; }
    public CustomDomainConfigType? CustomDomainConfig { get; init; }
}

public sealed record CreateUserPoolDomainResponse
{
    public int? ManagedLoginVersion { get; init; }
    [StringLength(63, MinimumLength = 1)]
    [RegularExpression(UserPoolDomainNames.Pattern)]
    public string? CloudFrontDomain { get; init; }
}
