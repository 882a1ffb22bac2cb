using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fido2NetLib;
using Fido2NetLib.Exceptions;
using Fido2NetLib.Objects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth.Passkeys;

/// <summary>A pool's passkey settings as they apply: the relying party, whether user verification is required, and
/// whether a verified passkey counts as MFA (FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION).</summary>
public sealed record PasskeyPolicy(string RelyingPartyId, string RelyingPartyName, string UserVerification, bool MultiFactor);

/// <summary>
/// Passkeys (WebAuthn) as Cognito has them: registration by a signed-in user (StartWebAuthnRegistration /
/// CompleteWebAuthnRegistration) and the WEB_AUTHN first factor of USER_AUTH. The attestation and the assertion are
/// verified by the Fido2 library; Portal decides which origins and relying party a pool accepts, keeps each challenge
/// single use (an auth session row, deleted when used), and stores each credential once per pool (a unique index).
/// </summary>
public sealed partial class Passkeys(PortalDb db, AuthSessions sessions, IOptions<PortalOptions> portal, IOptions<HostedUi.HostedUiOptions> hostedUi,
    TimeProvider clock)
{
    public const string FirstFactor = "WEB_AUTHN";
    /// <summary>The auth session of a registration: its id is the hash of the challenge the browser signs.</summary>
    public const string RegistrationSession = "WEB_AUTHN_REGISTRATION";
    public const string MultiFactorWithUserVerification = "MULTI_FACTOR_WITH_USER_VERIFICATION";
    const int ChallengeMinutes = 5;

    // ---- the pool ----

    public static WebAuthnConfigurationType? Configuration(UserPoolStore.Pool pool) =>
        UserPoolStore.Extras(pool.Row)["WebAuthnConfiguration"] is JsonObject o ? o.Deserialize<WebAuthnConfigurationType>(CognitoJson.Options) : null;

    /// <summary>The pool's passkey settings as GetUserPoolMfaConfig shows them, with Cognito's defaults.</summary>
    public static WebAuthnConfigurationType Described(UserPoolStore.Pool pool)
    {
        var config = Configuration(pool);
        return new WebAuthnConfigurationType
        {
            RelyingPartyId = config?.RelyingPartyId, UserVerification = config?.UserVerification ?? "preferred",
            FactorConfiguration = config?.FactorConfiguration ?? "SINGLE_FACTOR",
        };
    }

    /// <summary>Passkeys are on when the sign-in policy offers WEB_AUTHN as a first factor.</summary>
    public static bool Enabled(UserPoolStore.Pool pool) =>
        pool.Settings.Policies?.SignInPolicy?.AllowedFirstAuthFactors?.Contains(FirstFactor) == true;

    /// <summary>The relying party: the one configured, or else the host the pool's domain is served at.</summary>
    public async Task<PasskeyPolicy> Policy(UserPoolStore.Pool pool, CancellationToken ct)
    {
        var config = Configuration(pool);
        var rp = config?.RelyingPartyId;
        if (string.IsNullOrEmpty(rp))
        {
            var domain = await DomainOf(pool, ct);
            if (domain is not null)
                rp = hostedUi.Value.AuthDomain is { } suffix && !domain.Contains('.') && suffix != "localhost"
                    ? $"{domain}.{suffix}"
                    : new Uri(portal.Value.PublicBaseUrl!).Host;
        }
        if (string.IsNullOrEmpty(rp))
            throw new WebAuthnConfigurationMissingException("The user pool has no relying party id for passkeys: set WebAuthnConfiguration.RelyingPartyId or add a user pool domain.");
        return new PasskeyPolicy(rp, pool.Row.Name, config?.UserVerification ?? "preferred", config?.FactorConfiguration == MultiFactorWithUserVerification);
    }

    Task<string?> DomainOf(UserPoolStore.Pool pool, CancellationToken ct) =>
        db.Domains.AsNoTracking().Where(d => d.UserPoolId == pool.Row.Id).Select(d => d.Domain).FirstOrDefaultAsync(ct);

    /// <summary>The host names of the pool's own domains: a custom domain, or a prefix under the configured auth domain; none
    /// for a domain whose hosted UI is served under Portal's address (whatever host reaches it).</summary>
    async Task<List<string>> DomainHosts(UserPoolStore.Pool pool, CancellationToken ct)
    {
        var domains = await db.Domains.AsNoTracking().Where(d => d.UserPoolId == pool.Row.Id).Select(d => d.Domain).ToListAsync(ct);
        var suffix = hostedUi.Value.AuthDomain is { } s && s != "localhost" ? s : null;
        return domains.Select(d => d.Contains('.') ? d : suffix is null ? null : $"{d}.{suffix}").OfType<string>().ToList();
    }

    /// <summary>SetUserPoolMfaConfig's check of a relying party id: a domain name (no scheme, port or path) and, when the
    /// pool has a domain, that domain or a parent of it, since browsers only let a page use its own domain or a parent as
    /// the relying party (the hosted UI's passkey pages would fail otherwise).</summary>
    public async Task CheckRelyingParty(UserPoolStore.Pool pool, string? rp, CancellationToken ct)
    {
        if (rp is null) return;
        if (rp.Length is 0 or > 127 || !DomainName().IsMatch(rp))
            throw new InvalidParameterException($"Invalid relying party ID {rp}: it must be a domain name, without a scheme, port or path.", "webAuthnConfiguration.relyingPartyId");
        var hosts = await DomainHosts(pool, ct);
        if (hosts.Count > 0 && !hosts.Any(h => SameSite(h, rp)))
            throw new InvalidParameterException(
                $"Invalid relying party ID {rp}: it must be the user pool's domain {string.Join(" or ", hosts)} or a parent domain of it.", "webAuthnConfiguration.relyingPartyId");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$")]
    private static partial System.Text.RegularExpressions.Regex DomainName();

    static bool SameSite(string host, string rpId) =>
        string.Equals(host, rpId, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + rpId, StringComparison.OrdinalIgnoreCase);

    /// <summary>An origin may use the relying party when its host is the RP id or one of its subdomains, over HTTPS (or
    /// HTTP on localhost, as browsers allow).</summary>
    public static bool OriginAllowed(string? origin, string rpId)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath is not ("/" or "") || !string.IsNullOrEmpty(uri.Query)) return false;
        var host = uri.Host;
        var sameSite = SameSite(host, rpId);
        var secure = uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal)));
        return sameSite && secure;
    }

    static IFido2 Fido(PasskeyPolicy policy, string origin) => new Fido2(new Fido2Configuration
    {
        RPID = policy.RelyingPartyId, RPName = policy.RelyingPartyName, Origins = new HashSet<string> { origin },
        Timeout = ChallengeMinutes * 60_000,
    }, null!);

    static UserVerificationRequirement Verification(string uv) =>
        uv == "required" ? UserVerificationRequirement.Required : UserVerificationRequirement.Preferred;

    /// <summary>WebAuthnMfaSettings of Set/AdminSetUserMFAPreference: passkey MFA needs the pool's
    /// MULTI_FACTOR_WITH_USER_VERIFICATION; when on, the user's passkey sign-in requires user verification.</summary>
    public static void SetMfa(UserPoolStore.Pool pool, UserRow user, WebAuthnMfaSettingsType? settings)
    {
        if (settings?.Enabled is not { } enabled) return;
        if (enabled && Configuration(pool)?.FactorConfiguration != MultiFactorWithUserVerification)
            throw new InvalidParameterException("Passkey MFA needs the user pool's WebAuthnConfiguration FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION.");
        var mfa = Mfa.Read(user);
        mfa.WebAuthnMfa = enabled;
        Mfa.Write(user, mfa);
    }

    // ---- credentials ----

    public Task<List<WebAuthnCredentialRow>> Of(UserRow user, CancellationToken ct) =>
        db.WebAuthnCredentials.Where(c => c.UserSub == user.Sub).OrderBy(c => c.Id).ToListAsync(ct);

    public Task<bool> Has(UserRow user, CancellationToken ct) => db.WebAuthnCredentials.AnyAsync(c => c.UserSub == user.Sub, ct);

    public static List<string> TransportsOf(WebAuthnCredentialRow row) => JsonSerializer.Deserialize<List<string>>(row.Transports) ?? [];

    static PublicKeyCredentialDescriptor Descriptor(WebAuthnCredentialRow row) =>
        new(PublicKeyCredentialType.PublicKey, System.Buffers.Text.Base64Url.DecodeFromChars(row.CredentialId),
            TransportsOf(row).Select(TransportFrom).OfType<AuthenticatorTransport>().ToArray());

    static AuthenticatorTransport? TransportFrom(string name) => name switch
    {
        "usb" => AuthenticatorTransport.Usb,
        "nfc" => AuthenticatorTransport.Nfc,
        "ble" => AuthenticatorTransport.Ble,
        "internal" => AuthenticatorTransport.Internal,
        "hybrid" => AuthenticatorTransport.Hybrid,
        _ => null,
    };

    static string TransportName(AuthenticatorTransport t) => t switch
    {
        AuthenticatorTransport.Usb => "usb",
        AuthenticatorTransport.Nfc => "nfc",
        AuthenticatorTransport.Ble => "ble",
        AuthenticatorTransport.Internal => "internal",
        AuthenticatorTransport.Hybrid => "hybrid",
        _ => t.ToString().ToLowerInvariant(),
    };

    // ---- registration ----

    sealed record RegistrationState(string Options);

    /// <summary>StartWebAuthnRegistration: creation options for the user, the challenge kept as a single-use session.</summary>
    public async Task<JsonElement> StartRegistration(UserPoolStore.Pool pool, UserRow user, string clientId, CancellationToken ct)
    {
        if (!Enabled(pool)) throw new WebAuthnNotEnabledException("Passkeys are not enabled for this user pool: add WEB_AUTHN to the sign-in policy's AllowedFirstAuthFactors.");
        var policy = await Policy(pool, ct);
        var existing = await Of(user, ct);
        var attributes = UserStore.Attributes(user);
        var options = Fido(policy, "https://" + policy.RelyingPartyId).RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User
            {
                Id = Encoding.UTF8.GetBytes(user.Sub), Name = user.Username,
                DisplayName = attributes.GetValueOrDefault("name") ?? attributes.GetValueOrDefault("email") ?? user.Username,
            },
            ExcludeCredentials = existing.Select(Descriptor).ToList(),
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Required, UserVerification = Verification(policy.UserVerification),
            },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        var json = options.ToJson();
        await sessions.Start(pool.Row.Id, clientId, user.Sub, RegistrationSession, new RegistrationState(json), ChallengeMinutes, ct,
            value: System.Buffers.Text.Base64Url.EncodeToString(options.Challenge));
        await db.SaveChangesAsync(ct);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>CompleteWebAuthnRegistration: the attestation verified against the challenge issued to this user through
    /// this client; the credential stored once.</summary>
    public async Task CompleteRegistration(UserPoolStore.Pool pool, UserRow user, string clientId, JsonElement credential, CancellationToken ct)
    {
        if (!Enabled(pool)) throw new WebAuthnNotEnabledException("Passkeys are not enabled for this user pool: add WEB_AUTHN to the sign-in policy's AllowedFirstAuthFactors.");
        var policy = await Policy(pool, ct);
        var response = Parse<AuthenticatorAttestationRawResponse>(credential);
        var client = ClientData(response.Response?.ClientDataJson);
        var id = Tokens.Hash(client.Challenge);
        var row = await db.AuthSessions.FirstOrDefaultAsync(s => s.Id == id && s.ChallengeName == RegistrationSession, ct);
        if (row is null || row.UserSub != user.Sub || row.ExpiresAt <= clock.GetUtcNow())
            throw new WebAuthnChallengeNotFoundException("The passkey registration challenge was not found or has expired: call StartWebAuthnRegistration again.");
        if (row.ClientId != clientId)
            throw new WebAuthnClientMismatchException("The access token is for a different app client than the one that started this passkey registration.");
        db.AuthSessions.Remove(row);
        // A failed attempt uses the challenge up as well: it is never offered twice.
        db.Work.IfFailed(c => db.AuthSessions.Where(s => s.Id == id).ExecuteDeleteAsync(c));
        if (client.Type != "webauthn.create") throw new InvalidParameterException("The credential is not a passkey registration (clientDataJSON type is not webauthn.create).");
        CheckOrigin(client.Origin, policy);
        var options = CredentialCreateOptions.FromJson(JsonSerializer.Deserialize<RegistrationState>(row.State)!.Options);
        RegisteredPublicKeyCredential made;
        try
        {
            made = await Fido(policy, client.Origin!).MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = response, OriginalOptions = options,
                IsCredentialIdUniqueToUserCallback = async (p, c) =>
                {
                    var credentialId = System.Buffers.Text.Base64Url.EncodeToString(p.CredentialId);
                    return !await db.WebAuthnCredentials.AnyAsync(x => x.UserPoolId == pool.Row.Id && x.CredentialId == credentialId, c);
                },
            }, ct);
        }
        catch (Fido2VerificationException e)
        {
            throw Refusal(e, registering: true);
        }
        var now = clock.GetUtcNow();
        var existing = await db.WebAuthnCredentials.CountAsync(c => c.UserSub == user.Sub, ct);
        db.WebAuthnCredentials.Add(new WebAuthnCredentialRow
        {
            UserPoolId = pool.Row.Id, UserSub = user.Sub, CredentialId = System.Buffers.Text.Base64Url.EncodeToString(made.Id),
            PublicKey = made.PublicKey, SignCount = made.SignCount,
            Transports = JsonSerializer.Serialize((made.Transports ?? []).Select(TransportName).ToList()),
            Attachment = AttachmentOf(credential), Name = existing == 0 ? "Passkey" : $"Passkey {existing + 1}",
            RelyingPartyId = policy.RelyingPartyId, CreatedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The unique index: a parallel registration of the same authenticator stored it first.
            throw new InvalidParameterException("This passkey is already registered.");
        }
    }

    static string? AttachmentOf(JsonElement credential) =>
        credential.ValueKind == JsonValueKind.Object && credential.TryGetProperty("authenticatorAttachment", out var a) && a.ValueKind == JsonValueKind.String
            ? a.GetString() : null;

    // ---- sign-in ----

    /// <summary>The WEB_AUTHN challenge's request options for the user's passkeys (all discoverable ones when no user is
    /// named, as the hosted UI's "sign in with a passkey" asks).</summary>
    public async Task<string> RequestOptions(UserPoolStore.Pool pool, UserRow? user, bool requireVerification, CancellationToken ct)
    {
        var policy = await Policy(pool, ct);
        var allowed = user is null ? [] : (await Of(user, ct)).Select(Descriptor).ToList();
        var uv = requireVerification ? UserVerificationRequirement.Required : Verification(policy.UserVerification);
        var options = Fido(policy, "https://" + policy.RelyingPartyId).GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = allowed, UserVerification = uv,
        });
        return options.ToJson();
    }

    /// <summary>The outcome of a verified assertion: the credential used and whether the user was verified (biometrics or
    /// PIN) by the authenticator.</summary>
    public sealed record Assertion(WebAuthnCredentialRow Credential, bool UserVerified);

    /// <summary>Verifies the assertion against the options issued with the session: signature, origin, relying party,
    /// user presence (and verification when asked), and a signature counter above the one stored (a cloned
    /// authenticator's counter falls behind). The credential must be the user's (or, with no user, any in the pool).</summary>
    public async Task<Assertion> Verify(UserPoolStore.Pool pool, string? userSub, string optionsJson, string credentialJson, CancellationToken ct)
    {
        var policy = await Policy(pool, ct);
        JsonElement credential;
        try
        {
            credential = JsonDocument.Parse(credentialJson).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new InvalidParameterException("CREDENTIAL is not a JSON AuthenticationResponseJSON.");
        }
        var response = Parse<AuthenticatorAssertionRawResponse>(credential);
        var client = ClientData(response.Response?.ClientDataJson);
        var options = AssertionOptions.FromJson(optionsJson);
        if (client.Challenge != System.Buffers.Text.Base64Url.EncodeToString(options.Challenge))
            throw new WebAuthnChallengeNotFoundException("The passkey's challenge is not the one issued with this session.");
        CheckOrigin(client.Origin, policy);
        var credentialId = response.Id ?? "";
        var row = await db.WebAuthnCredentials.FirstOrDefaultAsync(c => c.UserPoolId == pool.Row.Id && c.CredentialId == credentialId, ct);
        if (row is null || (userSub is not null && row.UserSub != userSub))
            throw new NotAuthorizedException("The passkey is not registered for this user.");
        VerifyAssertionResult result;
        try
        {
            result = await Fido(policy, client.Origin!).MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = response, OriginalOptions = options, StoredPublicKey = row.PublicKey, StoredSignatureCounter = (uint)row.SignCount,
                IsUserHandleOwnerOfCredentialIdCallback = (p, _) => Task.FromResult(Encoding.UTF8.GetString(p.UserHandle) == row.UserSub),
            }, ct);
        }
        catch (Fido2VerificationException e)
        {
            throw Refusal(e, registering: false);
        }
        row.SignCount = result.SignCount;
        row.LastUsedAt = clock.GetUtcNow();
        // Flags byte of the authenticator data (already verified above): bit 2 is UV.
        var verified = response.Response!.AuthenticatorData is { Length: > 32 } data && (data[32] & 0x04) != 0;
        return new Assertion(row, verified);
    }

    /// <summary>The user whose passkey answers a discoverable sign-in: the credential's owner in this pool.</summary>
    public async Task<string> OwnerOf(UserPoolStore.Pool pool, string credentialJson, CancellationToken ct)
    {
        string? id;
        try
        {
            id = (string?)JsonNode.Parse(credentialJson)?["id"];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new InvalidParameterException("CREDENTIAL is not a JSON AuthenticationResponseJSON.");
        }
        return await db.WebAuthnCredentials.Where(c => c.UserPoolId == pool.Row.Id && c.CredentialId == id).Select(c => c.UserSub).FirstOrDefaultAsync(ct)
               ?? throw new NotAuthorizedException("The passkey is not registered in this user pool.");
    }

    // ---- shared ----

    sealed record CollectedClientData(string? Type, string Challenge, string? Origin);

    static CollectedClientData ClientData(byte[]? clientDataJson)
    {
        try
        {
            var o = JsonNode.Parse(clientDataJson ?? throw new JsonException())!.AsObject();
            return new CollectedClientData((string?)o["type"], (string?)o["challenge"] ?? throw new JsonException(), (string?)o["origin"]);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new InvalidParameterException("The credential's clientDataJSON is not valid.");
        }
    }

    static T Parse<T>(JsonElement credential) where T : class
    {
        try
        {
            return credential.Deserialize<T>() ?? throw new JsonException();
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException or InvalidOperationException)
        {
            throw new InvalidParameterException("The credential is not a valid WebAuthn response JSON.");
        }
    }

    static void CheckOrigin(string? origin, PasskeyPolicy policy)
    {
        if (!OriginAllowed(origin, policy.RelyingPartyId))
            throw new WebAuthnOriginNotAllowedException($"The passkey's origin {origin} is not allowed for the relying party {policy.RelyingPartyId}.");
    }

    static CognitoException Refusal(Fido2VerificationException e, bool registering) => e.Code switch
    {
        Fido2ErrorCode.InvalidRpidHash => new WebAuthnRelyingPartyMismatchException("The passkey belongs to a different relying party than the user pool's."),
        Fido2ErrorCode.InvalidAuthenticatorResponseOrigin or Fido2ErrorCode.CrossOriginRequestNotAllowed or Fido2ErrorCode.InvalidAuthenticatorResponseTopOrigin =>
            new WebAuthnOriginNotAllowedException("The passkey's origin is not allowed for the user pool's relying party."),
        Fido2ErrorCode.InvalidAuthenticatorResponseChallenge or Fido2ErrorCode.MissingAuthenticatorResponseChallenge =>
            new WebAuthnChallengeNotFoundException("The passkey's challenge was not found."),
        Fido2ErrorCode.UnimplementedAlgorithm or Fido2ErrorCode.UnknownAttestationType or Fido2ErrorCode.MissingAttestationType
            or Fido2ErrorCode.CredentialAlgorithmRequirementNotMet =>
            new WebAuthnCredentialNotSupportedException("The passkey's authenticator or algorithm is not supported."),
        Fido2ErrorCode.NonUniqueCredentialId => new InvalidParameterException("This passkey is already registered."),
        Fido2ErrorCode.UserVerificationRequirementNotMet =>
            registering ? new InvalidParameterException("The user pool requires user verification, and the authenticator did not verify the user.")
                : new NotAuthorizedException("The user pool requires user verification, and the authenticator did not verify the user."),
        Fido2ErrorCode.InvalidSignCount => new NotAuthorizedException("The passkey's signature counter went backwards: the authenticator may be cloned."),
        _ => registering ? new InvalidParameterException("The passkey registration could not be verified.")
            : new NotAuthorizedException("The passkey could not be verified."),
    };
}
