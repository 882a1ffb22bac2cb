// STS API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Sts;

[Service("sts")]
public sealed record GetCallerIdentityRequest : ICognitoRequest<GetCallerIdentityResponse>
{
}

public sealed record GetCallerIdentityResponse
{
    public string? UserId { get; init; }
    public string? Account { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\uD800-\uDFFF]+")]
    public string? Arn { get; init; }
}
