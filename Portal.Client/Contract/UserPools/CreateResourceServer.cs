// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record CreateResourceServerRequest : ICognitoRequest<CreateResourceServerResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [Required]
    [StringLength(256, MinimumLength = 1)]
    [RegularExpression(@"[\x21\x23-\x5B\x5D-\x7E]+")]
    public string? Identifier { get; init; }
    [Required]
    [StringLength(256, MinimumLength = 1)]
    [RegularExpression(@"[\w\s+=,.@-]+")]
    public string? Name { get; init; }
    [Length(0, 100)]
    public List<ResourceServerScopeType>? Scopes { get; init; }
}

public sealed record CreateResourceServerResponse
{
    [Required]
    public ResourceServerType? ResourceServer { get; init; }
}
