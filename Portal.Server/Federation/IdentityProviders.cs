using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.Federation;

/// <summary>Checks (and may complete) the ProviderDetails of one provider type on Create/UpdateIdentityProvider.
/// Implementations registered in DI are picked by <see cref="ProviderType"/>; they throw InvalidParameterException
/// with Cognito's message for what is missing or wrong, and return the details to store (with computed keys added).</summary>
public interface IProviderDetailsCheck
{
    string ProviderType { get; }
    Task<Dictionary<string, string>> Check(Dictionary<string, string> details, CancellationToken ct);
}

/// <summary>A pool's external identity providers (social, OIDC, SAML) as stored, and their JSON columns read as values.</summary>
public sealed class IdentityProviders(PortalDb db, IEnumerable<IProviderDetailsCheck> checks)
{
    public async Task<IdentityProviderRow?> Find(string userPoolId, string providerName, CancellationToken ct) =>
        await db.IdentityProviders.FirstOrDefaultAsync(p => p.UserPoolId == userPoolId && p.ProviderName == providerName, ct);

    public async Task<IdentityProviderRow> Get(string userPoolId, string? providerName, CancellationToken ct) =>
        (providerName is null ? null : await Find(userPoolId, providerName, ct))
        ?? throw new ResourceNotFoundException($"Identity provider {providerName} does not exist.");

    public async Task<IReadOnlyList<IdentityProviderRow>> List(string userPoolId, CancellationToken ct) =>
        await db.IdentityProviders.Where(p => p.UserPoolId == userPoolId).OrderBy(p => p.ProviderName).ToListAsync(ct);

    /// <summary>The provider whose IdpIdentifiers holds this identifier (exact match, case-insensitive).</summary>
    public async Task<IdentityProviderRow?> FindByIdentifier(string userPoolId, string identifier, CancellationToken ct) =>
        (await List(userPoolId, ct)).FirstOrDefault(p => IdpIdentifiers(p).Contains(identifier, StringComparer.OrdinalIgnoreCase));

    /// <summary>Identifier-first routing: an email's domain (or the whole input) matched against the pool's IdpIdentifiers.</summary>
    public async Task<IdentityProviderRow?> ForEmailOrIdentifier(string userPoolId, string input, CancellationToken ct)
    {
        var all = await List(userPoolId, ct);
        var domain = input.Contains('@') ? input[(input.LastIndexOf('@') + 1)..] : null;
        return all.FirstOrDefault(p => IdpIdentifiers(p).Contains(input, StringComparer.OrdinalIgnoreCase))
               ?? (domain is null ? null : all.FirstOrDefault(p => IdpIdentifiers(p).Contains(domain, StringComparer.OrdinalIgnoreCase)));
    }

    /// <summary>ProviderDetails as stored (what the operator gave plus computed keys).</summary>
    public static Dictionary<string, string> ProviderDetails(IdentityProviderRow row) => Map(row.ProviderDetails);

    /// <summary>Pool attribute → provider attribute.</summary>
    public static Dictionary<string, string> AttributeMapping(IdentityProviderRow row) => Map(row.AttributeMapping);

    public static List<string> IdpIdentifiers(IdentityProviderRow row) =>
        string.IsNullOrEmpty(row.IdpIdentifiers) ? [] : JsonSerializer.Deserialize<List<string>>(row.IdpIdentifiers) ?? [];

    public static string Json(Dictionary<string, string> map) => JsonSerializer.Serialize(map);
    public static string Json(List<string> list) => JsonSerializer.Serialize(list);

    static Dictionary<string, string> Map(string json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    /// <summary>The shared validation hook: the registered check of the provider type, if any.</summary>
    public async Task<Dictionary<string, string>> CheckDetails(string providerType, Dictionary<string, string> details, CancellationToken ct)
    {
        var check = checks.FirstOrDefault(c => c.ProviderType == providerType);
        return check is null ? details : await check.Check(details, ct);
    }

    /// <summary>The contract's view of a stored provider.</summary>
    public static IdentityProviderType ToType(IdentityProviderRow row) => new()
    {
        UserPoolId = row.UserPoolId, ProviderName = row.ProviderName, ProviderType = row.ProviderType,
        ProviderDetails = ProviderDetails(row), AttributeMapping = AttributeMapping(row), IdpIdentifiers = IdpIdentifiers(row),
        CreationDate = row.CreatedAt, LastModifiedDate = row.LastModifiedAt,
    };
}
