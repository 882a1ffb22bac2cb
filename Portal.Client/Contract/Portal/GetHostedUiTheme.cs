// Portal-only extension (not an AWS operation): reads the hosted UI theme; a client without its own theme
// gets the pool's (ALL), as GetUICustomization does. X-Amz-Target: PortalAdmin.GetHostedUiTheme.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

[Service(PortalServices.Admin)]
public sealed record GetHostedUiThemeRequest : ICognitoRequest<GetHostedUiThemeResponse>
{
    [Required]
    [StringLength(55, MinimumLength = 1)]
    [RegularExpression(@"[\w-]+_[0-9a-zA-Z]+")]
    public string? UserPoolId { get; init; }
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w+]+")]
    public string? ClientId { get; init; }
}

public sealed record GetHostedUiThemeResponse
{
    public HostedUiThemeType? HostedUiTheme { get; init; }
}
