using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Client.Contract;

/// <summary>A Cognito API request whose answer is <typeparamref name="TResponse"/>.
/// The record's name minus "Request" is the operation name on the wire.</summary>
public interface ICognitoRequest<TResponse> where TResponse : new();

/// <summary>The one way to call Cognito operations: in process (the engine), or over HTTP (Remote).</summary>
public interface ICognito
{
    Task<TResponse> Send<TResponse>(ICognitoRequest<TResponse> request, CancellationToken ct = default)
        where TResponse : new();
}

/// <summary>Marks a request of another service than user pools (its X-Amz-Target prefix).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ServiceAttribute(string targetPrefix) : Attribute
{
    public string TargetPrefix { get; } = targetPrefix;
}

/// <summary>Operations AWS serves without IAM credentials (the model's authtype "none").</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class UnsignedAttribute : Attribute;

public static class Services
{
    public const string UserPools = "AWSCognitoIdentityProviderService";
    public const string IdentityPools = "AWSCognitoIdentityService";
}

/// <summary>An AWS error: its <c>__type</c> name, message and HTTP status (400 unless a real server fault).</summary>
public abstract class CognitoException(string type, string message, int status = 400) : Exception(message)
{
    public string Type { get; } = type;
    public int Status { get; } = status;
}

/// <summary>An error whose type this build has no class for (e.g. from a remote endpoint).</summary>
public sealed class UnknownCognitoException(string type, string message, int status) : CognitoException(type, message, status);

public static class CognitoJson
{
    /// <summary>AWS JSON 1.1: members named exactly as the records, nulls omitted, timestamps as epoch seconds.</summary>
    public static readonly JsonSerializerOptions Options = Create();

    static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNameCaseInsensitive = false,
            NumberHandling = JsonNumberHandling.Strict,
        };
        o.Converters.Add(new EpochSecondsConverter());
        o.Converters.Add(new JsonStringEnumConverter());
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}

/// <summary>AWS JSON timestamps are epoch seconds (with fractions).</summary>
public sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
{
    static readonly double MaxSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds(), MinSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String
            && DateTimeOffset.TryParse(reader.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed))
            return parsed;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var seconds) && seconds > MinSeconds && seconds < MaxSeconds)
            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
        throw new JsonException("A timestamp is epoch seconds.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(Math.Round(value.ToUnixTimeMilliseconds() / 1000.0, 3));
}

/// <summary>Registry of the contract's operations: wire name ⇄ request type.</summary>
public static class Operations
{
    // Asked of every request (rate limits, the dispatcher): reading a type's attributes and cutting its name each time cost
    // 1.6% of a Cognito Sync call's server time. Declared before ByTarget, whose initializer uses them.
    static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, string> Names = new();
    static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, string> ServiceNames = new();

    static readonly Dictionary<string, Type> ByTarget = typeof(Operations).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && t.Name.EndsWith("Request", StringComparison.Ordinal) && ResponseTypeOf(t) is not null)
        .ToDictionary(t => TargetOf(t), t => t, StringComparer.Ordinal);

    public static IEnumerable<Type> RequestTypes => ByTarget.Values;

    public static string NameOf(Type requestType) => Names.GetOrAdd(requestType, static t => t.Name[..^"Request".Length]);

    public static string ServiceOf(Type requestType) => ServiceNames.GetOrAdd(requestType, static t =>
        t.GetCustomAttributes(typeof(ServiceAttribute), false).Cast<ServiceAttribute>().FirstOrDefault()?.TargetPrefix ?? Services.UserPools);

    public static string TargetOf(Type requestType) => $"{ServiceOf(requestType)}.{NameOf(requestType)}";

    public static bool IsUnsigned(Type requestType) => requestType.IsDefined(typeof(UnsignedAttribute), false);

    public static Type? Find(string target) => ByTarget.GetValueOrDefault(target);

    public static Type? ResponseTypeOf(Type requestType) => requestType.GetInterfaces()
        .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICognitoRequest<>))
        ?.GetGenericArguments()[0];
}
