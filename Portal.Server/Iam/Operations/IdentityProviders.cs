using System.Xml;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract.Iam;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.Iam.Operations;

// IAM's OpenID Connect and SAML identity providers: the issuers whose tokens AssumeRoleWithWebIdentity (and identity
// pools) accept. An OIDC provider's ARN names its URL without the scheme, so the primary key makes it unique.

sealed class CreateOpenIDConnectProvider(IamStore iam, TimeProvider clock) : IOperation<CreateOpenIDConnectProviderRequest, CreateOpenIDConnectProviderResponse>
{
    public async Task<CreateOpenIDConnectProviderResponse> Handle(CreateOpenIDConnectProviderRequest request, CancellationToken ct)
    {
        var url = request.Url!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment)
            || !string.IsNullOrEmpty(uri.UserInfo))
            throw new ValidationErrorException("Invalid Open ID Connect Provider URL");
        var clients = request.ClientIDList ?? [];
        if (clients.Count > 100) throw new IamLimitExceededException("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100");
        if (clients.Any(c => c.Length is 0 or > 255)) throw new ValidationErrorException("Each client ID must have between 1 and 255 characters.");
        var thumbprints = request.ThumbprintList ?? [];
        if (thumbprints.Count > 5) throw new IamLimitExceededException("Thumbprint list must contain at most 5 entries.");
        if (thumbprints.Any(t => t.Length != 40 || !t.All(char.IsAsciiHexDigit))) throw new ValidationErrorException("Each thumbprint must be 40 hexadecimal characters.");
        IamStore.ValidateTags(request.Tags);
        var withoutScheme = url["https://".Length..].TrimEnd('/');
        var arn = iam.OidcProviderArn(withoutScheme);
        if (await iam.Db.IamOidcProviders.AnyAsync(p => p.Arn == arn, ct))
            throw new EntityAlreadyExistsException($"Provider with url {url} already exists.");
        iam.Db.IamOidcProviders.Add(new IamOidcProviderRow
        {
            Arn = arn,
            Url = "https://" + withoutScheme,
            ClientIds = IamStore.StringsJson(clients.Distinct(StringComparer.Ordinal)),
            Thumbprints = IamStore.StringsJson(thumbprints.Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal)),
            CreatedAt = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds()),
            Tags = IamStore.TagsJson(request.Tags),
        });
        try
        {
            await iam.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new EntityAlreadyExistsException($"Provider with url {url} already exists.");
        }
        return new CreateOpenIDConnectProviderResponse { OpenIDConnectProviderArn = arn, Tags = request.Tags is { Count: > 0 } ? request.Tags : null };
    }
}

sealed class GetOpenIDConnectProvider(IamStore iam) : IOperation<GetOpenIDConnectProviderRequest, GetOpenIDConnectProviderResponse>
{
    public async Task<GetOpenIDConnectProviderResponse> Handle(GetOpenIDConnectProviderRequest request, CancellationToken ct)
    {
        var row = await iam.Db.IamOidcProviders.AsNoTracking().FirstOrDefaultAsync(p => p.Arn == request.OpenIDConnectProviderArn, ct)
                  ?? throw new NoSuchEntityException($"OpenIDConnect Provider not found for arn {request.OpenIDConnectProviderArn}");
        return new GetOpenIDConnectProviderResponse
        {
            // IAM answers the URL without its scheme.
            Url = row.Url["https://".Length..],
            ClientIDList = IamStore.Strings(row.ClientIds),
            ThumbprintList = IamStore.Strings(row.Thumbprints),
            CreateDate = row.CreatedAt,
            Tags = IamStore.Tags(row.Tags) is { Count: > 0 } tags ? tags : null,
        };
    }
}

sealed class ListOpenIDConnectProviders(IamStore iam) : IOperation<ListOpenIDConnectProvidersRequest, ListOpenIDConnectProvidersResponse>
{
    public async Task<ListOpenIDConnectProvidersResponse> Handle(ListOpenIDConnectProvidersRequest request, CancellationToken ct)
    {
        var arns = await iam.Db.IamOidcProviders.AsNoTracking().OrderBy(p => p.Arn).Select(p => p.Arn).ToListAsync(ct);
        return new ListOpenIDConnectProvidersResponse { OpenIDConnectProviderList = [.. arns.Select(a => new OpenIDConnectProviderListEntry { Arn = a })] };
    }
}

sealed class DeleteOpenIDConnectProvider(IamStore iam) : IOperation<DeleteOpenIDConnectProviderRequest, DeleteOpenIDConnectProviderResponse>
{
    public async Task<DeleteOpenIDConnectProviderResponse> Handle(DeleteOpenIDConnectProviderRequest request, CancellationToken ct)
    {
        if (await iam.Db.IamOidcProviders.Where(p => p.Arn == request.OpenIDConnectProviderArn).ExecuteDeleteAsync(ct) == 0)
            throw new NoSuchEntityException($"OpenIDConnect Provider not found for arn {request.OpenIDConnectProviderArn}");
        return new DeleteOpenIDConnectProviderResponse();
    }
}

