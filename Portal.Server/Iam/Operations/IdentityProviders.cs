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
        var row = new IamOidcProviderRow
        {
            Arn = iam.OidcProviderArn(withoutScheme),
            Url = "https://" + withoutScheme,
            ClientIds = IamStore.StringsJson(clients.Distinct(StringComparer.Ordinal)),
            Thumbprints = IamStore.StringsJson(thumbprints.Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal)),
            CreatedAt = IdentityProviders.Now(clock),
            Tags = IamStore.TagsJson(request.Tags),
        };
        await IdentityProviders.Add(iam, iam.Db.IamOidcProviders, row, () => new EntityAlreadyExistsException($"Provider with url {url} already exists."), ct);
        return new CreateOpenIDConnectProviderResponse { OpenIDConnectProviderArn = row.Arn, Tags = IdentityProviders.TagsOrNull(request.Tags) };
    }
}

sealed class GetOpenIDConnectProvider(IamStore iam) : IOperation<GetOpenIDConnectProviderRequest, GetOpenIDConnectProviderResponse>
{
    public async Task<GetOpenIDConnectProviderResponse> Handle(GetOpenIDConnectProviderRequest request, CancellationToken ct)
    {
        var row = await IdentityProviders.Find(iam.Db.IamOidcProviders, request.OpenIDConnectProviderArn, IdentityProviders.NoOidcProvider, ct);
        return new GetOpenIDConnectProviderResponse
        {
            // IAM answers the URL without its scheme.
            Url = row.Url["https://".Length..],
            ClientIDList = IamStore.Strings(row.ClientIds),
            ThumbprintList = IamStore.Strings(row.Thumbprints),
            CreateDate = row.CreatedAt,
            Tags = IdentityProviders.TagsOrNull(IamStore.Tags(row.Tags)),
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
        await IdentityProviders.Delete(iam, iam.Db.IamOidcProviders, request.OpenIDConnectProviderArn, IdentityProviders.NoOidcProvider, ct);
        return new DeleteOpenIDConnectProviderResponse();
    }
}

sealed class CreateSAMLProvider(IamStore iam, TimeProvider clock) : IOperation<CreateSAMLProviderRequest, CreateSAMLProviderResponse>
{
    public async Task<CreateSAMLProviderResponse> Handle(CreateSAMLProviderRequest request, CancellationToken ct)
    {
        IamStore.ValidateTags(request.Tags);
        var validUntil = SamlMetadata.ValidUntil(request.SAMLMetadataDocument!);
        var now = IdentityProviders.Now(clock);
        var row = new IamSamlProviderRow
        {
            Arn = iam.SamlProviderArn(request.Name!),
            Name = request.Name!,
            MetadataDocument = request.SAMLMetadataDocument!,
            SamlProviderUuid = "p-" + Guid.NewGuid().ToString("n")[..20],
            CreatedAt = now,
            ValidUntil = validUntil ?? now.AddYears(100),
            Tags = IamStore.TagsJson(request.Tags),
        };
        await IdentityProviders.Add(iam, iam.Db.IamSamlProviders, row, () => new EntityAlreadyExistsException($"SAMLProvider {request.Name} already exists"), ct);
        return new CreateSAMLProviderResponse { SAMLProviderArn = row.Arn, Tags = IdentityProviders.TagsOrNull(request.Tags) };
    }
}

sealed class GetSAMLProvider(IamStore iam) : IOperation<GetSAMLProviderRequest, GetSAMLProviderResponse>
{
    public async Task<GetSAMLProviderResponse> Handle(GetSAMLProviderRequest request, CancellationToken ct)
    {
        var row = await IdentityProviders.Find(iam.Db.IamSamlProviders, request.SAMLProviderArn, IdentityProviders.NoSamlProvider, ct);
        return new GetSAMLProviderResponse
        {
            SAMLMetadataDocument = row.MetadataDocument,
            CreateDate = row.CreatedAt,
            ValidUntil = row.ValidUntil,
            Tags = IdentityProviders.TagsOrNull(IamStore.Tags(row.Tags)),
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
        await IdentityProviders.Delete(iam, iam.Db.IamSamlProviders, request.SAMLProviderArn, IdentityProviders.NoSamlProvider, ct);
        return new DeleteSAMLProviderResponse();
    }
}

/// <summary>The one shape of both kinds of provider: created once under their ARN (the primary key decides a race),
/// found and deleted by it, with IAM's own words when it is not there; each operation's audit entry names the ARN.</summary>
static class IdentityProviders
{
    public static NoSuchEntityException NoOidcProvider(string? arn) => new($"OpenIDConnect Provider not found for arn {arn}");
    public static NoSuchEntityException NoSamlProvider(string? arn) => new($"Manifest not found for arn {arn}");

    /// <summary>IAM's dates are whole seconds.</summary>
    public static DateTimeOffset Now(TimeProvider clock) => DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds());

    public static List<Tag>? TagsOrNull(List<Tag>? tags) => tags is { Count: > 0 } ? tags : null;

    public static async Task Add<TRow>(IamStore iam, DbSet<TRow> rows, TRow row, Func<EntityAlreadyExistsException> exists, CancellationToken ct)
        where TRow : class, IIamProviderRow
    {
        iam.Acted(row.Arn);
        var arn = row.Arn;
        if (await rows.AnyAsync(p => p.Arn == arn, ct)) throw exists();
        rows.Add(row);
        try
        {
            await iam.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw exists();
        }
    }

    public static async Task<TRow> Find<TRow>(DbSet<TRow> rows, string? arn, Func<string?, NoSuchEntityException> missing, CancellationToken ct)
        where TRow : class, IIamProviderRow =>
        await rows.AsNoTracking().FirstOrDefaultAsync(p => p.Arn == arn, ct) ?? throw missing(arn);

    public static async Task Delete<TRow>(IamStore iam, DbSet<TRow> rows, string? arn, Func<string?, NoSuchEntityException> missing, CancellationToken ct)
        where TRow : class, IIamProviderRow
    {
        if (await rows.Where(p => p.Arn == arn).ExecuteDeleteAsync(ct) == 0) throw missing(arn);
        iam.Acted(arn!);
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
