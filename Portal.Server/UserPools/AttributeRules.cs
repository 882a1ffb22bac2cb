using Portal.Client.Contract;

namespace Portal.Server.UserPools;

/// <summary>Checks attribute values a caller writes against the pool's schema.</summary>
public static class AttributeRules
{
    /// <summary>Throws InvalidParameterException for unknown, non-writable or malformed attributes; answers the attributes as
    /// stored (a Boolean written True or FALSE, which Cognito accepts, is stored true or false).</summary>
    public static List<AttributeType> CheckWritable(UserPoolType pool, IEnumerable<AttributeType> attributes, bool creating)
    {
        var schema = pool.SchemaAttributes ?? Schema.Standard.ToList();
        var checkedAttributes = new List<AttributeType>();
        foreach (var a in attributes)
        {
            var def = schema.FirstOrDefault(s => s.Name == a.Name)
                      ?? throw new InvalidParameterException($"Attributes did not conform to the schema: Type for attribute {{{a.Name}}} could not be determined",
                          $"userAttributes.{a.Name}");
            if (a.Name == "sub") throw InvalidParameterException.Schema("sub", "Attribute cannot be updated.");
            if (!creating && def.Mutable == false)
                throw InvalidParameterException.Schema(a.Name!, "Attribute cannot be updated. (changing an immutable attribute)");
            var value = a.Value ?? "";
            if (def.AttributeDataType == "Boolean" && bool.TryParse(value, out var flag)) value = flag ? "true" : "false";
            switch (def.AttributeDataType)
            {
                case "Boolean" when value is not ("true" or "false" or ""):
                    throw InvalidParameterException.Schema(a.Name!, "Value must be true or false.");
                case "Number" when value.Length > 0 && !decimal.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _):
                    throw InvalidParameterException.Schema(a.Name!, "Value must be a number.");
                case "String" when def.StringAttributeConstraints is { } c:
                    if (int.TryParse(c.MaxLength, out var max) && value.Length > max)
                        throw InvalidParameterException.Schema(a.Name!, $"String must be no longer than {max} characters");
                    if (int.TryParse(c.MinLength, out var min) && value.Length > 0 && value.Length < min)
                        throw InvalidParameterException.Schema(a.Name!, $"String must be at least {min} characters");
                    break;
            }
            if (a.Name == "email" && value.Length > 0 && !System.Text.RegularExpressions.Regex.IsMatch(value, @"^[^@\s]+@[^@\s]+$"))
                throw new InvalidParameterException("Invalid email address format.", "userAttributes.email");
            if (a.Name == "phone_number" && value.Length > 0 && !System.Text.RegularExpressions.Regex.IsMatch(value, @"^\+[0-9]{4,15}$"))
                throw new InvalidParameterException("Invalid phone number format.", "userAttributes.phone_number");
            checkedAttributes.Add(a.Value is null ? a : a with { Value = value });
        }
        return checkedAttributes;
    }

    /// <summary>Throws when a required attribute of the pool is missing.</summary>
    public static void CheckRequired(UserPoolType pool, IReadOnlyDictionary<string, string> attributes)
    {
        foreach (var def in (pool.SchemaAttributes ?? []).Where(s => s.Required == true && s.Name != "sub"))
            if (!attributes.TryGetValue(def.Name!, out var v) || string.IsNullOrEmpty(v))
                throw InvalidParameterException.Schema(def.Name!, $"The attribute {def.Name} is required");
    }

    /// <summary>AdminDeleteUserAttributes: only attributes of the schema that are mutable and not required.</summary>
    public static void CheckDeletable(UserPoolType pool, IEnumerable<string> names)
    {
        var schema = pool.SchemaAttributes ?? Schema.Standard.ToList();
        foreach (var name in names)
        {
            var def = schema.FirstOrDefault(s => s.Name == name)
                      ?? throw InvalidParameterException.Schema(name!, "Attribute does not exist in the schema.");
            if (name == "sub" || def.Mutable == false)
                throw InvalidParameterException.Schema(name!, "Attribute cannot be updated. (changing an immutable attribute)");
            if (def.Required == true)
                throw InvalidParameterException.Schema(name!, $"The attribute {name} is required");
        }
    }

    /// <summary>AttributesToGet of ListUsers / ListUsersInGroup: names of the pool's schema.</summary>
    public static void CheckReadable(UserPoolType pool, IEnumerable<string>? names)
    {
        if (names is null) return;
        var schema = pool.SchemaAttributes ?? Schema.Standard.ToList();
        if (names.Any(n => !schema.Any(s => s.Name == n)))
            throw new InvalidParameterException("One or more requested attributes do not exist.");
    }
}
