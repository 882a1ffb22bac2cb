using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Portal.Client.Contract;
using Portal.Client.Contract.Sts;

namespace Portal.Server.Wire;

/// <summary>The AWS Query protocol of IAM and STS: form parameters (<c>Action</c>, <c>Version</c>, members flattened as
/// <c>Tags.member.1.Key</c>) in, XML out, as the botocore models describe it.</summary>
public static class QueryProtocol
{
    public const string IamService = "iam", StsService = "sts";
    public const string IamVersion = "2010-05-08", StsVersion = "2011-06-15";
    public const string IamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/", StsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";

    /// <summary>IAM answers policy documents URL-encoded (the CLI and SDKs decode them).</summary>
    static readonly HashSet<string> UrlEncodedMembers = new(StringComparer.Ordinal) { "AssumeRolePolicyDocument", "PolicyDocument", "Document" };

    public static bool IsQueryService(string service) => service is IamService or StsService;

    public static string NamespaceOf(string service) => service == StsService ? StsNamespace : IamNamespace;

    /// <summary>The request type of an action: by the Version parameter, else the SigV4 scope's service, else the one
    /// service that has the action.</summary>
    public static (Type Type, string Service)? Find(string action, string? version, string? scopeService)
    {
        string? service = version switch
        {
            IamVersion => IamService,
            StsVersion => StsService,
            _ => scopeService is IamService or StsService ? scopeService : null,
        };
        if (service is not null)
            return Operations.Find($"{service}.{action}") is { } t ? (t, service) : null;
        if (Operations.Find($"{IamService}.{action}") is { } iam) return (iam, IamService);
        if (Operations.Find($"{StsService}.{action}") is { } sts) return (sts, StsService);
        return null;
    }

    /// <summary>The request record from the flattened parameters; a parameter of the wrong type is the client's fault.</summary>
    public static object Deserialize(Type requestType, IReadOnlyDictionary<string, string> parameters)
    {
        var json = ToJson(requestType, "", parameters, depth: 0);
        try
        {
            return json.Deserialize(requestType, CognitoJson.Options)
                   ?? throw new SerializationException("The request does not match the operation's input shape.");
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw new SerializationException("The request does not match the operation's input shape.");
        }
    }

    static JsonObject ToJson(Type type, string prefix, IReadOnlyDictionary<string, string> parameters, int depth)
    {
        var o = new JsonObject();
        if (depth > 6) return o;
        foreach (var p in Properties(type))
        {
            var name = prefix + p.Name;
            var node = ToNode(p.PropertyType, name, parameters, depth);
            if (node is not null) o[p.Name] = node;
        }
        return o;
    }

