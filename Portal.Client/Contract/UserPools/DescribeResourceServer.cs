// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record DescribeResourceServerRequest : ICognitoRequest<DescribeResourceServerResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(256, MinimumLength = 1)]
    [RegularExpression(@"[\x21\x23-\x5B\x5D-\x7E]+")]
    public string? Identifier { get; init; }
}

public sealed record DescribeResourceServerResponse
{
    [Required]
    public ResourceServerType? ResourceServer { get; init; }
}
