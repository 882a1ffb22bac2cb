using Portal.Server.Storage;

namespace Portal.Server.Federation;

/// <summary>The SAML side of <c>/{domain}/federation/start</c>: sends the user to the SAML provider with the
/// protected <see cref="FederationRequest"/> as RelayState (implemented under Federation/Saml).</summary>
public interface ISamlSignIn
{
    Task<IResult> Start(HttpContext http, IdentityProviderRow provider, string protectedRequest, CancellationToken ct);

    /// <summary>Where <see cref="Start"/> sends the browser (the IdP's single sign-on URL), or null when its metadata cannot be read.</summary>
    Task<string?> SignInUrl(IdentityProviderRow provider, CancellationToken ct);
}
