namespace Portal.Client.Contract;

/// <summary>A pool domain as Cognito takes it: a prefix (<c>auth</c>) or, with CustomDomainConfig, a fully-qualified name
/// (<c>auth.example.com</c>). The published model's pattern has the prefix alone; the service accepts both.</summary>
public static class UserPoolDomainNames
{
    public const string Prefix = @"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$";
    public const string Pattern = @"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?)*$";
}
