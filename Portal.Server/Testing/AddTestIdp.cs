using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Testing;

public sealed record AddTestIdpRequest : ICognitoRequest<AddTestIdpResponse>
{
    public string? UserPoolId { get; init; }
    /// <summary>The app client whose hosted sign-in offers the test IdP (optional: then only the provider is added).</summary>
    public string? ClientId { get; init; }
    /// <summary>The provider's name in the pool (the hosted UI's button); default <c>TestIdP</c>.</summary>
    public string? ProviderName { get; init; }
}

public sealed record AddTestIdpResponse
{
    public string? ProviderName { get; init; }
    public string? Issuer { get; init; }
    /// <summary>The pool's client id at the test IdP.</summary>
    public string? IdpClientId { get; init; }
}

/// <summary>Adds the built-in test IdP (<see cref="TestIdp"/>) to a pool as an ordinary OIDC identity provider (issuer at
/// Portal's URL; email, name and email_verified mapped) through CreateIdentityProvider, or refreshes its details through
/// UpdateIdentityProvider when the pool has it already, and lists it among the app client's supported providers.</summary>
sealed class AddTestIdp(PortalDb db, UserPoolStore pools, AppClientStore clients, Dispatcher dispatcher, TestIdp idp, IOptions<TestingOptions> options)
    : IOperation<AddTestIdpRequest, AddTestIdpResponse>
{
    public const string DefaultName = "TestIdP";

    public async Task<AddTestIdpResponse> Handle(AddTestIdpRequest request, CancellationToken ct)
    {
        if (!options.Value.Enabled) throw new InvalidParameterException("Testing mode is off.");
        var pool = await pools.Get(request.UserPoolId, ct);
        var id = pool.Row.Id;
        var client = request.ClientId is null ? null : await clients.Get(id, request.ClientId, ct);
        var name = string.IsNullOrWhiteSpace(request.ProviderName) ? DefaultName : request.ProviderName.Trim();
        var details = await idp.ProviderDetails(id, ct);
        var mapping = new Dictionary<string, string> { ["email"] = "email", ["email_verified"] = "email_verified", ["name"] = "name" };
        if (await db.IdentityProviders.AsNoTracking().AnyAsync(p => p.UserPoolId == id && p.ProviderName == name, ct))
            await dispatcher.Send(new UpdateIdentityProviderRequest { UserPoolId = id, ProviderName = name, ProviderDetails = details, AttributeMapping = mapping }, ct);
        else
            await dispatcher.Send(new CreateIdentityProviderRequest
            {
                UserPoolId = id, ProviderName = name, ProviderType = "OIDC", ProviderDetails = details, AttributeMapping = mapping,
            }, ct);
        if (client is not null && !(client.Settings.SupportedIdentityProviders ?? []).Contains(name))
        {
            AppClientStore.Write(client.Row, client.Settings with { SupportedIdentityProviders = [.. client.Settings.SupportedIdentityProviders ?? [], name] });
            await db.SaveChangesAsync(ct);
        }
        return new AddTestIdpResponse { ProviderName = name, Issuer = idp.IssuerUrl, IdpClientId = TestIdp.ClientIdFor(id) };
    }
}