sealed class CreateSAMLProvider(IamStore iam, TimeProvider clock) : IOperation<CreateSAMLProviderRequest, CreateSAMLProviderResponse>
{
    public async Task<CreateSAMLProviderResponse> Handle(CreateSAMLProviderRequest request, CancellationToken ct)
    {
        IamStore.ValidateTags(request.Tags);
        var validUntil = SamlMetadata.ValidUntil(request.SAMLMetadataDocument!);
        var arn = iam.SamlProviderArn(request.Name!);
        if (await iam.Db.IamSamlProviders.AnyAsync(p => p.Name == request.Name, ct))
            throw new EntityAlreadyExistsException($"SAMLProvider {request.Name} already exists");
        var now = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds());
        iam.Db.IamSamlProviders.Add(new IamSamlProviderRow
        {
            Arn = arn,
            Name = request.Name!,
            MetadataDocument = request.SAMLMetadataDocument!,
            SamlProviderUuid = "p-" + Guid.NewGuid().ToString("n")[..20],
            CreatedAt = now,
            ValidUntil = validUntil ?? now.AddYears(100),
            Tags = IamStore.TagsJson(request.Tags),
        });
        try
        {
            await iam.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new EntityAlreadyExistsException($"SAMLProvider {request.Name} already exists");
        }
        return new CreateSAMLProviderResponse { SAMLProviderArn = arn, Tags = request.Tags is { Count: > 0 } ? request.Tags : null };
    }
}

sealed class GetSAMLProvider(IamStore iam) : IOperation<GetSAMLProviderRequest, GetSAMLProviderResponse>
{
    public async Task<GetSAMLProviderResponse> Handle(GetSAMLProviderRequest request, CancellationToken ct)
    {
        var row = await iam.Db.IamSamlProviders.AsNoTracking().FirstOrDefaultAsync(p => p.Arn == request.SAMLProviderArn, ct)
                  ?? throw new NoSuchEntityException($"Manifest not found for arn {request.SAMLProviderArn}");
        return new GetSAMLProviderResponse
        {
            SAMLMetadataDocument = row.MetadataDocument,
            CreateDate = row.CreatedAt,
            ValidUntil = row.ValidUntil,
            Tags = IamStore.Tags(row.Tags) is { Count: > 0 } tags ? tags : null,
        };
    }
}

sealed class ListSAMLProviders(IamStore iam) : IOperation<ListSAMLProvidersRequest, ListSAMLProvidersResponse>
{
    public async Task<ListSAMLProvidersResponse> Handle(ListSAMLProvidersRequest request, CancellationToken ct)
    {
        var rows = await iam.Db.IamSamlProviders.AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct);
        return new ListSAMLProvidersResponse
        {
            SAMLProviderList = [.. rows.Select(r => new SAMLProviderListEntry { Arn = r.Arn, ValidUntil = r.ValidUntil, CreateDate = r.CreatedAt })],
        };
    }
}

sealed class DeleteSAMLProvider(IamStore iam) : IOperation<DeleteSAMLProviderRequest, DeleteSAMLProviderResponse>
{
    public async Task<DeleteSAMLProviderResponse> Handle(DeleteSAMLProviderRequest request, CancellationToken ct)
    {
        if (await iam.Db.IamSamlProviders.Where(p => p.Arn == request.SAMLProviderArn).ExecuteDeleteAsync(ct) == 0)
            throw new NoSuchEntityException($"Manifest not found for arn {request.SAMLProviderArn}");
        return new DeleteSAMLProviderResponse();
    }
}

/// <summary>The checks IAM makes of SAML metadata: an XML EntityDescriptor with an IdP SSO descriptor.</summary>
static class SamlMetadata
{
    const string Md = "urn:oasis:names:tc:SAML:2.0:metadata";

    public static DateTimeOffset? ValidUntil(string xml)
    {
        var doc = new XmlDocument { XmlResolver = null, PreserveWhitespace = false };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 10_000_000 });
            doc.Load(reader);
        }
        catch (XmlException)
        {
            throw new InvalidInputException("Could not parse metadata");
        }
        var root = doc.DocumentElement;
        if (root is null || root.LocalName != "EntityDescriptor" || root.NamespaceURI != Md || string.IsNullOrEmpty(root.GetAttribute("entityID")))
            throw new InvalidInputException("Could not parse metadata");
        if (root.GetElementsByTagName("IDPSSODescriptor", Md).Count == 0)
            throw new InvalidInputException("Could not parse metadata: no IDPSSODescriptor");
        var validUntil = root.GetAttribute("validUntil");
        return validUntil.Length > 0 && DateTimeOffset.TryParse(validUntil, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var d) ? d : null;
    }
}
