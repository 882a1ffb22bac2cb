// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record GetDeviceRequest : ICognitoRequest<GetDeviceResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-f-]+")]
    public string? DeviceKey { get; init; }
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? AccessToken { get; init; }
}

public sealed record GetDeviceResponse
{
    public DeviceType? Device { get; init; }
}
