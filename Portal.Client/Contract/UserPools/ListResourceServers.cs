// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record ListResourceServersRequest : ICognitoRequest<ListResourceServersResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Range(1, 50)]
    public int? MaxResults { get; init; }
    [MinLength(1)]
    [RegularExpression(@"[\S]+")]
    public string? NextToken { get; init; }
}

public sealed record ListResourceServersResponse
{
    [Required]
    public List<ResourceServerType>? ResourceServers { get; init; }
    [MinLength(1)]
    [RegularExpression(@"[\S]+")]
    public string? NextToken { get; init; }
}
