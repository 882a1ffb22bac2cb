// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record ChangePasswordRequest : ICognitoRequest<ChangePasswordResponse>
{
    [StringLength(256, MinimumLength = 0)]
    [RegularExpression(@"[\S]+")]
    public string? PreviousPassword { get; init; }
    [Required]
    [StringLength(256, MinimumLength = 0)]
    [RegularExpression(@"[\S]+")]
    public string? ProposedPassword { get; init; }
    [Required]
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? AccessToken { get; init; }
}

public sealed record ChangePasswordResponse
{
}
