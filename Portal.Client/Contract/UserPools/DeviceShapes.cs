// Cognito API shapes, named and shaped as AWS names them.
namespace Portal.Client.Contract;

public sealed record DeviceType
{
    public string? DeviceKey { get; init; }
    public List<AttributeType>? DeviceAttributes { get; init; }
    public DateTimeOffset? DeviceCreateDate { get; init; }
    public DateTimeOffset? DeviceLastModifiedDate { get; init; }
    public DateTimeOffset? DeviceLastAuthenticatedDate { get; init; }
}

public sealed record DeviceSecretVerifierConfigType
{
    public string? PasswordVerifier { get; init; }
    public string? Salt { get; init; }
}
