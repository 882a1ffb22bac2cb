using Portal.Server.HostedUi;

namespace Portal.Server.Federation;

/// <summary>SAML single logout from the hosted UI's <c>/logout</c> (implemented under Federation/Saml).</summary>
public interface ISamlSignOut
{
    /// <summary>Sends the user to the IdP with a LogoutRequest when the provider signs out at the IdP too (IDPSignout);
    /// null when it does not. <paramref name="continueTo"/> is where the user goes once the IdP answers.</summary>
    Task<IResult?> Start(HttpContext http, string domain, string userPoolId, SsoSession.SamlSession saml, string continueTo, CancellationToken ct);
}
