using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract.Sts;
using Portal.Server.Federation.Saml;
using Portal.Server.Storage;

namespace Portal.Server.Sts;

/// <summary>A SAML assertion an IAM SAML provider's IdP signed for AWS: who it names and what it says.</summary>
public sealed record VerifiedSamlAssertion(string ProviderArn, SamlAssertion Assertion, string SubjectType, string NameQualifier)
{
    public string? Attribute(string name) => Assertion.Attributes.GetValueOrDefault(name);
}

/// <summary>
/// Verifies the base64 SAML responses AssumeRoleWithSAML and identity pools' SAML logins take, as AWS does: signed by a
/// key of the IAM SAML provider's metadata (Portal's SAML reader: signature over exactly the assertion read, no
/// wrapping), issued by its entity, for AWS's service provider (<c>urn:amazon:webservices</c>) at its ACS
/// (<c>https://signin.aws.amazon.com/saml</c>), unsolicited (IdP-initiated) and fresh.
/// </summary>
public sealed class SamlAssertions(TimeProvider clock)
{
    public const string Audience = "urn:amazon:webservices";
    public const string Recipient = "https://signin.aws.amazon.com/saml";
    public const string RoleAttribute = "https://aws.amazon.com/SAML/Attributes/Role";
    public const string RoleSessionNameAttribute = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";

    public async Task<VerifiedSamlAssertion> Verify(string providerArn, string samlResponse, PortalDb db, CancellationToken ct)
    {
        var provider = await db.IamSamlProviders.AsNoTracking().FirstOrDefaultAsync(p => p.Arn == providerArn, ct)
                       ?? throw new InvalidIdentityTokenException($"No SAML provider {providerArn} found in your account.");
        var now = clock.GetUtcNow();
        if (provider.ValidUntil is { } until && until <= now) throw new InvalidIdentityTokenException("The SAML provider's metadata is no longer valid.");
        SamlMetadata metadata;
        try
        {
            metadata = SamlMetadata.Parse(provider.MetadataDocument, now);
        }
        catch (Exception e) when (e is System.Xml.XmlException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidIdentityTokenException("The SAML provider's metadata cannot be read.");
        }
        SamlAssertion assertion;
        try
        {
            assertion = new SamlResponses(clock).Read(samlResponse, new SamlExpectations
            {
                Idp = metadata, Audience = Audience, AcsUrls = [Recipient], IdpInitiated = true,
            });
        }
        catch (SamlResponseRefused e)
        {
            throw e.Kind switch
            {
                SamlResponseRefused.Problem.Expired => new ExpiredTokenException("Token is expired."),
                SamlResponseRefused.Problem.Status => new IdpRejectedClaimException("The SAML response is not a successful authentication."),
                SamlResponseRefused.Problem.Misaddressed => new InvalidIdentityTokenException("The SAML assertion is not addressed to this service."),
                _ => new InvalidIdentityTokenException("Specified provider doesn't match the issuer of the SAML assertion or its signature."),
            };
        }
        var subjectType = assertion.NameIdFormat switch
        {
            "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" => "persistent",
            "urn:oasis:names:tc:SAML:2.0:nameid-format:transient" => "transient",
            { Length: > 0 } format => format,
            _ => "unspecified",
        };
        // AWS: BASE64(SHA1(issuer + account id + "/" + provider name)).
        var account = providerArn.Split(':') is { Length: >= 6 } parts ? parts[4] : "";
#pragma warning disable CA5350 // AWS defines the name qualifier with SHA-1; it identifies, it protects nothing.
        var qualifier = Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(assertion.Issuer + account + "/" + provider.Name)));
#pragma warning restore CA5350
        return new VerifiedSamlAssertion(provider.Arn, assertion, subjectType, qualifier);
    }
}
