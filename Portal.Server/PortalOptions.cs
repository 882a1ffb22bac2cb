namespace Portal.Server;

/// <summary>The <c>Portal</c> section of appsettings.json (env: <c>Portal__Key</c>).</summary>
public sealed class PortalOptions
{
    /// <summary>The URL users and apps reach Portal at; token issuers are <c>{PublicBaseUrl}/{poolId}</c>.</summary>
    public string? PublicBaseUrl { get; set; }
    public string Region { get; set; } = "us-east-1";
    public string AccountId { get; set; } = "000000000000";
    /// <summary>User-pool tokens name Cognito's issuer, <c>https://cognito-idp.{region}.amazonaws.com/{poolId}</c>, for services
    /// that verify them as Cognito's (aws-jwt-verify, a hard-coded issuer); discovery and JWKS stay at Portal's URL.</summary>
    public bool CognitoIssuer { get; set; }
    public BootstrapOptions Bootstrap { get; set; } = new();
}

public sealed class BootstrapOptions
{
    public bool Enabled { get; set; } = true;
    public string AdminUsername { get; set; } = "admin";
    /// <summary>When empty, a password is generated and printed once on first start.</summary>
    public string? AdminPassword { get; set; }
    public string AdminEmail { get; set; } = "admin@portal.local";
    public bool DemoPool { get; set; } = true;
    /// <summary>For crash tests only: the process kills itself (SIGKILL) once the administration pool is made, holding the
    /// start-up lock with the bootstrap half done.</summary>
    public bool KillAfterAdminPool { get; set; }
}
