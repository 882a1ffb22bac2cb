// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record ListUserPoolClientsRequest : ICognitoRequest<ListUserPoolClientsResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Range(1, 60)]
    public int? MaxResults { get; init; }
    [StringLength(131072, MinimumLength = 1)]
    [RegularExpression(@"[\S]+")]
    public string? NextToken { get; init; }
}

public sealed record ListUserPoolClientsResponse
{
    public List<UserPoolClientDescription>? UserPoolClients { get; init; }
    [StringLength(131072, MinimumLength = 1)]
    [RegularExpression(@"[\S]+")]
    public string? NextToken { get; init; }
}
