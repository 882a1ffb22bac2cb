namespace Portal.Server.Storage;

/// <summary>A device Cognito tracks for a user (device SRP): made at a sign-in on a pool with a DeviceConfiguration
/// (NewDeviceMetadata), confirmed with its verifier by ConfirmDevice, remembered or not, forgotten with ForgetDevice.</summary>
public sealed class DeviceRow
{
    public required string DeviceKey { get; set; }       // "{region}_{uuid}", as Cognito makes them
    public required string UserPoolId { get; set; }
    public required string UserSub { get; set; }
    public required string DeviceGroupKey { get; set; }  // the user's device group: the "pool name" of device SRP
    public string? SecretVerifier { get; set; }          // "saltHex:verifierHex" once confirmed
    public string? DeviceName { get; set; }
    public bool Remembered { get; set; }
    public string? LastIp { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastModifiedAt { get; set; }
    public DateTimeOffset? LastAuthenticatedAt { get; set; }
}
