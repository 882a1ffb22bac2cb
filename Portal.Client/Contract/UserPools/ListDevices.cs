// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

[Unsigned]
public sealed record ListDevicesRequest : ICognitoRequest<ListDevicesResponse>
{
    [Required]
    [RegularExpression(@"[A-Za-z0-9-_=.]+")]
    public string? AccessToken { get; init; }
    [Range(0, 60)]
    public int? Limit { get; init; }
    [MinLength(1)]
    [RegularExpression(@"[\S]+")]
    public string? PaginationToken { get; init; }
}

public sealed record ListDevicesResponse
{
    public List<DeviceType>? Devices { get; init; }
    [MinLength(1)]
    [RegularExpression(@"[\S]+")]
    public string? PaginationToken { get; init; }
}
