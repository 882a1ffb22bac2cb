// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record DescribeUserPoolDomainRequest : ICognitoRequest<DescribeUserPoolDomainResponse>
{
    [Required]
    [StringLength(63, MinimumLength = 1)]
    [RegularExpression(UserPoolDomainNames.Pattern)]
    public string? Domain { get; init; }
}

public sealed record DescribeUserPoolDomainResponse
{
    public DomainDescriptionType? DomainDescription { get; init; }
}
