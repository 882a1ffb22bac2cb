using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.HostedUi;

/// <summary>A pool with a hosted-UI domain, two sample OIDC apps (public and confidential clients) and a browser.</summary>
public sealed class HostedUiFixture : IAsyncLifetime
{
    public PortalServer Server { get; } = new HostedUiServer();

    /// <summary>Also serves pool domains host-based under auth.portal.test.</summary>
    sealed class HostedUiServer : PortalServer
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Portal:HostedUi:AuthDomain"] = "auth.portal.test" };
    }
    public Browser Browser { get; } = new();
    public ICognito Cognito => Server.Services.GetRequiredService<global::Portal.Server.Engine.Dispatcher>();
    public string PoolId { get; private set; } = "";
    public string Domain { get; } = "hosted-" + Guid.NewGuid().ToString("n")[..8];
    public SampleOidcApp App { get; private set; } = null!;
    public SampleOidcApp SecondApp { get; private set; } = null!;
    public string ClientId { get; private set; } = "";
    public string SecondClientId { get; private set; } = "";
    public string Issuer => $"{Server.BaseUrl}/{PoolId}";

    public async Task InitializeAsync()
    {
        await Browser.InitializeAsync();
        var pool = await Cognito.Send(new CreateUserPoolRequest
        {
            PoolName = "hosted-ui", UsernameAttributes = ["email"], AutoVerifiedAttributes = ["email"],
            Schema = [new SchemaAttributeType { Name = "email", Required = true }],
        });
        PoolId = pool.UserPool!.Id!;
        await Cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = PoolId, Domain = Domain });

        // The apps' ports must be known before their clients are registered with exact callback URLs.
        var first = await CreateClient("sample-app", secret: false);
        var second = await CreateClient("second-app", secret: true);
        App = await SampleOidcApp.Start(Issuer, first.ClientId!, null, $"{Server.BaseUrl}/{Domain}/logout");
        SecondApp = await SampleOidcApp.Start(Issuer, second.ClientId!, second.ClientSecret, $"{Server.BaseUrl}/{Domain}/logout");
        await Register(first, App);
        await Register(second, SecondApp);
        (ClientId, SecondClientId) = (first.ClientId!, second.ClientId!);
    }

    async Task<UserPoolClientType> CreateClient(string name, bool secret) =>
        (await Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = PoolId, ClientName = name, GenerateSecret = secret, AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email", "profile"], SupportedIdentityProviders = ["COGNITO"],
            CallbackURLs = ["http://localhost/placeholder"],
        })).UserPoolClient!;

    Task Register(UserPoolClientType client, SampleOidcApp app) => Cognito.Send(new UpdateUserPoolClientRequest
    {
        UserPoolId = PoolId, ClientId = client.ClientId, ClientName = client.ClientName, AllowedOAuthFlows = ["code"],
        AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthScopes = ["openid", "email", "profile"], SupportedIdentityProviders = ["COGNITO"],
        CallbackURLs = [app.CallbackUrl], LogoutURLs = [app.SignedOutUrl],
    });

    /// <summary>A confirmed user with a permanent password.</summary>
    public async Task<string> User(string password = "Correct-Horse-9")
    {
        var email = $"user-{Guid.NewGuid().ToString("n")[..8]}@example.com";
        await Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = PoolId, Username = email, MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = email }, new() { Name = "email_verified", Value = "true" }],
        });
        await Cognito.Send(new AdminSetUserPasswordRequest { UserPoolId = PoolId, Username = email, Password = password, Permanent = true });
        return email;
    }

    /// <summary>The last message the pool sent to <paramref name="destination"/>, as the outbox recorded it.</summary>
    public async Task<string> LastMessageTo(string destination)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var message = await db.Outbox.Where(m => m.Destination == destination).OrderByDescending(m => m.CreatedAt).FirstOrDefaultAsync();
        return message?.Body ?? throw new InvalidOperationException($"No message to {destination} in the outbox.");
    }

    public static string CodeIn(string message) => System.Text.RegularExpressions.Regex.Match(message, @"\b\d{6}\b").Value;

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await SecondApp.DisposeAsync();
        await Browser.DisposeAsync();
        await Server.DisposeAsync();
    }
}
