using System.Globalization;
using Portal.Client.Contract;

namespace Portal.Server.UserPools;

/// <summary>Cognito's standard attributes (every pool has them) and the checks of values against a pool's schema.</summary>
public static class Schema
{
    static SchemaAttributeType Str(string name, bool mutable = true, int max = 2048) => new()
    {
        Name = name, AttributeDataType = "String", DeveloperOnlyAttribute = false, Mutable = mutable, Required = false,
        StringAttributeConstraints = new StringAttributeConstraintsType { MinLength = "0", MaxLength = max.ToString(CultureInfo.InvariantCulture) },
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

    public const int CustomLimit = 50;

    public static bool IsStandard(string name) => Standard.Any(a => a.Name == name);

    /// <summary>custom: attributes and the developer-only dev:custom: ones.</summary>
    public static bool IsCustom(string? name) =>
        name is not null && (name.StartsWith("custom:", StringComparison.Ordinal) || name.StartsWith("dev:", StringComparison.Ordinal));

    /// <summary>The pool's full schema at creation: the standard attributes (with the pool's overrides) and its custom ones.</summary>
    public static List<SchemaAttributeType> Merge(IEnumerable<SchemaAttributeType>? requested)
    {
        var result = Standard.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in requested ?? [])
        {
            if (string.IsNullOrEmpty(a.Name)) throw new InvalidParameterException("Schema attributes must have a name.");
            var i = result.FindIndex(s => s.Name == a.Name);
            if (i >= 0)
            {
                if (!seen.Add(a.Name))
                    throw new InvalidParameterException($"Duplicate attribute names {a.Name} are not allowed in a user pool schema.");
                var s = result[i];
                if ((a.AttributeDataType is not null && a.AttributeDataType != s.AttributeDataType) || a.DeveloperOnlyAttribute == true)
                    throw new InvalidParameterException($"You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute {a.Name}");
                result[i] = Checked(s with
                {
                    Required = a.Required ?? s.Required,
                    Mutable = a.Mutable ?? s.Mutable,
                    StringAttributeConstraints = s.AttributeDataType == "String" ? a.StringAttributeConstraints ?? s.StringAttributeConstraints : null,
                    NumberAttributeConstraints = s.AttributeDataType == "Number" ? a.NumberAttributeConstraints ?? s.NumberAttributeConstraints : null,
                });
                continue;
            }
            var custom = Custom(a);
            if (!seen.Add(custom.Name!) || result.Any(r => r.Name == custom.Name))
                throw Existing(custom.Name!);
            result.Add(custom);
        }
        CheckLimit(result);
        return result;
    }

    /// <summary>The schema after AddCustomAttributes: new custom attributes only, never a name the pool already has.</summary>
    public static List<SchemaAttributeType> Add(IEnumerable<SchemaAttributeType> current, IEnumerable<SchemaAttributeType> added)
    {
        var result = current.ToList();
        foreach (var a in added)
        {
            if (string.IsNullOrEmpty(a.Name)) throw new InvalidParameterException("Custom attributes must have a name.", "customAttributes.name");
            var custom = Custom(a);
            if (result.Any(r => r.Name == custom.Name))
                throw Existing(custom.Name!);
            result.Add(custom);
        }
        CheckLimit(result);
        return result;
    }

    /// <summary>Cognito names the attribute as asked (custom:x) and as stored (dev:custom:x for a developer-only one).</summary>
    static InvalidParameterException Existing(string stored) =>
        new($"custom:{Bare(stored)}: Existing attribute already has name {stored}.", "customAttributes.name");

    /// <summary>x of custom:x, dev:custom:x (and of the dev:x an older Portal wrote).</summary>
    static string Bare(string name)
    {
        if (name.StartsWith("dev:", StringComparison.Ordinal)) name = name["dev:".Length..];
        return name.StartsWith("custom:", StringComparison.Ordinal) ? name["custom:".Length..] : name;
    }

    static void CheckLimit(IEnumerable<SchemaAttributeType> schema)
    {
        if (schema.Count(a => IsCustom(a.Name)) > CustomLimit)
            throw new InvalidParameterException($"A user pool can have at most {CustomLimit} custom attributes.");
    }

    /// <summary>A custom attribute as Cognito stores it: <c>custom:x</c> (or <c>dev:custom:x</c> when developer-only), optional,
    /// of the type the caller must name.</summary>
    public static SchemaAttributeType Custom(SchemaAttributeType a)
    {
        var bare = Bare(a.Name!);
        var name = (a.DeveloperOnlyAttribute == true ? "dev:custom:" : "custom:") + bare;
        if (bare.Length == 0) throw new InvalidParameterException($"Custom attribute name {a.Name} is not valid.", "name");
        var type = a.AttributeDataType
                   ?? throw new InvalidParameterException("Invalid AttributeDataType input, consider using the provided AttributeDataType enum.");
        if (a.Required == true)
            throw new InvalidParameterException("Required custom attributes are not supported currently.");
        return Checked(new SchemaAttributeType
        {
            Name = name,
            AttributeDataType = type,
            DeveloperOnlyAttribute = a.DeveloperOnlyAttribute ?? false,
            Mutable = a.Mutable ?? true,
            Required = false,
            StringAttributeConstraints = type == "String" ? a.StringAttributeConstraints ?? new() { MinLength = "0", MaxLength = "2048" } : null,
            NumberAttributeConstraints = type == "Number" ? a.NumberAttributeConstraints ?? new() : null,
        });
    }

    /// <summary>Length and value constraints are strings in the API; Cognito checks they are numbers in order.</summary>
    static SchemaAttributeType Checked(SchemaAttributeType a)
    {
        if (a.StringAttributeConstraints is { } s)
        {
            int? min = Integer(a.Name!, "StringAttributeConstraints", s.MinLength), max = Integer(a.Name!, "StringAttributeConstraints", s.MaxLength);
            if (min > 2048 || max > 2048) throw new InvalidParameterException($"user.{a.Name}: String attributes cannot have a length of more than 2048");
            if (min > max) throw new InvalidParameterException($"user.{a.Name}: Max length cannot be less than min length.");
        }
        if (a.NumberAttributeConstraints is { } n)
        {
            decimal? min = Number(a.Name!, n.MinValue), max = Number(a.Name!, n.MaxValue);
            if (min > max) throw new InvalidParameterException($"user.{a.Name}: Max value cannot be less than min value.");
        }
        return a;
    }

    static int? Integer(string attribute, string constraints, string? value) =>
        string.IsNullOrEmpty(value) ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
        : throw new InvalidParameterException($"Invalid {constraints} for schema attribute {attribute}");

    static decimal? Number(string attribute, string? value) =>
        string.IsNullOrEmpty(value) ? null
        : decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
        : throw new InvalidParameterException($"Invalid NumberAttributeConstraints for schema attribute {attribute}");
}
