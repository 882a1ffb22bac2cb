// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record AssociateSoftwareTokenRequest : ICognitoRequest<AssociateSoftwareTokenResponse>
{
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? AccessToken { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    public string? Session { get; init; }
}

public sealed record AssociateSoftwareTokenResponse
{
    [StringLength(int.MaxValue, MinimumLength = 16)]
    [RegularExpression(@"[A-Za-z0-9]+")]
    public string? SecretCode { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    public string? Session { get; init; }
}
