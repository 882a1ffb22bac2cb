// Cognito API records, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

public sealed record UntagResourceRequest : ICognitoRequest<UntagResourceResponse>
{
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?")]
    public string? ResourceArn { get; init; }
    [Required]
    public List<string>? TagKeys { get; init; }
}

public sealed record UntagResourceResponse
{
}
