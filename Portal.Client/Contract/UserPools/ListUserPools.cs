// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record ListUserPoolsRequest : ICognitoRequest<ListUserPoolsResponse>
{
    [MinLength(1)]
    [RegularExpression(@"[\S]+")]
    public string? NextToken { get; init; }
    [Required]
    [Range(1, 60)]
    public int? MaxResults { get; init; }
}

public sealed record ListUserPoolsResponse
{
    public List<UserPoolDescriptionType>? UserPools { get; init; }
    [MinLength(1)]
    [RegularExpression(@"[\S]+")]
    public string? NextToken { get; init; }
}
