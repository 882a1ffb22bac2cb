using System.Text.RegularExpressions;
using Portal.Client.Contract;

namespace Portal.Tests.Portal;

/// <summary>A small in-memory Cognito for component tests of the admin portal: pools, app clients, resource servers,
/// users with attributes, groups, ListUsers filters and paging, errors as the contract's exceptions. It records every
/// request so tests can check what a page sent. Test double of the engine only; end-to-end tests use the real one.</summary>
public sealed class FakeCognito : ITestCognito
{
    sealed class User
    {
        public required string Username { get; init; }
        public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);
        public bool Enabled { get; set; } = true;
        public string Status { get; set; } = "CONFIRMED";
        public DateTimeOffset Created { get; init; }
        public DateTimeOffset Modified { get; set; }
        public HashSet<string> Groups { get; } = new(StringComparer.Ordinal);
        public List<string> MfaFactors { get; } = [];
        public string? PreferredMfa { get; set; }
    }

    sealed class Pool
    {
        public required UserPoolType Settings { get; set; }
        public List<User> Users { get; } = [];
        public List<GroupType> Groups { get; } = [];
        public List<UserPoolClientType> Clients { get; } = [];
        public List<ResourceServerType> Servers { get; } = [];
        public bool SoftwareTokenMfa { get; set; }
        public SmsMfaConfigType? SmsMfa { get; set; }
        public EmailMfaConfigType? EmailMfa { get; set; }
    }

    static readonly string[] StringAttributes =
        ["name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website",
         "email", "gender", "birthdate", "zoneinfo", "locale", "phone_number", "address"];

    readonly object gate = new();
    readonly List<Pool> pools = [];
    readonly List<object> sent = [];
    readonly DateTimeOffset epoch = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
    int sequence;

    /// <summary>Makes the next matching requests fail: return an exception to throw, or null to answer normally.</summary>
    public Func<object, CognitoException?>? Fail { get; set; }

    /// <summary>Answers for operations the fake does not model (a page test's own, e.g. Portal-only operations):
    /// return the response, or null to fall through to the fake's engine.</summary>
    public Func<object, object?>? Answer { get; set; }

    /// <summary>Every request sent so far, in order.</summary>
    public IReadOnlyList<object> Sent { get { lock (gate) return sent.ToList(); } }

    public List<T> Requests<T>() => Sent.OfType<T>().ToList();

    public Task<TResponse> Send<TResponse>(ICognitoRequest<TResponse> request, CancellationToken ct = default) where TResponse : new()
    {
        lock (gate)
        {
            sent.Add(request);
            try
            {
                if (Fail?.Invoke(request) is { } failure) throw failure;
                if (Answer?.Invoke(request) is { } answer) return Task.FromResult((TResponse)answer);
                return Task.FromResult((TResponse)Handle(request));
            }
            catch (CognitoException e)
            {
                return Task.FromException<TResponse>(e);
            }
        }
    }

    // ---- set-up helpers for tests ----

    public string AddPool(string name, Func<UserPoolType, UserPoolType>? configure = null)
    {
        lock (gate)
        {
            var pool = NewPool(new CreateUserPoolRequest { PoolName = name });
            if (configure is not null) pool.Settings = configure(pool.Settings);
            return pool.Settings.Id!;
        }
    }

    public void AddUser(string poolId, string username, params (string Name, string Value)[] attributes)
    {
        lock (gate)
        {
            var pool = Find(poolId);
            var user = new User { Username = username, Created = Next(), Modified = epoch };
            user.Attributes["sub"] = Guid.NewGuid().ToString();
            foreach (var (n, v) in attributes) user.Attributes[n] = v;
            pool.Users.Add(user);
        }
    }

    public void SetUser(string poolId, string username, bool? enabled = null, string? status = null)
    {
        lock (gate)
        {
            var user = FindUser(Find(poolId), username);
            if (enabled is not null) user.Enabled = enabled.Value;
            if (status is not null) user.Status = status;
        }
    }

    /// <summary>The user's MFA factors ("SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP") and preferred one, as AdminGetUser answers them.</summary>
    public void SetUserMfa(string poolId, string username, string[] factors, string? preferred = null)
    {
        lock (gate)
        {
            var user = FindUser(Find(poolId), username);
            user.MfaFactors.Clear();
            user.MfaFactors.AddRange(factors);
            user.PreferredMfa = preferred;
        }
    }

    /// <summary>Sets the pool's MFA as SetUserPoolMfaConfig would, without recording a request.</summary>
    public void SetPoolMfa(SetUserPoolMfaConfigRequest config)
    {
        lock (gate) Handle(config);
    }

    public IReadOnlyList<string> MfaOf(string poolId, string username) { lock (gate) return FindUser(Find(poolId), username).MfaFactors.ToList(); }

    public void AddGroup(string poolId, string group, string? description = null, int? precedence = null)
    {
        lock (gate) Find(poolId).Groups.Add(new GroupType { GroupName = group, UserPoolId = poolId, Description = description, Precedence = precedence, CreationDate = Next() });
    }

    public void AddToGroup(string poolId, string username, string group)
    {
        lock (gate) FindUser(Find(poolId), username).Groups.Add(group);
    }

    public string AddClient(string poolId, string name, bool secret = false)
    {
        lock (gate)
        {
            var client = NewClient(new CreateUserPoolClientRequest { UserPoolId = poolId, ClientName = name, GenerateSecret = secret });
            return client.ClientId!;
        }
    }

    public bool HasUser(string poolId, string username) { lock (gate) return Find(poolId).Users.Any(u => u.Username == username); }
    public bool IsEnabled(string poolId, string username) { lock (gate) return FindUser(Find(poolId), username).Enabled; }
    public string? Attribute(string poolId, string username, string name) { lock (gate) return FindUser(Find(poolId), username).Attributes.GetValueOrDefault(name); }
    public IReadOnlyList<string> GroupsOf(string poolId, string username) { lock (gate) return FindUser(Find(poolId), username).Groups.ToList(); }
    public UserPoolType PoolSettings(string poolId) { lock (gate) return Find(poolId).Settings; }
    public bool HasPool(string poolId) { lock (gate) return pools.Any(p => p.Settings.Id == poolId); }

    // ---- the engine ----

    DateTimeOffset Next() => epoch.AddMinutes(++sequence);

    Pool Find(string? poolId) =>
        pools.FirstOrDefault(p => p.Settings.Id == poolId) ?? throw new ResourceNotFoundException($"User pool {poolId} does not exist.");

    static User FindUser(Pool pool, string? username) =>
        pool.Users.FirstOrDefault(u => u.Username == username) ?? throw new UserNotFoundException("User does not exist.");

    static GroupType FindGroup(Pool pool, string? name) =>
        pool.Groups.FirstOrDefault(g => g.GroupName == name) ?? throw new ResourceNotFoundException("Group not found.");

    static UserType ToUser(User u) => new()
    {
        Username = u.Username,
        Attributes = u.Attributes.Select(a => new AttributeType { Name = a.Key, Value = a.Value }).ToList(),
        Enabled = u.Enabled,
        UserStatus = u.Status,
        UserCreateDate = u.Created,
        UserLastModifiedDate = u.Modified,
    };

    /// <summary>Offset-based page tokens: opaque to the portal, easy to check in tests ("users-60").</summary>
    static (List<T> Page, string? Next) Paged<T>(List<T> all, string prefix, int? limit, string? token)
    {
        var offset = 0;
        if (token is not null && (!token.StartsWith(prefix + "-", StringComparison.Ordinal) || !int.TryParse(token[(prefix.Length + 1)..], out offset)))
            throw new InvalidParameterException("Invalid pagination token.");
        var size = limit ?? 60;
        var page = all.Skip(offset).Take(size).ToList();
        return (page, offset + size < all.Count ? $"{prefix}-{offset + size}" : null);
    }

    static List<SchemaAttributeType> StandardSchema() =>
    [
        new() { Name = "sub", AttributeDataType = "String", Mutable = false, Required = true },
        .. StringAttributes.Select(n => new SchemaAttributeType { Name = n, AttributeDataType = "String", Mutable = true, Required = false }),
        new() { Name = "email_verified", AttributeDataType = "Boolean", Mutable = true, Required = false },
        new() { Name = "phone_number_verified", AttributeDataType = "Boolean", Mutable = true, Required = false },
    ];

    Pool NewPool(CreateUserPoolRequest r)
    {
        if (string.IsNullOrWhiteSpace(r.PoolName))
            throw InvalidParameterException.Missing("poolName");
        if (r.UsernameAttributes is { Count: > 0 } && r.AliasAttributes is { Count: > 0 })
            throw new InvalidParameterException("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.", "usernameAttributes");
        if (r.MfaConfiguration is "ON" or "OPTIONAL" && r.SmsConfiguration is null)
            throw new InvalidParameterException("SMS configuration and Auto verification for phone_number are required when MFA is required/optional", "smsConfiguration");
        var schema = StandardSchema();
        foreach (var a in r.Schema ?? [])
        {
            var i = schema.FindIndex(s => s.Name == a.Name);
            if (i >= 0) schema[i] = schema[i] with { Required = a.Required ?? schema[i].Required, Mutable = a.Mutable ?? schema[i].Mutable };
            else schema.Add(a with { Name = "custom:" + a.Name });
        }
        var id = $"us-east-1_Fake{pools.Count + 1:D5}";
        var pool = new Pool
        {
            Settings = new UserPoolType
            {
                Id = id, Name = r.PoolName, Arn = $"arn:aws:cognito-idp:us-east-1:000000000000:userpool/{id}", Status = "Enabled",
                CreationDate = Next(), LastModifiedDate = epoch, SchemaAttributes = schema,
                Policies = r.Policies ?? new UserPoolPolicyType { PasswordPolicy = new() { MinimumLength = 8, TemporaryPasswordValidityDays = 7 } },
                MfaConfiguration = r.MfaConfiguration ?? "OFF", DeletionProtection = r.DeletionProtection ?? "INACTIVE",
                UsernameAttributes = r.UsernameAttributes, AliasAttributes = r.AliasAttributes, AutoVerifiedAttributes = r.AutoVerifiedAttributes,
                UsernameConfiguration = r.UsernameConfiguration, AdminCreateUserConfig = r.AdminCreateUserConfig ?? new() { AllowAdminCreateUserOnly = false },
                VerificationMessageTemplate = r.VerificationMessageTemplate, AccountRecoverySetting = r.AccountRecoverySetting,
                SmsConfiguration = r.SmsConfiguration, UserPoolTier = r.UserPoolTier ?? "ESSENTIALS", EstimatedNumberOfUsers = 0,
            },
        };
        pools.Add(pool);
        return pool;
    }

    UserPoolClientType NewClient(CreateUserPoolClientRequest r)
    {
        var pool = Find(r.UserPoolId);
        if (string.IsNullOrWhiteSpace(r.ClientName))
            throw InvalidParameterException.Missing("clientName");
        foreach (var scope in r.AllowedOAuthScopes ?? [])
            if (scope.Contains('/') && !pool.Servers.Any(s => (s.Scopes ?? []).Any(x => $"{s.Identifier}/{x.ScopeName}" == scope)))
                throw new ScopeDoesNotExistException($"Invalid scope requested: {scope}");
        var id = string.Concat(Enumerable.Range(0, 26).Select(i => (char)('a' + (sequence * 7 + i * 3) % 26)));
        sequence++;
        var client = new UserPoolClientType
        {
            UserPoolId = pool.Settings.Id, ClientId = id, ClientName = r.ClientName, CreationDate = Next(), LastModifiedDate = epoch,
            ClientSecret = r.GenerateSecret == true ? "s3cr3t" + new string('x', 40) + sequence : null,
            ExplicitAuthFlows = r.ExplicitAuthFlows ?? ["ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], AccessTokenValidity = r.AccessTokenValidity, IdTokenValidity = r.IdTokenValidity,
            RefreshTokenValidity = r.RefreshTokenValidity, TokenValidityUnits = r.TokenValidityUnits, CallbackURLs = r.CallbackURLs,
            LogoutURLs = r.LogoutURLs, AllowedOAuthFlows = r.AllowedOAuthFlows, AllowedOAuthScopes = r.AllowedOAuthScopes,
            AllowedOAuthFlowsUserPoolClient = r.AllowedOAuthFlowsUserPoolClient, ReadAttributes = r.ReadAttributes, WriteAttributes = r.WriteAttributes,
            PreventUserExistenceErrors = r.PreventUserExistenceErrors, EnableTokenRevocation = r.EnableTokenRevocation,
            SupportedIdentityProviders = r.SupportedIdentityProviders, DefaultRedirectURI = r.DefaultRedirectURI, AuthSessionValidity = r.AuthSessionValidity,
        };
        pool.Clients.Add(client);
        return client;
    }

    static void CheckAttributes(Pool pool, IEnumerable<AttributeType> attributes, bool creating)
    {
        foreach (var a in attributes)
        {
            var def = pool.Settings.SchemaAttributes!.FirstOrDefault(s => s.Name == a.Name)
                      ?? throw InvalidParameterException.Schema(a.Name!, "Attribute does not exist in the schema.");
            if (!creating && def.Mutable == false)
                throw InvalidParameterException.Schema(a.Name!, "Attribute cannot be updated. (changing an immutable attribute)");
            if (a.Name == "email" && !Regex.IsMatch(a.Value ?? "", @"^[^@\s]+@[^@\s]+$"))
                throw new InvalidParameterException("Invalid email address format.", "userAttributes.email");
            if (a.Name == "phone_number" && !Regex.IsMatch(a.Value ?? "", @"^\+[0-9]{4,15}$"))
                throw new InvalidParameterException("Invalid phone number format.", "userAttributes.phone_number");
        }
    }

    /// <summary>The ListUsers filter grammar: <c>attr = "v"</c> or <c>attr ^= "v"</c>.</summary>
    static Func<User, bool> Filter(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter)) return _ => true;
        var m = Regex.Match(filter, @"^\s*([\w:]+)\s*(\^=|=)\s*""((?:[^""\\]|\\.)*)""\s*$");
        if (!m.Success) throw new InvalidParameterException("Error while parsing filter.");
        var (attribute, prefix, value) = (m.Groups[1].Value, m.Groups[2].Value == "^=", Regex.Unescape(m.Groups[3].Value));
        Func<User, string?> read = attribute switch
        {
            "username" => u => u.Username,
            "status" => u => u.Enabled ? "Enabled" : "Disabled",
            "cognito:user_status" => u => u.Status,
            "email" or "phone_number" or "name" or "given_name" or "family_name" or "preferred_username" or "sub" => u => u.Attributes.GetValueOrDefault(attribute),
            _ => throw new InvalidParameterException($"Invalid search attribute: {attribute}"),
        };
        return u => read(u) is { } v && (prefix ? v.StartsWith(value, StringComparison.Ordinal) : v == value);
    }

    object Handle(object request)
    {
        switch (request)
        {
            case ListUserPoolsRequest r:
            {
                var (page, next) = Paged(pools.Select(p => new UserPoolDescriptionType
                {
                    Id = p.Settings.Id, Name = p.Settings.Name, Status = "Enabled", CreationDate = p.Settings.CreationDate, LastModifiedDate = p.Settings.LastModifiedDate,
                }).ToList(), "pools", r.MaxResults, r.NextToken);
                return new ListUserPoolsResponse { UserPools = page, NextToken = next };
            }
            case DescribeUserPoolRequest r:
            {
                var pool = Find(r.UserPoolId);
                return new DescribeUserPoolResponse { UserPool = pool.Settings with { EstimatedNumberOfUsers = pool.Users.Count } };
            }
            case CreateUserPoolRequest r:
                return new CreateUserPoolResponse { UserPool = NewPool(r).Settings };
            case UpdateUserPoolRequest r:
            {
                var pool = Find(r.UserPoolId);
                if (r.MfaConfiguration is "ON" or "OPTIONAL" && r.SmsConfiguration is null && !pool.SoftwareTokenMfa && pool.EmailMfa is null)
                    throw new InvalidParameterException("SMS configuration and Auto verification for phone_number are required when MFA is required/optional", "smsConfiguration");
                if (r.EmailConfiguration?.ReplyToEmailAddress is { } replyTo && !Regex.IsMatch(replyTo, @"^[^@\s]+@[^@\s]+$"))
                    throw new InvalidParameterException(
                        $"1 validation error detected: Value '{replyTo}' at 'emailConfiguration.replyToEmailAddress' failed to satisfy constraint: Member must satisfy regular expression pattern", "emailConfiguration.replyToEmailAddress");
                pool.Settings = pool.Settings with
                {
                    Name = r.PoolName ?? pool.Settings.Name,
                    Policies = r.Policies,
                    DeletionProtection = r.DeletionProtection ?? "INACTIVE",
                    MfaConfiguration = r.MfaConfiguration ?? "OFF",
                    AutoVerifiedAttributes = r.AutoVerifiedAttributes,
                    AdminCreateUserConfig = r.AdminCreateUserConfig,
                    VerificationMessageTemplate = r.VerificationMessageTemplate,
                    AccountRecoverySetting = r.AccountRecoverySetting,
                    EmailConfiguration = r.EmailConfiguration,
                    UserAttributeUpdateSettings = r.UserAttributeUpdateSettings,
                    SmsConfiguration = r.SmsConfiguration,
                    LastModifiedDate = Next(),
                };
                return new UpdateUserPoolResponse();
            }
            case GetUserPoolMfaConfigRequest r:
            {
                var pool = Find(r.UserPoolId);
                return new GetUserPoolMfaConfigResponse
                {
                    MfaConfiguration = pool.Settings.MfaConfiguration ?? "OFF", SmsMfaConfiguration = pool.SmsMfa,
                    SoftwareTokenMfaConfiguration = new() { Enabled = pool.SoftwareTokenMfa }, EmailMfaConfiguration = pool.EmailMfa,
                };
            }
            case SetUserPoolMfaConfigRequest r:
            {
                // As the engine: every factor the request leaves out is off; ON or OPTIONAL needs one on.
                var pool = Find(r.UserPoolId);
                var mode = r.MfaConfiguration ?? pool.Settings.MfaConfiguration ?? "OFF";
                var sms = r.SmsMfaConfiguration;
                var smsConfiguration = sms?.SmsConfiguration ?? pool.Settings.SmsConfiguration;
                if (sms is not null && string.IsNullOrEmpty(smsConfiguration?.SnsCallerArn))
                    throw new InvalidParameterException("SMS configuration with an SnsCallerArn is required to turn on SMS MFA.", "smsMfaConfiguration.smsConfiguration.snsCallerArn");
                if (mode is "ON" or "OPTIONAL" && sms is null && r.SoftwareTokenMfaConfiguration?.Enabled != true && r.EmailMfaConfiguration is null)
                    throw new InvalidParameterException("Invalid MFA configuration given, can't turn off all MFAs when MFA is required or optional.", "mfaConfiguration");
                pool.SoftwareTokenMfa = r.SoftwareTokenMfaConfiguration?.Enabled == true;
                pool.SmsMfa = sms is null ? null : sms with { SmsConfiguration = smsConfiguration };
                pool.EmailMfa = r.EmailMfaConfiguration;
                pool.Settings = pool.Settings with
                {
                    MfaConfiguration = mode,
                    SmsConfiguration = smsConfiguration,
                    SmsAuthenticationMessage = sms?.SmsAuthenticationMessage ?? pool.Settings.SmsAuthenticationMessage,
                    LastModifiedDate = Next(),
                };
                return new SetUserPoolMfaConfigResponse
                {
                    MfaConfiguration = mode, SmsMfaConfiguration = pool.SmsMfa,
                    SoftwareTokenMfaConfiguration = new() { Enabled = pool.SoftwareTokenMfa }, EmailMfaConfiguration = pool.EmailMfa,
                };
            }
            case DeleteUserPoolRequest r:
            {
                var pool = Find(r.UserPoolId);
                if (pool.Settings.DeletionProtection == "ACTIVE")
                    throw new InvalidParameterException("The user pool cannot be deleted because deletion protection is activated.");
                pools.Remove(pool);
                return new DeleteUserPoolResponse();
            }
            case AddCustomAttributesRequest r:
            {
                var pool = Find(r.UserPoolId);
                foreach (var a in r.CustomAttributes ?? [])
                {
                    var name = "custom:" + a.Name;
                    if (pool.Settings.SchemaAttributes!.Any(s => s.Name == name))
                        throw new InvalidParameterException($"Existing attribute already has name {name}.", "customAttributes.name");
                    pool.Settings = pool.Settings with { SchemaAttributes = [.. pool.Settings.SchemaAttributes!, a with { Name = name, Required = false }] };
                }
                return new AddCustomAttributesResponse();
            }
            case CreateUserPoolDomainRequest r:
            {
                var pool = Find(r.UserPoolId);
                if (!Regex.IsMatch(r.Domain ?? "", "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"))
                    throw new InvalidParameterException($"Domain {r.Domain} is not valid: use lowercase letters, numbers and hyphens, not starting or ending with a hyphen.", "domain");
                if (pools.Any(p => p.Settings.Domain == r.Domain)) throw new InvalidParameterException("Domain already exists.", "domain");
                pool.Settings = pool.Settings with { Domain = r.Domain };
                return new CreateUserPoolDomainResponse { ManagedLoginVersion = r.ManagedLoginVersion };
            }
            case DeleteUserPoolDomainRequest r:
            {
                var pool = Find(r.UserPoolId);
                if (pool.Settings.Domain != r.Domain) throw new InvalidParameterException("No such domain or user pool exists.");
                pool.Settings = pool.Settings with { Domain = null };
                return new DeleteUserPoolDomainResponse();
            }

            case ListUsersRequest r:
            {
                var pool = Find(r.UserPoolId);
                if (r.Limit is < 0 or > 60) throw new InvalidParameterException("Limit must be between 0 and 60.");
                var matching = pool.Users.Where(Filter(r.Filter)).ToList();
                var (page, next) = Paged(matching, "users", r.Limit, r.PaginationToken);
                return new ListUsersResponse { Users = page.Select(ToUser).ToList(), PaginationToken = next };
            }
            case AdminCreateUserRequest r:
            {
                var pool = Find(r.UserPoolId);
                if (string.IsNullOrWhiteSpace(r.Username))
                    throw InvalidParameterException.Missing("username");
                if (pool.Users.Any(u => u.Username == r.Username)) throw new UsernameExistsException("User account already exists");
                CheckAttributes(pool, r.UserAttributes ?? [], creating: true);
                if (r.TemporaryPassword is { Length: < 8 })
                    throw new InvalidPasswordException("Password did not conform with policy: Password not long enough");
                var user = new User { Username = r.Username, Created = Next(), Modified = epoch, Status = "FORCE_CHANGE_PASSWORD" };
                user.Attributes["sub"] = Guid.NewGuid().ToString();
                foreach (var a in r.UserAttributes ?? []) user.Attributes[a.Name!] = a.Value ?? "";
                pool.Users.Add(user);
                return new AdminCreateUserResponse { User = ToUser(user) };
            }
            case AdminGetUserRequest r:
            {
                var u = FindUser(Find(r.UserPoolId), r.Username);
                return new AdminGetUserResponse
                {
                    Username = u.Username, UserAttributes = ToUser(u).Attributes, Enabled = u.Enabled, UserStatus = u.Status,
                    UserCreateDate = u.Created, UserLastModifiedDate = u.Modified,
                    UserMFASettingList = u.MfaFactors.Count > 0 ? u.MfaFactors.ToList() : null, PreferredMfaSetting = u.PreferredMfa,
                };
            }
            case AdminSetUserMFAPreferenceRequest r:
            {
                var u = FindUser(Find(r.UserPoolId), r.Username);
                foreach (var (factor, enabled, preferred) in new[]
                         {
                             ("SOFTWARE_TOKEN_MFA", r.SoftwareTokenMfaSettings?.Enabled, r.SoftwareTokenMfaSettings?.PreferredMfa),
                             ("SMS_MFA", r.SMSMfaSettings?.Enabled, r.SMSMfaSettings?.PreferredMfa),
                             ("EMAIL_OTP", r.EmailMfaSettings?.Enabled, r.EmailMfaSettings?.PreferredMfa),
                         })
                {
                    if (enabled == true && !u.MfaFactors.Contains(factor)) u.MfaFactors.Add(factor);
                    if (enabled == false) u.MfaFactors.Remove(factor);
                    if (preferred == true) u.PreferredMfa = factor;
                    if (!u.MfaFactors.Contains(u.PreferredMfa ?? "") || (preferred == false && u.PreferredMfa == factor)) u.PreferredMfa = null;
                }
                return new AdminSetUserMFAPreferenceResponse();
            }
            case AdminUpdateUserAttributesRequest r:
            {
                var pool = Find(r.UserPoolId);
                var u = FindUser(pool, r.Username);
                CheckAttributes(pool, r.UserAttributes ?? [], creating: false);
                foreach (var a in r.UserAttributes ?? []) u.Attributes[a.Name!] = a.Value ?? "";
                u.Modified = Next();
                return new AdminUpdateUserAttributesResponse();
            }
            case AdminDeleteUserAttributesRequest r:
            {
                var u = FindUser(Find(r.UserPoolId), r.Username);
                foreach (var n in r.UserAttributeNames ?? []) u.Attributes.Remove(n);
                return new AdminDeleteUserAttributesResponse();
            }
            case AdminDeleteUserRequest r:
            {
                var pool = Find(r.UserPoolId);
                pool.Users.Remove(FindUser(pool, r.Username));
                return new AdminDeleteUserResponse();
            }
            case AdminEnableUserRequest r:
                FindUser(Find(r.UserPoolId), r.Username).Enabled = true;
                return new AdminEnableUserResponse();
            case AdminDisableUserRequest r:
                FindUser(Find(r.UserPoolId), r.Username).Enabled = false;
                return new AdminDisableUserResponse();
            case AdminResetUserPasswordRequest r:
                FindUser(Find(r.UserPoolId), r.Username).Status = "RESET_REQUIRED";
                return new AdminResetUserPasswordResponse();
            case AdminSetUserPasswordRequest r:
            {
                var u = FindUser(Find(r.UserPoolId), r.Username);
                if ((r.Password ?? "").Length < 8) throw new InvalidPasswordException("Password did not conform with policy: Password not long enough");
                u.Status = r.Permanent == true ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD";
                return new AdminSetUserPasswordResponse();
            }
            case AdminConfirmSignUpRequest r:
            {
                var u = FindUser(Find(r.UserPoolId), r.Username);
                if (u.Status != "UNCONFIRMED") throw new NotAuthorizedException("User cannot be confirmed. Current status is " + u.Status);
                u.Status = "CONFIRMED";
                return new AdminConfirmSignUpResponse();
            }
            case AdminUserGlobalSignOutRequest r:
                FindUser(Find(r.UserPoolId), r.Username);
                return new AdminUserGlobalSignOutResponse();

            case ListGroupsRequest r:
            {
                var (page, next) = Paged(Find(r.UserPoolId).Groups.ToList(), "groups", r.Limit, r.NextToken);
                return new ListGroupsResponse { Groups = page, NextToken = next };
            }
            case CreateGroupRequest r:
            {
                var pool = Find(r.UserPoolId);
                if (string.IsNullOrWhiteSpace(r.GroupName))
                    throw InvalidParameterException.Missing("groupName");
                if (pool.Groups.Any(g => g.GroupName == r.GroupName)) throw new GroupExistsException("A group with the name already exists.");
                if (r.RoleArn is { } arn && !arn.StartsWith("arn:", StringComparison.Ordinal))
                    throw new InvalidParameterException($"1 validation error detected: Value '{arn}' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern", "roleArn");
                var group = new GroupType
                {
                    GroupName = r.GroupName, UserPoolId = r.UserPoolId, Description = r.Description, Precedence = r.Precedence, RoleArn = r.RoleArn, CreationDate = Next(),
                };
                pool.Groups.Add(group);
                return new CreateGroupResponse { Group = group };
            }
            case UpdateGroupRequest r:
            {
                var pool = Find(r.UserPoolId);
                var i = pool.Groups.IndexOf(FindGroup(pool, r.GroupName));
                pool.Groups[i] = pool.Groups[i] with { Description = r.Description, Precedence = r.Precedence, RoleArn = r.RoleArn, LastModifiedDate = Next() };
                return new UpdateGroupResponse { Group = pool.Groups[i] };
            }
            case GetGroupRequest r:
                return new GetGroupResponse { Group = FindGroup(Find(r.UserPoolId), r.GroupName) };
            case DeleteGroupRequest r:
            {
                var pool = Find(r.UserPoolId);
                pool.Groups.Remove(FindGroup(pool, r.GroupName));
                foreach (var u in pool.Users) u.Groups.Remove(r.GroupName!);
                return new DeleteGroupResponse();
            }
            case ListUsersInGroupRequest r:
            {
                var pool = Find(r.UserPoolId);
                FindGroup(pool, r.GroupName);
                var (page, next) = Paged(pool.Users.Where(u => u.Groups.Contains(r.GroupName!)).ToList(), "members", r.Limit, r.NextToken);
                return new ListUsersInGroupResponse { Users = page.Select(ToUser).ToList(), NextToken = next };
            }
            case AdminAddUserToGroupRequest r:
            {
                var pool = Find(r.UserPoolId);
                FindGroup(pool, r.GroupName);
                FindUser(pool, r.Username).Groups.Add(r.GroupName!);
                return new AdminAddUserToGroupResponse();
            }
            case AdminRemoveUserFromGroupRequest r:
            {
                var pool = Find(r.UserPoolId);
                FindGroup(pool, r.GroupName);
                FindUser(pool, r.Username).Groups.Remove(r.GroupName!);
                return new AdminRemoveUserFromGroupResponse();
            }
            case AdminListGroupsForUserRequest r:
            {
                var pool = Find(r.UserPoolId);
                var mine = FindUser(pool, r.Username).Groups;
                var (page, next) = Paged(pool.Groups.Where(g => mine.Contains(g.GroupName!)).ToList(), "user-groups", r.Limit, r.NextToken);
                return new AdminListGroupsForUserResponse { Groups = page, NextToken = next };
            }

            case ListUserPoolClientsRequest r:
            {
                var (page, next) = Paged(Find(r.UserPoolId).Clients.Select(c => new UserPoolClientDescription
                {
                    ClientId = c.ClientId, ClientName = c.ClientName, UserPoolId = c.UserPoolId,
                }).ToList(), "clients", r.MaxResults, r.NextToken);
                return new ListUserPoolClientsResponse { UserPoolClients = page, NextToken = next };
            }
            case CreateUserPoolClientRequest r:
                return new CreateUserPoolClientResponse { UserPoolClient = NewClient(r) };
            case DescribeUserPoolClientRequest r:
                return new DescribeUserPoolClientResponse
                {
                    UserPoolClient = Find(r.UserPoolId).Clients.FirstOrDefault(c => c.ClientId == r.ClientId)
                                     ?? throw new ResourceNotFoundException($"User pool client {r.ClientId} does not exist."),
                };
            case UpdateUserPoolClientRequest r:
            {
                var pool = Find(r.UserPoolId);
                var i = pool.Clients.FindIndex(c => c.ClientId == r.ClientId);
                if (i < 0) throw new ResourceNotFoundException($"User pool client {r.ClientId} does not exist.");
                pool.Clients[i] = pool.Clients[i] with
                {
                    ClientName = r.ClientName,
                    ExplicitAuthFlows = r.ExplicitAuthFlows,
                    CallbackURLs = r.CallbackURLs,
                    LogoutURLs = r.LogoutURLs,
                    AllowedOAuthFlows = r.AllowedOAuthFlows,
                    AllowedOAuthScopes = r.AllowedOAuthScopes,
                    AccessTokenValidity = r.AccessTokenValidity,
                    IdTokenValidity = r.IdTokenValidity,
                    RefreshTokenValidity = r.RefreshTokenValidity,
                    TokenValidityUnits = r.TokenValidityUnits,
                    AllowedOAuthFlowsUserPoolClient = r.AllowedOAuthFlowsUserPoolClient,
                    ReadAttributes = r.ReadAttributes,
                    WriteAttributes = r.WriteAttributes,
                    PreventUserExistenceErrors = r.PreventUserExistenceErrors,
                    EnableTokenRevocation = r.EnableTokenRevocation,
                    LastModifiedDate = Next(),
                };
                return new UpdateUserPoolClientResponse { UserPoolClient = pool.Clients[i] };
            }
            case DeleteUserPoolClientRequest r:
            {
                var pool = Find(r.UserPoolId);
                if (pool.Clients.RemoveAll(c => c.ClientId == r.ClientId) == 0)
                    throw new ResourceNotFoundException($"User pool client {r.ClientId} does not exist.");
                return new DeleteUserPoolClientResponse();
            }

            case ListResourceServersRequest r:
            {
                var (page, next) = Paged(Find(r.UserPoolId).Servers.ToList(), "servers", r.MaxResults, r.NextToken);
                return new ListResourceServersResponse { ResourceServers = page, NextToken = next };
            }
            case CreateResourceServerRequest r:
            {
                var pool = Find(r.UserPoolId);
                if (pool.Servers.Any(s => s.Identifier == r.Identifier))
                    throw new InvalidParameterException($"{r.Identifier} already exists in user pool {r.UserPoolId}.", "identifier");
                var server = new ResourceServerType { UserPoolId = r.UserPoolId, Identifier = r.Identifier, Name = r.Name, Scopes = r.Scopes ?? [] };
                pool.Servers.Add(server);
                return new CreateResourceServerResponse { ResourceServer = server };
            }
            case UpdateResourceServerRequest r:
            {
                var pool = Find(r.UserPoolId);
                var i = pool.Servers.FindIndex(s => s.Identifier == r.Identifier);
                if (i < 0) throw new ResourceNotFoundException("Resource server not found.");
                pool.Servers[i] = pool.Servers[i] with { Name = r.Name, Scopes = r.Scopes ?? [] };
                return new UpdateResourceServerResponse { ResourceServer = pool.Servers[i] };
            }
            case DeleteResourceServerRequest r:
                Find(r.UserPoolId).Servers.RemoveAll(s => s.Identifier == r.Identifier);
                return new DeleteResourceServerResponse();

            default:
                throw new UnknownOperationException($"The fake engine does not answer {request.GetType().Name}.");
        }
    }
}
