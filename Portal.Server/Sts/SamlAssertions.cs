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

    /// <summary>The roles the IdP lets the user take: each value of AWS's Role attribute is a pair "role-arn,provider-arn"
    /// written in either order (AWS accepts both); values that are not such a pair are ignored.</summary>
    public IReadOnlyList<(string RoleArn, string ProviderArn)> Roles()
    {
        var pairs = new List<(string, string)>();
        foreach (var value in Assertion.Values.GetValueOrDefault(SamlAssertions.RoleAttribute) ?? [])
        {
            var parts = value.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length != 2) continue;
            static bool IsRole(string arn) => arn.StartsWith("arn:", StringComparison.Ordinal) && arn.Contains(":role/", StringComparison.Ordinal);
            static bool IsProvider(string arn) => arn.StartsWith("arn:", StringComparison.Ordinal) && arn.Contains(":saml-provider/", StringComparison.Ordinal);
            if (IsRole(parts[0]) && IsProvider(parts[1])) pairs.Add((parts[0], parts[1]));
            else if (IsProvider(parts[0]) && IsRole(parts[1])) pairs.Add((parts[1], parts[0]));
        }
        return pairs;
    }

    /// <summary>The roles the assertion offers with this assertion's provider.</summary>
    public IReadOnlyList<string> RolesOfProvider() => [.. Roles().Where(p => p.ProviderArn == ProviderArn).Select(p => p.RoleArn).Distinct()];
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

    /// <summary>Uses the assertion once: its issuer and id are kept until it expires, by the primary key of the replay
    /// guards (an insert, never a check followed by an insert), so the same assertion twice, even at the same moment,
    /// gets credentials once. Runs in the operation's transaction: an operation that fails does not use it up.</summary>
    public async Task Once(VerifiedSamlAssertion verified, PortalDb db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var assertion = verified.Assertion;
        var key = "sts-saml:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(assertion.Issuer + "\n" + assertion.Id)));
        await db.ReplayGuards.Where(g => g.Key.StartsWith("sts-saml:") && g.ExpiresAt < now).ExecuteDeleteAsync(ct);
        db.ReplayGuards.Add(new ReplayGuardRow { Key = key, ExpiresAt = (assertion.ExpiresAt > now ? assertion.ExpiresAt : now) + SamlResponses.ClockSkew });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw new InvalidIdentityTokenException("The SAML assertion has already been used.");
        }
    }
}
