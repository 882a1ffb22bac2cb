using System.Text.Json.Nodes;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Triggers;

/// <summary>Pre sign-up's answer: what Cognito does with autoConfirmUser, autoVerifyEmail and autoVerifyPhone.</summary>
public sealed record PreSignUpResult(bool AutoConfirmUser, bool AutoVerifyEmail, bool AutoVerifyPhone)
{
    public static readonly PreSignUpResult None = new(false, false, false);
}

/// <summary>User migration's answer: the user to create from the old directory.</summary>
public sealed record MigratedUser(Dictionary<string, string?> Attributes, string FinalUserStatus, string? MessageAction,
    List<string>? DesiredDeliveryMediums, bool ForceAliasCreation)
{
    /// <summary>enableSMSMFA: the migrated user signs in with SMS MFA (when the pool offers it and the user has a phone number).</summary>
    public bool EnableSmsMfa { get; init; }
}

/// <summary>Custom message's answer (null members: keep the pool's message).</summary>
public sealed record CustomMessageResult(string? EmailSubject, string? EmailMessage, string? SmsMessage);

/// <summary>One round of a custom authentication flow, as the define trigger's session lists them.</summary>
public sealed record ChallengeResult(string ChallengeName, bool Result, string? ChallengeMetadata);

public sealed record DefineAuthChallengeResult(string? ChallengeName, bool IssueTokens, bool FailAuthentication);

public sealed record CreateAuthChallengeResult(Dictionary<string, string> PublicChallengeParameters, JsonObject PrivateChallengeParameters,
    string? ChallengeMetadata);

/// <summary>Pre token generation's answer: claims and scopes to add or take away, and the groups to put in the tokens.</summary>
public sealed record TokenOverrides(
    JsonObject IdClaimsToAddOrOverride, List<string> IdClaimsToSuppress,
    JsonObject AccessClaimsToAddOrOverride, List<string> AccessClaimsToSuppress,
    List<string> ScopesToAdd, List<string> ScopesToSuppress,
    List<string>? GroupsToOverride, List<string>? IamRolesToOverride, string? PreferredRole);

/// <summary>
/// The triggers of a pool's user lifecycle, as Cognito calls them: each method builds the event Cognito sends for its
/// trigger source (version, triggerSource, region, userPoolId, userName, callerContext, request, response), runs the
/// pool's function (nothing when the pool has none) and reads the response members with Cognito's meaning.
/// A failing function throws UserLambdaValidationException, which fails (and rolls back) the calling operation; post
/// confirmation alone runs after its operation is committed.
/// </summary>
public sealed class UserTriggers(TriggerInvoker invoker, PortalDb db, IHttpContextAccessor http)
{
    public const string NoClient = "CLIENT_ID_NOT_APPLICABLE";

    public static bool Has(UserPoolStore.Pool pool, string trigger) => TriggerInvoker.Configured(pool, trigger);

    // ---- sign-up ----

    /// <summary>Pre sign-up. <paramref name="source"/>: PreSignUp_SignUp, PreSignUp_AdminCreateUser or PreSignUp_ExternalProvider
    /// (the short forms SignUp, AdminCreateUser, ExternalProvider are accepted).</summary>
    public async Task<PreSignUpResult> PreSignUp(UserPoolStore.Pool pool, string source, string userName,
        IReadOnlyDictionary<string, string?> attributes, string? clientId,
        IReadOnlyDictionary<string, string>? validationData = null, IReadOnlyDictionary<string, string>? clientMetadata = null,
        CancellationToken ct = default)
    {
        if (!Has(pool, "PreSignUp")) return PreSignUpResult.None;
        source = source.StartsWith("PreSignUp_", StringComparison.Ordinal) ? source : "PreSignUp_" + source;
        var ev = Event(pool, "1", source, userName, clientId,
            new JsonObject
            {
                ["userAttributes"] = Map(attributes.Where(a => a.Value is not null).Select(a => new KeyValuePair<string, string>(a.Key, a.Value!))),
                ["validationData"] = Map(validationData),
                ["clientMetadata"] = Map(clientMetadata),
            },
            new JsonObject { ["autoConfirmUser"] = false, ["autoVerifyPhone"] = false, ["autoVerifyEmail"] = false });
        var r = Response(await invoker.Invoke(pool, "PreSignUp", ev, ct));
        var result = new PreSignUpResult(Bool(r?["autoConfirmUser"]), Bool(r?["autoVerifyEmail"]), Bool(r?["autoVerifyPhone"]));
        // Cognito's rule: an address can only be verified when it is given.
        if (result.AutoVerifyEmail && string.IsNullOrEmpty(attributes.GetValueOrDefault("email")))
            throw new InvalidParameterException("Email is not present, cannot auto verify email.");
        if (result.AutoVerifyPhone && string.IsNullOrEmpty(attributes.GetValueOrDefault("phone_number")))
            throw new InvalidParameterException("Phone number is not present, cannot auto verify phone number.");
        return result;
    }

