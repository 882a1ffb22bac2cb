// Portal-only extension (not an AWS operation): what a SAML IdP's metadata says, for the portal's Federation page
// before the provider is saved (the same checks Create/UpdateIdentityProvider make).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

[Service(PortalServices.Admin)]
public sealed record DescribeSamlMetadataRequest : ICognitoRequest<DescribeSamlMetadataResponse>
{
    /// <summary>The metadata document (XML), as ProviderDetails MetadataFile.</summary>
    [StringLength(1048576, MinimumLength = 1)]
    public string? MetadataFile { get; init; }
    /// <summary>Where to fetch the metadata, as ProviderDetails MetadataURL.</summary>
    [StringLength(2048, MinimumLength = 1)]
    public string? MetadataURL { get; init; }
}

public sealed record DescribeSamlMetadataResponse
{
    public string? EntityId { get; init; }
    public string? SSORedirectBindingURI { get; init; }
    public string? SSOPostBindingURI { get; init; }
    public string? SLORedirectBindingURI { get; init; }
    public bool? WantAuthnRequestsSigned { get; init; }
    public List<string>? NameIdFormats { get; init; }
    public List<SamlCertificateType>? Certificates { get; init; }
}

public sealed record SamlCertificateType
{
    /// <summary>signing or encryption.</summary>
    public string? Use { get; init; }
    public string? Subject { get; init; }
    public string? Issuer { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
    public DateTimeOffset? NotAfter { get; init; }
    /// <summary>SHA-256 of the certificate, hex.</summary>
    public string? Thumbprint { get; init; }
}
