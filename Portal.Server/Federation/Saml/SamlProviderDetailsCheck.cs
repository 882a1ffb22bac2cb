using Portal.Client.Contract;

namespace Portal.Server.Federation.Saml;

/// <summary>ProviderDetails of a SAML provider on Create/UpdateIdentityProvider: the metadata is read (fetched for a
/// MetadataURL) and refused when bad; the endpoints it names are added as Cognito does (SSORedirectBindingURI,
/// SLORedirectBindingURI).</summary>
public sealed class SamlProviderDetailsCheck(SamlProviderMetadata metadata) : IProviderDetailsCheck
{
    public string ProviderType => "SAML";

    static readonly string[] Flags = ["IDPSignout", "IDPInit", "EncryptedResponses"];
    static readonly string[] Computed = ["SSORedirectBindingURI", "SLORedirectBindingURI", "ActiveEncryptionCertificate"];

    public async Task<Dictionary<string, string>> Check(Dictionary<string, string> details, CancellationToken ct)
    {
        // Computed keys sent back from a Describe are recomputed, never trusted.
        var result = details.Where(d => !Computed.Contains(d.Key)).ToDictionary(d => d.Key, d => d.Value);
        foreach (var flag in Flags)
            if (result.TryGetValue(flag, out var value) && value is not ("true" or "false"))
                throw new InvalidParameterException($"{flag} must be true or false.", $"providerDetails.{flag}");
        if (result.TryGetValue("RequestSigningAlgorithm", out var algorithm) && algorithm != "rsa-sha256")
            throw new InvalidParameterException("RequestSigningAlgorithm must be rsa-sha256.", "providerDetails.RequestSigningAlgorithm");
        if (result.TryGetValue("MetadataURL", out var url)) result["MetadataURL"] = url.Trim();

        var (read, _) = await metadata.Read(result, keep: true, ct);
        result["SSORedirectBindingURI"] = read.SsoRedirectUrl!;
        if (read.SloRedirectUrl is not null) result["SLORedirectBindingURI"] = read.SloRedirectUrl;
        if (result.GetValueOrDefault("IDPSignout") == "true" && read.SloRedirectUrl is null)
            throw new InvalidParameterException("IDPSignout needs a SingleLogoutService with the HTTP-Redirect binding in the metadata.", "providerDetails.IDPSignout");
        return result;
    }
}