    static JsonNode? ToNode(Type type, string name, IReadOnlyDictionary<string, string> parameters, int depth)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string))
            return parameters.TryGetValue(name, out var s) ? JsonValue.Create(s) : null;
        if (t == typeof(int) || t == typeof(long))
        {
            if (!parameters.TryGetValue(name, out var s)) return null;
            return long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
                ? JsonValue.Create(n)
                : throw new InvalidParameterException($"1 validation error detected: Value '{s}' at '{Lower(name)}' failed to satisfy constraint: Member must be a number", Lower(name));
        }
        if (t == typeof(bool))
        {
            if (!parameters.TryGetValue(name, out var s)) return null;
            return bool.TryParse(s, out var b)
                ? JsonValue.Create(b)
                : throw new InvalidParameterException($"1 validation error detected: Value '{s}' at '{Lower(name)}' failed to satisfy constraint: Member must be a boolean", Lower(name));
        }
        if (t == typeof(DateTimeOffset))
        {
            if (!parameters.TryGetValue(name, out var s)) return null;
            return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
                ? JsonValue.Create(d.ToUnixTimeMilliseconds() / 1000.0)
                : throw new InvalidParameterException($"1 validation error detected: Value '{s}' at '{Lower(name)}' failed to satisfy constraint: Member must be a timestamp", Lower(name));
        }
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>))
        {
            var item = t.GetGenericArguments()[0];
            var list = new JsonArray();
            // Members are numbered from 1 without gaps; an empty list is sent as "Name=" alone.
            for (var i = 1; i <= 1000; i++)
            {
                var element = ToNode(item, $"{name}.member.{i}", parameters, depth + 1);
                if (element is null) break;
                list.Add(element);
            }
            if (list.Count > 0) return list;
            return parameters.ContainsKey(name) ? list : null;
        }
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var map = new JsonObject();
            for (var i = 1; i <= 1000; i++)
            {
                if (!parameters.TryGetValue($"{name}.entry.{i}.key", out var key)) break;
                map[key] = ToNode(t.GetGenericArguments()[1], $"{name}.entry.{i}.value", parameters, depth + 1);
            }
            return map.Count > 0 ? map : null;
        }
        if (t.IsClass)
        {
            var prefix = name + ".";
            if (!parameters.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal))) return null;
            return ToJson(t, prefix, parameters, depth + 1);
        }
        return null;
    }

    static string Lower(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    static PropertyInfo[] Properties(Type t) => PropertiesCache.GetOrAdd(t, x => x.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetIndexParameters().Length == 0).ToArray());

    static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, PropertyInfo[]> PropertiesCache = new();

    /// <summary><c>&lt;{Action}Response xmlns=…&gt;&lt;{Action}Result&gt;…&lt;/…&gt;&lt;ResponseMetadata&gt;&lt;RequestId&gt;…</c>; an
    /// operation with no output has no Result element, as AWS answers.</summary>
    public static byte[] Response(string service, string action, object response, string requestId)
    {
        var ns = NamespaceOf(service);
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            xml.WriteStartElement($"{action}Response", ns);
            if (Properties(response.GetType()).Length > 0)
            {
                xml.WriteStartElement($"{action}Result", ns);
                WriteMembers(xml, response, service, ns, depth: 0);
                xml.WriteEndElement();
            }
            xml.WriteStartElement("ResponseMetadata", ns);
            xml.WriteElementString("RequestId", ns, requestId);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        return buffer.ToArray();
    }

    static void WriteMembers(XmlWriter xml, object value, string service, string ns, int depth)
    {
        foreach (var p in Properties(value.GetType()))
        {
            var v = p.GetValue(value);
            if (v is null) continue;
            WriteValue(xml, p.Name, v, service, ns, depth);
        }
    }

    static void WriteValue(XmlWriter xml, string element, object v, string service, string ns, int depth)
    {
        switch (v)
        {
            case string s:
                xml.WriteElementString(element, ns, service == IamService && UrlEncodedMembers.Contains(element) ? Uri.EscapeDataString(s) : s);
                break;
            case bool b:
                xml.WriteElementString(element, ns, b ? "true" : "false");
                break;
            case DateTimeOffset d:
                xml.WriteElementString(element, ns, Timestamp(d));
                break;
            case int or long or double or decimal:
                xml.WriteElementString(element, ns, Convert.ToString(v, CultureInfo.InvariantCulture));
                break;
            case IDictionary map:
                xml.WriteStartElement(element, ns);
                foreach (DictionaryEntry e in map)
                {
                    xml.WriteStartElement("entry", ns);
                    xml.WriteElementString("key", ns, Convert.ToString(e.Key, CultureInfo.InvariantCulture));
                    if (e.Value is not null) WriteValue(xml, "value", e.Value, service, ns, depth + 1);
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
                break;
            case IEnumerable list:
                xml.WriteStartElement(element, ns);
                foreach (var item in list)
                    if (item is not null) WriteValue(xml, "member", item, service, ns, depth + 1);
                xml.WriteEndElement();
                break;
            default:
                if (v.GetType().IsEnum)
                {
                    xml.WriteElementString(element, ns, v.ToString());
                    break;
                }
                xml.WriteStartElement(element, ns);
                if (depth < 8) WriteMembers(xml, v, service, ns, depth + 1);
                xml.WriteEndElement();
                break;
        }
    }

    /// <summary>ISO 8601 in UTC with a Z, as IAM and STS write timestamps.</summary>
    public static string Timestamp(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The Query protocol's error body.</summary>
    public static byte[] Error(string code, string message, bool senderFault, string requestId)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            xml.WriteStartElement("ErrorResponse");
            xml.WriteStartElement("Error");
            xml.WriteElementString("Type", senderFault ? "Sender" : "Receiver");
            xml.WriteElementString("Code", code);
            xml.WriteElementString("Message", message);
            xml.WriteEndElement();
            xml.WriteElementString("RequestId", requestId);
            xml.WriteEndElement();
        }
        return buffer.ToArray();
    }

    /// <summary>The Query code and HTTP status of an error: IAM/STS's own errors carry them; the shared ones (signature,
    /// validation) are renamed as IAM and STS name them.</summary>
    public static (string Code, int Status) Map(CognitoException e) => e switch
    {
        InvalidParameterException => ("ValidationError", 400),
        UnrecognizedClientException => ("InvalidClientTokenId", 403),
        ExpiredSessionException => ("ExpiredToken", 403),
        InvalidSignatureException => ("SignatureDoesNotMatch", 403),
        IncompleteSignatureException => ("IncompleteSignature", 400),
        MissingAuthenticationTokenException => ("MissingAuthenticationToken", 403),
        AccessDeniedException => ("AccessDenied", 403),
        UnknownOperationException => ("InvalidAction", 400),
        SerializationException => ("MalformedInput", 400),
        TooManyRequestsException => ("Throttling", 400),
        LimitExceededException => ("LimitExceeded", 409),
        ConcurrentModificationException => ("ConcurrentModification", 409),
        InternalErrorException => ("InternalFailure", 500),
        _ => (e.Type, e.Status),
    };
}
