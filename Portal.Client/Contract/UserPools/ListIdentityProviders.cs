// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record ListIdentityProvidersRequest : ICognitoRequest<ListIdentityProvidersResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Range(0, 60)]
    public int? MaxResults { get; init; }
    [MinLength(1)]
    [RegularExpression(@"[\S]+")]
    public string? NextToken { get; init; }
}

public sealed record ListIdentityProvidersResponse
{
    [Required]
    [Length(0, 50)]
    public List<ProviderDescription>? Providers { get; init; }
    [MinLength(1)]
    [RegularExpression(@"[\S]+")]
    public string? NextToken { get; init; }
}
