using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Portal.Client.Contract;

namespace Portal.Server.Engine;

/// <summary>Checks a request against the constraints written on its record (required, length, pattern, range)
/// and answers as AWS does: InvalidParameterException naming each member.</summary>
public static class RequestValidator
{
    public static void Validate(object request)
    {
        var errors = new List<string>();
        var members = new List<string>();
        Collect(request, "", errors, members, depth: 0);
        if (errors.Count > 0)
            throw new InvalidParameterException(
                $"{errors.Count} validation error{(errors.Count == 1 ? "" : "s")} detected: {string.Join("; ", errors)}", members[0]);
    }

    /// <summary>A record's members with their constraints, read once per type: reading attributes is reflection that
    /// allocates new attribute instances (and a pattern's regex) on every call, for every member of every list item
    /// (a 100-patch UpdateRecords: bench/README.md, Cognito Sync, run 6).</summary>
    sealed record Member(PropertyInfo Property, string Name, ValidationAttribute[] Constraints);

    static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Member[]> Members = new();

    static Member[] MembersOf(Type type) => Members.GetOrAdd(type, t =>
    [
        .. t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0)
            .Select(p => new Member(p, char.ToLowerInvariant(p.Name[0]) + p.Name[1..], [.. p.GetCustomAttributes<ValidationAttribute>()])),
    ]);

    static void Collect(object value, string path, List<string> errors, List<string> members, int depth)
    {
        if (depth > 8) return;
        foreach (var (p, member, constraints) in MembersOf(value.GetType()))
        {
            var v = p.GetValue(value);
            var name = path + member;
            foreach (var a in constraints)
            {
                if (a is RequiredAttribute && v is null)
                {
                    Fail(errors, members, name, $"Value null at '{name}' failed to satisfy constraint: Member must not be null");
                    continue;
                }
                if (v is null || a is RequiredAttribute) continue;
                if (!a.IsValid(v))
                    Fail(errors, members, name, $"Value{Shown(p, v)} at '{name}' failed to satisfy constraint: Member must {Describe(a)}");
            }
            if (v is null || v is string || p.PropertyType.IsValueType) continue;
            if (v is IDictionary map)
            {
                // A map holds values, never nulls: AWS's models have no nullable map values, and Cognito reads a member
                // sent as null as one not sent (amazon-cognito-identity-js resends a challenge with DEVICE_KEY: null once
                // its device is forgotten). Handlers never see the null.
                var absent = new List<object>();
                foreach (DictionaryEntry entry in map)
                    if (entry.Value is null) absent.Add(entry.Key);
                foreach (var key in absent)
                {
                    if (map.IsReadOnly) Fail(errors, members, $"{name}.{key}", $"Value null at '{name}.{key}' failed to satisfy constraint: Member must not be null");
                    else map.Remove(key);
                }
            }
            else if (v is IEnumerable list)
            {
                // A list holds members, never nulls: handlers may rely on that.
                var i = 0;
                foreach (var item in list)
                {
                    ++i;
                    if (item is null) Fail(errors, members, $"{name}.{i}.member", $"Value null at '{name}.{i}.member' failed to satisfy constraint: Member must not be null");
                    else if (IsContract(item.GetType())) Collect(item, $"{name}.{i}.member.", errors, members, depth + 1);
                }
            }
            else if (IsContract(v.GetType())) Collect(v, name + ".", errors, members, depth + 1);
        }
    }

    static void Fail(List<string> errors, List<string> members, string member, string error)
    {
        errors.Add(error);
        members.Add(member);
    }

    /// <summary>AWS names the offending value (<c>Value 'x' at</c>), except a secret's (a password, a code, a token), which
    /// its models mark sensitive.</summary>
    static string Shown(PropertyInfo p, object v) =>
        v is not (string or int or long or double or decimal) || Sensitive.Any(w => p.Name.Contains(w, StringComparison.Ordinal)) ? ""
        : $" '{Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)}'";

    static readonly string[] Sensitive = ["Password", "Secret", "Token", "Code", "Session", "Answer", "Hash"];

    static bool IsContract(Type t) => t.Namespace?.StartsWith("Portal.Client.Contract", StringComparison.Ordinal) == true && !t.IsEnum;

    static string Describe(ValidationAttribute a) => a switch
    {
        StringLengthAttribute s => $"have length between {s.MinimumLength} and {s.MaximumLength}",
        MinLengthAttribute m => $"have length greater than or equal to {m.Length}",
        MaxLengthAttribute m => $"have length less than or equal to {m.Length}",
        RegularExpressionAttribute r => $"satisfy regular expression pattern: {r.Pattern}",
        RangeAttribute r => $"have value between {r.Minimum} and {r.Maximum}",
        AllowedValuesAttribute v => $"satisfy enum value set: [{string.Join(", ", v.Values)}]",
        _ => a.ErrorMessage ?? "be valid",
    };
}