    /// <summary>Post confirmation (PostConfirmation_ConfirmSignUp or PostConfirmation_ConfirmForgotPassword), with the user
    /// as confirmed now. It runs once the operation is committed, as Cognito runs it: a failing function leaves the user
    /// confirmed and its error is the operation's answer; a function that calls back into Portal's API to write (e.g.
    /// AdminAddUserToGroup) finds no lock of the confirming operation held.</summary>
    public async Task PostConfirmation(UserPoolStore.Pool pool, string source, UserRow user, string? clientId,
        IReadOnlyDictionary<string, string>? clientMetadata, CancellationToken ct)
    {
        if (!Has(pool, "PostConfirmation")) return;
        var ev = Event(pool, "1", source, user.Username, clientId,
            new JsonObject { ["userAttributes"] = UserAttributes(user), ["clientMetadata"] = Map(clientMetadata) }, new JsonObject());
        await db.Work.AfterCommitAnswering(c => invoker.Invoke(pool, "PostConfirmation", ev, c), ct);
    }

    // ---- authentication ----

    /// <summary>Pre authentication: the function may refuse the sign-in by failing.</summary>
    public async Task PreAuthentication(UserPoolStore.Pool pool, UserRow? user, string userName, string? clientId,
        IReadOnlyDictionary<string, string>? validationData, CancellationToken ct)
    {
        if (!Has(pool, "PreAuthentication")) return;
        var request = new JsonObject { ["userAttributes"] = user is null ? new JsonObject() : UserAttributes(user), ["validationData"] = Map(validationData) };
        if (user is null) request["userNotFound"] = true;
        var ev = Event(pool, "1", "PreAuthentication_Authentication", user?.Username ?? userName, clientId, request, new JsonObject());
        await invoker.Invoke(pool, "PreAuthentication", ev, ct);
    }

    /// <summary>Post authentication, after the user is authenticated and before the tokens are issued. Unlike post
    /// confirmation it runs inside its operation: a failure must withhold the tokens, and the sign-in's records (the auth
    /// event, the lockout forgotten, a new password) go with them.</summary>
    public async Task PostAuthentication(UserPoolStore.Pool pool, UserRow user, string? clientId,
        IReadOnlyDictionary<string, string>? clientMetadata, CancellationToken ct)
    {
        if (!Has(pool, "PostAuthentication")) return;
        var ev = Event(pool, "1", "PostAuthentication_Authentication", user.Username, clientId,
            new JsonObject { ["userAttributes"] = UserAttributes(user), ["newDeviceUsed"] = false, ["clientMetadata"] = Map(clientMetadata) },
            new JsonObject());
        await invoker.Invoke(pool, "PostAuthentication", ev, ct);
    }

    /// <summary>User migration (UserMigration_Authentication with the password, UserMigration_ForgotPassword without):
    /// null when the pool has no migration function; UserNotFoundException when the function does not know the user.</summary>
    public async Task<MigratedUser?> UserMigration(UserPoolStore.Pool pool, string source, string userName, string? password, string? clientId,
        IReadOnlyDictionary<string, string>? validationData, IReadOnlyDictionary<string, string>? clientMetadata, CancellationToken ct)
    {
        if (!Has(pool, "UserMigration")) return null;
        var request = new JsonObject();
        if (password is not null) request["password"] = password;
        request["validationData"] = Map(validationData);
        request["clientMetadata"] = Map(clientMetadata);
        var ev = Event(pool, "1", source, userName, clientId, request, new JsonObject
        {
            ["userAttributes"] = null, ["forceAliasCreation"] = null, ["enableSMSMFA"] = null, ["finalUserStatus"] = null,
            ["messageAction"] = null, ["desiredDeliveryMediums"] = null,
        });
        var r = Response(await invoker.Invoke(pool, "UserMigration", ev, ct));
        if (r?["userAttributes"] is not JsonObject attributes || attributes.Count == 0)
            throw UserNotFoundException.DoesNotExist();
        var status = r["finalUserStatus"]?.ToString();
        if (status is not (null or "" or UserStatus.Confirmed or UserStatus.ResetRequired))
            throw new InvalidLambdaResponseException("Invalid finalUserStatus in lambda response: must be CONFIRMED or RESET_REQUIRED");
        return new MigratedUser(
            attributes.ToDictionary(a => a.Key, a => a.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : a.Value?.ToJsonString()),
            string.IsNullOrEmpty(status) ? UserStatus.Confirmed : status, r["messageAction"]?.ToString(),
            (r["desiredDeliveryMediums"] as JsonArray)?.Select(x => x?.ToString() ?? "").ToList(), Bool(r["forceAliasCreation"]))
        {
            EnableSmsMfa = Bool(r["enableSMSMFA"]),
        };
    }

