using Portal.Client.Contract;
using Portal.Server.UserPools;

namespace Portal.Server.Federation;

/// <summary>The checks Create and UpdateIdentityProvider share: names, attribute mapping, identifiers.</summary>
public static class IdentityProviderRules
{
    static readonly string[] Social = ["Google", "Facebook", "LoginWithAmazon", "SignInWithApple"];

    public static void CheckName(string providerName, string providerType)
    {
        if (providerName.Equals("Cognito", StringComparison.OrdinalIgnoreCase))
            throw new InvalidParameterException("ProviderName Cognito is reserved.", "providerName");
        // Cognito names a social provider after its type: there is one Google per pool.
        if (Social.Contains(providerType) && providerName != providerType)
            throw new InvalidParameterException($"ProviderName must be {providerType} for a {providerType} identity provider.", "providerName");
    }

    /// <summary>Pool attributes the mapping writes must exist in the pool; <c>username</c> names the provider's user id.</summary>
    public static Dictionary<string, string> Mapping(UserPoolStore.Pool pool, string providerType, Dictionary<string, string>? mapping)
    {
        var result = new Dictionary<string, string>(mapping ?? []);
        var schema = (pool.Settings.SchemaAttributes ?? Schema.Standard.ToList()).Select(s => s.Name).ToHashSet();
        foreach (var (attribute, claim) in result)
        {
            if (attribute == "username") continue;
            if (attribute is "sub" or "identities" || !(schema.Contains(attribute) || Schema.IsStandard(attribute)))
                throw new InvalidParameterException($"Invalid attribute mapping. {attribute} is not a writable attribute of the user pool.", "attributeMapping");
            if (string.IsNullOrWhiteSpace(claim))
                throw new InvalidParameterException($"Invalid attribute mapping. The provider attribute for {attribute} is empty.", "attributeMapping");
        }
        if (providerType != "SAML") result.TryAdd("username", OAuthProviderDetailsCheck.DefaultSubject(providerType));
        return result;
    }

    /// <summary>IdpIdentifiers are unique in a pool across its providers.</summary>
    public static List<string> Identifiers(IEnumerable<Portal.Server.Storage.IdentityProviderRow> others, List<string>? identifiers)
    {
        var list = identifiers ?? [];
        foreach (var id in list)
        {
            if (string.IsNullOrWhiteSpace(id) || id.Length > 40)
                throw new InvalidParameterException($"Invalid IdpIdentifier {id}: 1 to 40 characters.", "idpIdentifiers");
            if (list.Count(x => x.Equals(id, StringComparison.OrdinalIgnoreCase)) > 1)
                throw new DuplicateProviderException($"Duplicate identifier {id}.");
            if (others.Any(p => IdentityProviders.IdpIdentifiers(p).Contains(id, StringComparer.OrdinalIgnoreCase)))
                throw new DuplicateProviderException($"Identifier {id} is already used by another provider in this user pool.");
        }
        return list;
    }
}
