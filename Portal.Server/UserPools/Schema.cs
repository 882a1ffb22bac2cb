using Portal.Client.Contract;

namespace Portal.Server.UserPools;

/// <summary>Cognito's standard attributes (every pool has them) and the checks of values against a pool's schema.</summary>
public static class Schema
{
    static SchemaAttributeType Str(string name, bool mutable = true, int max = 2048) => new()
    {
        Name = name, AttributeDataType = "String", DeveloperOnlyAttribute = false, Mutable = mutable, Required = false,
        StringAttributeConstraints = new StringAttributeConstraintsType { MinLength = "0", MaxLength = max.ToString() },
    };

    static SchemaAttributeType Bool(string name) => new()
    {
        Name = name, AttributeDataType = "Boolean", DeveloperOnlyAttribute = false, Mutable = true, Required = false,
    };

    public static IReadOnlyList<SchemaAttributeType> Standard { get; } =
    [
        Str("sub", mutable: false) with { Required = true, StringAttributeConstraints = new() { MinLength = "1", MaxLength = "2048" } },
        Str("name"), Str("given_name"), Str("family_name"), Str("middle_name"), Str("nickname"), Str("preferred_username"),
        Str("profile"), Str("picture"), Str("website"), Str("email"), Bool("email_verified"), Str("gender"),
        Str("birthdate", max: 10) with { StringAttributeConstraints = new() { MinLength = "10", MaxLength = "10" } },
        Str("zoneinfo"), Str("locale"), Str("phone_number"), Bool("phone_number_verified"), Str("address"),
        new() { Name = "updated_at", AttributeDataType = "Number", DeveloperOnlyAttribute = false, Mutable = true, Required = false,
                NumberAttributeConstraints = new() { MinValue = "0" } },
        Str("identities") with { Mutable = true },
    ];

    public static bool IsStandard(string name) => Standard.Any(a => a.Name == name);

    /// <summary>The pool's full schema: the standard attributes (with the pool's overrides) and its custom ones.</summary>
    public static List<SchemaAttributeType> Merge(IEnumerable<SchemaAttributeType>? requested)
    {
        var result = Standard.ToList();
        foreach (var a in requested ?? [])
        {
            if (a.Name is null) throw new InvalidParameterException("Schema attributes must have a name.");
            var i = result.FindIndex(s => s.Name == a.Name);
            if (i >= 0)
            {
                var s = result[i];
                if (a.AttributeDataType is not null && a.AttributeDataType != s.AttributeDataType)
                    throw new InvalidParameterException($"You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute {a.Name}");
                result[i] = s with
                {
                    Required = a.Required ?? s.Required,
                    Mutable = a.Mutable ?? s.Mutable,
                    StringAttributeConstraints = a.StringAttributeConstraints ?? s.StringAttributeConstraints,
                    NumberAttributeConstraints = a.NumberAttributeConstraints ?? s.NumberAttributeConstraints,
                };
            }
            else result.Add(Custom(a));
        }
        return result;
    }

    /// <summary>A custom attribute as Cognito stores it: named <c>custom:x</c>, optional, String unless stated.</summary>
    public static SchemaAttributeType Custom(SchemaAttributeType a)
    {
        var name = a.Name!.StartsWith("custom:", StringComparison.Ordinal) ? a.Name : "custom:" + a.Name;
        if (a.Required == true)
            throw new InvalidParameterException($"Required custom attributes are not supported currently: {a.Name}");
        var type = a.AttributeDataType ?? "String";
        return new SchemaAttributeType
        {
            Name = name,
            AttributeDataType = type,
            DeveloperOnlyAttribute = a.DeveloperOnlyAttribute ?? false,
            Mutable = a.Mutable ?? true,
            Required = false,
            StringAttributeConstraints = type == "String" ? a.StringAttributeConstraints ?? new() { MinLength = "0", MaxLength = "2048" } : null,
            NumberAttributeConstraints = type == "Number" ? a.NumberAttributeConstraints ?? new() : null,
        };
    }
}