    // ---- custom authentication ----

    public async Task<DefineAuthChallengeResult> DefineAuthChallenge(UserPoolStore.Pool pool, UserRow? user, string userName, string? clientId,
        IReadOnlyList<ChallengeResult> session, IReadOnlyDictionary<string, string>? clientMetadata, CancellationToken ct)
    {
        var request = new JsonObject
        {
            ["userAttributes"] = user is null ? new JsonObject() : UserAttributes(user),
            ["session"] = Session(session),
            ["clientMetadata"] = Map(clientMetadata),
        };
        if (user is null) request["userNotFound"] = true;
        var ev = Event(pool, "1", "DefineAuthChallenge_Authentication", user?.Username ?? userName, clientId, request,
            new JsonObject { ["challengeName"] = null, ["issueTokens"] = null, ["failAuthentication"] = null });
        var r = Response(await invoker.Invoke(pool, "DefineAuthChallenge", ev, ct));
        return new DefineAuthChallengeResult(r?["challengeName"]?.ToString(), Bool(r?["issueTokens"]), Bool(r?["failAuthentication"]));
    }

    public async Task<CreateAuthChallengeResult> CreateAuthChallenge(UserPoolStore.Pool pool, UserRow? user, string userName, string? clientId,
        string challengeName, IReadOnlyList<ChallengeResult> session, IReadOnlyDictionary<string, string>? clientMetadata, CancellationToken ct)
    {
        var request = new JsonObject
        {
            ["userAttributes"] = user is null ? new JsonObject() : UserAttributes(user),
            ["challengeName"] = challengeName,
            ["session"] = Session(session),
            ["clientMetadata"] = Map(clientMetadata),
        };
        if (user is null) request["userNotFound"] = true;
        var ev = Event(pool, "1", "CreateAuthChallenge_Authentication", user?.Username ?? userName, clientId, request,
            new JsonObject { ["publicChallengeParameters"] = null, ["privateChallengeParameters"] = null, ["challengeMetadata"] = null });
        var r = Response(await invoker.Invoke(pool, "CreateAuthChallenge", ev, ct));
        var publicParameters = (r?["publicChallengeParameters"] as JsonObject ?? [])
            .ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value?.ToJsonString() ?? "");
        return new CreateAuthChallengeResult(publicParameters, (r?["privateChallengeParameters"] as JsonObject)?.DeepClone().AsObject() ?? [],
            r?["challengeMetadata"]?.ToString());
    }

    public async Task<bool> VerifyAuthChallengeResponse(UserPoolStore.Pool pool, UserRow? user, string userName, string? clientId,
        JsonObject privateChallengeParameters, string answer, IReadOnlyDictionary<string, string>? clientMetadata, CancellationToken ct)
    {
        var request = new JsonObject
        {
            ["userAttributes"] = user is null ? new JsonObject() : UserAttributes(user),
            ["privateChallengeParameters"] = privateChallengeParameters.DeepClone(),
            ["challengeAnswer"] = answer,
            ["clientMetadata"] = Map(clientMetadata),
        };
        if (user is null) request["userNotFound"] = true;
        var ev = Event(pool, "1", "VerifyAuthChallengeResponse_Authentication", user?.Username ?? userName, clientId, request,
            new JsonObject { ["answerCorrect"] = null });
        var r = Response(await invoker.Invoke(pool, "VerifyAuthChallengeResponse", ev, ct));
        return Bool(r?["answerCorrect"]);
    }

    // ---- tokens ----

    /// <summary>Pre token generation (V1_0: ID token claims and groups; V2_0/V3_0: also the access token's claims and scopes).
    /// <paramref name="source"/>: TokenGeneration_Authentication, _HostedAuth, _NewPasswordChallenge, _RefreshTokens, ...</summary>
    public async Task<TokenOverrides?> PreTokenGeneration(UserPoolStore.Pool pool, string source, UserRow user, string clientId,
        IReadOnlyList<GroupRow> groups, IReadOnlyList<string> scopes, IReadOnlyDictionary<string, string>? clientMetadata, CancellationToken ct)
    {
        var (arn, version) = TriggerFunctions.Configured(pool.Settings.LambdaConfig, "PreTokenGeneration");
        if (string.IsNullOrEmpty(arn)) return null;
        var v2 = version is "V2_0" or "V3_0";
        var request = new JsonObject
        {
            ["userAttributes"] = UserAttributes(user),
            ["groupConfiguration"] = new JsonObject
            {
                ["groupsToOverride"] = Array(groups.Select(g => g.GroupName)),
                ["iamRolesToOverride"] = Array(groups.Where(g => !string.IsNullOrEmpty(g.RoleArn)).Select(g => g.RoleArn!).Distinct()),
                ["preferredRole"] = groups.FirstOrDefault(g => !string.IsNullOrEmpty(g.RoleArn))?.RoleArn,
            },
        };
        if (v2) request["scopes"] = Array(scopes);
        request["clientMetadata"] = Map(clientMetadata);
        var ev = Event(pool, v2 ? (version == "V3_0" ? "3" : "2") : "1", source, user.Username, clientId, request,
            v2 ? new JsonObject { ["claimsAndScopeOverrideDetails"] = null } : new JsonObject { ["claimsOverrideDetails"] = null });
        var r = Response(await invoker.Invoke(pool, "PreTokenGeneration", ev, ct));
        if (r is null) return null;

        JsonObject idAdd = [], accessAdd = [];
        List<string> idSuppress = [], accessSuppress = [], scopesAdd = [], scopesSuppress = [];
        JsonObject? groupDetails;
        if (v2 && r["claimsAndScopeOverrideDetails"] is JsonObject details)
        {
            var id = details["idTokenGeneration"] as JsonObject;
            var access = details["accessTokenGeneration"] as JsonObject;
            idAdd = Claims(id?["claimsToAddOrOverride"]);
            idSuppress = Strings(id?["claimsToSuppress"]);
            accessAdd = Claims(access?["claimsToAddOrOverride"]);
            accessSuppress = Strings(access?["claimsToSuppress"]);
            scopesAdd = Strings(access?["scopesToAdd"]);
            scopesSuppress = Strings(access?["scopesToSuppress"]);
            groupDetails = details["groupOverrideDetails"] as JsonObject;
        }
        else if (r["claimsOverrideDetails"] is JsonObject v1)
        {
            idAdd = Claims(v1["claimsToAddOrOverride"]);
            idSuppress = Strings(v1["claimsToSuppress"]);
            groupDetails = v1["groupOverrideDetails"] as JsonObject;
        }
        else return null;

        return new TokenOverrides(idAdd, idSuppress, accessAdd, accessSuppress, scopesAdd, scopesSuppress,
            groupDetails?["groupsToOverride"] is JsonArray g ? Strings(g) : null,
            groupDetails?["iamRolesToOverride"] is JsonArray roles ? Strings(roles) : null,
            groupDetails?["preferredRole"]?.ToString());
    }

    /// <summary>Pre token generation for machine-to-machine tokens (client_credentials): only with the V3_0 event, as
    /// Cognito has it; the function may add, override or suppress access-token claims and add or suppress scopes.</summary>
    public async Task<TokenOverrides?> PreTokenGenerationForClient(UserPoolStore.Pool pool, string clientId, IReadOnlyList<string> scopes,
        CancellationToken ct)
    {
        var (arn, version) = TriggerFunctions.Configured(pool.Settings.LambdaConfig, "PreTokenGeneration");
        if (string.IsNullOrEmpty(arn) || version != "V3_0") return null;
        var request = new JsonObject
        {
            ["userAttributes"] = new JsonObject(), ["groupConfiguration"] = null, ["scopes"] = Array(scopes), ["clientMetadata"] = new JsonObject(),
        };
        var ev = Event(pool, "3", "TokenGeneration_ClientCredentials", null, clientId, request,
            new JsonObject { ["claimsAndScopeOverrideDetails"] = null });
        var r = Response(await invoker.Invoke(pool, "PreTokenGeneration", ev, ct));
        if (r?["claimsAndScopeOverrideDetails"]?["accessTokenGeneration"] is not JsonObject access) return null;
        return new TokenOverrides([], [], Claims(access["claimsToAddOrOverride"]), Strings(access["claimsToSuppress"]),
            Strings(access["scopesToAdd"]), Strings(access["scopesToSuppress"]), null, null, null);
    }

    // ---- messages ----

    /// <summary>Custom message (CustomMessage_SignUp, _AdminCreateUser, _ResendCode, _ForgotPassword, _UpdateUserAttribute,
    /// _VerifyUserAttribute, _Authentication): the code is passed as the {####} placeholder and put in afterwards.</summary>
    public async Task<CustomMessageResult?> CustomMessage(UserPoolStore.Pool pool, string source, UserRow user, string? clientId,
        bool withUsername, IReadOnlyDictionary<string, string>? clientMetadata, CancellationToken ct)
    {
        if (!Has(pool, "CustomMessage")) return null;
        var request = new JsonObject
        {
            ["userAttributes"] = UserAttributes(user),
            ["codeParameter"] = "{####}",
            ["linkParameter"] = "{##Click Here##}",
            ["usernameParameter"] = withUsername ? "{username}" : null,
            ["clientMetadata"] = Map(clientMetadata),
        };
        var ev = Event(pool, "1", source, user.Username, clientId, request,
            new JsonObject { ["smsMessage"] = null, ["emailMessage"] = null, ["emailSubject"] = null });
        var r = Response(await invoker.Invoke(pool, "CustomMessage", ev, ct));
        return r is null ? null : new CustomMessageResult(Text(r["emailSubject"]), Text(r["emailMessage"]), Text(r["smsMessage"]));
    }

    // ---- the event ----

    /// <summary>Cognito's event envelope.</summary>
    public JsonObject Event(UserPoolStore.Pool pool, string version, string source, string? userName, string? clientId,
        JsonObject request, JsonObject response) =>
        Envelope(pool.Row.Id, version, source, userName, clientId, SdkVersion(), request, response);

    public static JsonObject Envelope(string poolId, string version, string source, string? userName, string? clientId, string sdkVersion,
        JsonObject request, JsonObject response) => new()
        {
            ["version"] = version,
            ["triggerSource"] = source,
            ["region"] = TriggerFunctions.RegionOf(poolId),
            ["userPoolId"] = poolId,
            ["userName"] = userName,
            ["callerContext"] = new JsonObject { ["awsSdkVersion"] = sdkVersion, ["clientId"] = clientId ?? NoClient },
            ["request"] = request,
            ["response"] = response,
        };

    /// <summary>The calling SDK as Cognito names it (aws-sdk-js-3.600.0, ...), from the request's User-Agent.</summary>
    string SdkVersion()
    {
        var agent = http.HttpContext?.Request.Headers.UserAgent.ToString() ?? "";
        var m = System.Text.RegularExpressions.Regex.Match(agent, @"aws-sdk-([a-z-]+)/([0-9][\w.-]*)");
        return m.Success ? $"aws-sdk-{m.Groups[1].Value}-{m.Groups[2].Value}" : "aws-sdk-unknown-unknown";
    }

    /// <summary>The user's attributes as the events carry them, with cognito:user_status.</summary>
    public static JsonObject UserAttributes(UserRow user)
    {
        var o = new JsonObject { ["sub"] = user.Sub };
        foreach (var (name, value) in UserStore.Attributes(user).Where(a => a.Key != "sub")) o[name] = value;
        o["cognito:user_status"] = user.Status;
        if (user.EmailVerified && user.Email is not null) o["cognito:email_alias"] = user.Email;
        return o;
    }

    static JsonObject Map(IEnumerable<KeyValuePair<string, string>>? values)
    {
        var o = new JsonObject();
        foreach (var (k, v) in values ?? []) o[k] = v;
        return o;
    }

    static JsonArray Session(IEnumerable<ChallengeResult> session) => new(session.Select(s => (JsonNode)new JsonObject
    {
        ["challengeName"] = s.ChallengeName, ["challengeResult"] = s.Result, ["challengeMetadata"] = s.ChallengeMetadata,
    }).ToArray());

    static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    static JsonObject? Response(JsonObject? returned) => returned?["response"] as JsonObject;

    static bool Bool(JsonNode? node) => node is JsonValue v &&
        ((v.TryGetValue<bool>(out var b) && b) || (v.TryGetValue<string>(out var s) && string.Equals(s, "true", StringComparison.OrdinalIgnoreCase)));

    static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    static List<string> Strings(JsonNode? node) => node is JsonArray a ? a.Select(x => x?.ToString() ?? "").Where(x => x.Length > 0).ToList() : [];

    static JsonObject Claims(JsonNode? node) => node is JsonObject o ? o.DeepClone().AsObject() : [];
}
