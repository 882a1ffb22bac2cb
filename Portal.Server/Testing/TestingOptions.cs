namespace Portal.Server.Testing;

/// <summary><c>Portal:Testing</c>: testing mode for apps' end-to-end suites (the mailbox, pool reset and clone, seeding,
/// session minting under <c>/_portal/testing/</c>, LocalStack's <c>/_aws/ses</c> and <c>/_aws/sns/sms-messages</c>).</summary>
public sealed class TestingOptions
{
    /// <summary>On by default in Development (appsettings.Development.json), off otherwise.</summary>
    public bool Enabled { get; set; }

    /// <summary>Production refuses to start with testing mode on unless this says so explicitly.</summary>
    public bool AllowInProduction { get; set; }

    /// <summary>A bearer token that opens the endpoints to non-loopback clients (CI runners in another container);
    /// empty: only loopback clients and administrators' SigV4 keys.</summary>
    public string? Token { get; set; }

    /// <summary>Opt-in: pools created in testing mode hash passwords at Argon2id's minimum cost (see <see cref="FastHashing"/>).</summary>
    public bool FastPasswordHashing { get; set; }
}
