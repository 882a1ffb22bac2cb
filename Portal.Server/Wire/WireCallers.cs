namespace Portal.Server.Wire;

/// <summary>The signed caller of the wire request being served, for operations that answer about it (GetCallerIdentity).</summary>
public static class WireCallers
{
    const string Key = "Portal.Wire.Caller";

    public static void Set(HttpContext http, SignedCaller? caller)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (caller is not null) http.Items[Key] = caller;
    }

    public static SignedCaller? Of(HttpContext? http) => http?.Items.TryGetValue(Key, out var c) == true ? c as SignedCaller : null;
}
