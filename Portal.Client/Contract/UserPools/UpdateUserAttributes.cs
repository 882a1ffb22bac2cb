// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record UpdateUserAttributesRequest : ICognitoRequest<UpdateUserAttributesResponse>
{
    [Required]
    public List<AttributeType>? UserAttributes { get; init; }
    [Required]
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? AccessToken { get; init; }
    public Dictionary<string, string>? ClientMetadata { get; init; }
}

public sealed record UpdateUserAttributesResponse
{
    public List<CodeDeliveryDetailsType>? CodeDeliveryDetailsList { get; init; }
}
