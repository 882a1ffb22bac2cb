// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record VerifyUserAttributeRequest : ICognitoRequest<VerifyUserAttributeResponse>
{
    [Required]
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? AccessToken { get; init; }
    [Required]
    [StringLength(32, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+")]
    public string? AttributeName { get; init; }
    [Required]
    [StringLength(2048, MinimumLength = 1)]
    [RegularExpression(@"[\S]+")]
    public string? Code { get; init; }
}

public sealed record VerifyUserAttributeResponse
{
}
