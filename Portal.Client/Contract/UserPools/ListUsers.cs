// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record ListUsersRequest : ICognitoRequest<ListUsersResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    public List<string>? AttributesToGet { get; init; }
    [Range(0, 60)]
    public int? Limit { get; init; }
    [MinLength(1)]
    [RegularExpression(@"[\S]+")]
    public string? PaginationToken { get; init; }
    [StringLength(256, MinimumLength = 0)]
    public string? Filter { get; init; }
}

public sealed record ListUsersResponse
{
    public List<UserType>? Users { get; init; }
    [MinLength(1)]
    [RegularExpression(@"[\S]+")]
    public string? PaginationToken { get; init; }
}
