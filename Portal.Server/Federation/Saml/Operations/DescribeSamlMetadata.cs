using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.Federation.Saml.Operations;

/// <summary>Portal-only: reads SAML metadata (a file, or a URL fetched with the same limits as MetadataURL) and says
/// what it holds, so an operator sees the IdP's certificates and endpoints before saving the provider.</summary>
sealed class DescribeSamlMetadata(SamlProviderMetadata metadata) : IOperation<DescribeSamlMetadataRequest, DescribeSamlMetadataResponse>
{
    public async Task<DescribeSamlMetadataResponse> Handle(DescribeSamlMetadataRequest request, CancellationToken ct)
    {
        var details = new Dictionary<string, string>();
        if (request.MetadataFile is not null) details["MetadataFile"] = request.MetadataFile;
        if (request.MetadataURL is not null) details["MetadataURL"] = request.MetadataURL;
        var (read, _) = await metadata.Read(details, keep: false, ct);
        return new DescribeSamlMetadataResponse
        {
            EntityId = read.EntityId, SSORedirectBindingURI = read.SsoRedirectUrl, SSOPostBindingURI = read.SsoPostUrl,
            SLORedirectBindingURI = read.SloRedirectUrl, WantAuthnRequestsSigned = read.WantAuthnRequestsSigned,
            NameIdFormats = read.NameIdFormats.ToList(),
            Certificates = read.SigningCertificates.Select(c => Describe(c, "signing"))
                .Concat(read.EncryptionCertificates.Where(c => !read.SigningCertificates.Contains(c)).Select(c => Describe(c, "encryption"))).ToList(),
        };
    }

    static SamlCertificateType Describe(X509Certificate2 c, string use) => new()
    {
        Use = use, Subject = c.Subject, Issuer = c.Issuer, NotBefore = new DateTimeOffset(c.NotBefore.ToUniversalTime()),
        NotAfter = new DateTimeOffset(c.NotAfter.ToUniversalTime()), Thumbprint = Convert.ToHexString(SHA256.HashData(c.RawData)),
    };
}
