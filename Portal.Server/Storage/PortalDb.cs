using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Portal.Server.Storage;

/// <summary>The one store. Provider-specific subclasses carry their own migrations.</summary>
public abstract class PortalDb(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<UserPoolRow> UserPools => Set<UserPoolRow>();
    public DbSet<AppClientRow> AppClients => Set<AppClientRow>();
    public DbSet<UserPoolDomainRow> Domains => Set<UserPoolDomainRow>();
    public DbSet<ResourceServerRow> ResourceServers => Set<ResourceServerRow>();
    public DbSet<UserRow> Users => Set<UserRow>();
    public DbSet<GroupRow> Groups => Set<GroupRow>();
    public DbSet<GroupMemberRow> GroupMembers => Set<GroupMemberRow>();
    public DbSet<CodeRow> Codes => Set<CodeRow>();
    public DbSet<AuthSessionRow> AuthSessions => Set<AuthSessionRow>();
    public DbSet<WebAuthnCredentialRow> WebAuthnCredentials => Set<WebAuthnCredentialRow>();
    public DbSet<RefreshTokenRow> RefreshTokens => Set<RefreshTokenRow>();
    public DbSet<DeviceRow> Devices => Set<DeviceRow>();
    public DbSet<RevokedTokenRow> RevokedTokens => Set<RevokedTokenRow>();
    public DbSet<SigningKeyRow> SigningKeys => Set<SigningKeyRow>();
    public DbSet<OutboxMessageRow> Outbox => Set<OutboxMessageRow>();
    public DbSet<AuditEntryRow> Audit => Set<AuditEntryRow>();
    public DbSet<SettingRow> Settings => Set<SettingRow>();
    public DbSet<UiCustomizationRow> UiCustomizations => Set<UiCustomizationRow>();
    public DbSet<TermsRow> Terms => Set<TermsRow>();
    public DbSet<AuthorizationCodeRow> AuthorizationCodes => Set<AuthorizationCodeRow>();
    public DbSet<IdentityProviderRow> IdentityProviders => Set<IdentityProviderRow>();
    public DbSet<LinkedIdentityRow> LinkedIdentities => Set<LinkedIdentityRow>();
    public DbSet<ReplayGuardRow> ReplayGuards => Set<ReplayGuardRow>();
    public DbSet<RateLimitCounterRow> RateLimitCounters => Set<RateLimitCounterRow>();
    public DbSet<TriggerInvocationRow> TriggerInvocations => Set<TriggerInvocationRow>();
    public DbSet<AuthEventRow> AuthEvents => Set<AuthEventRow>();
    public DbSet<RiskConfigurationRow> RiskConfigurations => Set<RiskConfigurationRow>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<IamRoleRow> IamRoles => Set<IamRoleRow>();
    public DbSet<IamRolePolicyRow> IamRolePolicies => Set<IamRolePolicyRow>();
    public DbSet<IamManagedPolicyRow> IamManagedPolicies => Set<IamManagedPolicyRow>();
    public DbSet<IamPolicyVersionRow> IamPolicyVersions => Set<IamPolicyVersionRow>();
    public DbSet<IamRolePolicyAttachmentRow> IamRolePolicyAttachments => Set<IamRolePolicyAttachmentRow>();
    public DbSet<IamOidcProviderRow> IamOidcProviders => Set<IamOidcProviderRow>();
    public DbSet<IamSamlProviderRow> IamSamlProviders => Set<IamSamlProviderRow>();
    public DbSet<Gateway.GatewayRouteRow> GatewayRoutes => Set<Gateway.GatewayRouteRow>();
    public DbSet<Gateway.GatewayDecisionRow> GatewayDecisions => Set<Gateway.GatewayDecisionRow>();

    Portal.Server.Engine.UnitOfWork? work;

    /// <summary>Contexts are pooled (StorageSetup): when a request gives its context back, EF resets its own state (tracked
    /// entities, the transaction, the connection) and this forgets what PortalDb keeps of the operation, so the next
    /// request starts as on a new context.</summary>
    void ForgetOperation()
    {
        work = null;
        configChanged.Clear();
        signInAttributes.Clear();
        usersCreated.Clear();
    }

    public override void Dispose()
    {
        ForgetOperation();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    public override async ValueTask DisposeAsync()
    {
        ForgetOperation();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>The unit of work of the operation running on this context (one transaction, durable side effects).</summary>
    public Portal.Server.Engine.UnitOfWork Work => work ??= new(this);

    public const string ActiveSigningKeyIndex = "IX_SigningKeys_UserPoolId_Active";

    /// <summary>Cached settings this context changed, published to every instance with the next save (in its transaction).</summary>
    readonly HashSet<(string Kind, string Key)> configChanged = [];

    /// <summary>Names a cached setting written without tracking (ExecuteUpdate/ExecuteDelete); tracked rows of cached kinds
    /// are named by the save itself (<see cref="ChangeNotifications"/>).</summary>
    public void ConfigChanged(string kind, string key) => configChanged.Add((kind, key));

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        SignInKeys(id => UserPools.AsNoTracking().Where(p => p.Id == id).Select(p => p.Settings).FirstOrDefault());
        if (Work.BeginsOnWrite && ChangeTracker.HasChanges()) Database.BeginTransaction();
        Work.Saving();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        catch (DbUpdateException e) when (TakenSignInKey(e) is { } taken)
        {
            throw taken;
        }
    }

    /// <summary>Keeps <see cref="UserRow.EmailKey"/> and <see cref="UserRow.PhoneKey"/> in step with the attributes of every
    /// user written, whichever operation wrote them; the pool's settings say which values are sign-in identifiers.
    /// A user whose email and phone did not change keeps the keys it has.</summary>
    void SignInKeys(Func<string, string?> poolSettings)
    {
        foreach (var entry in ChangeTracker.Entries<UserRow>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            if (entry.State == EntityState.Modified && !new[] { nameof(UserRow.Email), nameof(UserRow.EmailVerified),
                    nameof(UserRow.PhoneNumber), nameof(UserRow.PhoneNumberVerified), nameof(UserRow.PreferredUsername) }.Any(p => entry.Property(p).IsModified))
                continue;
            var user = entry.Entity;
            if (entry.State == EntityState.Added) usersCreated.Add(user);
            if (!signInAttributes.TryGetValue(user.UserPoolId, out var attributes))
            {
                var tracked = UserPools.Local.FirstOrDefault(p => p.Id == user.UserPoolId);
                signInAttributes[user.UserPoolId] = attributes = Portal.Server.UserPools.UserStore.SignInAttributes(tracked?.Settings ?? poolSettings(user.UserPoolId));
            }
            Portal.Server.UserPools.UserStore.SetSignInKeys(user, attributes.Username, attributes.Aliases);
        }
    }

    readonly Dictionary<string, (IReadOnlyCollection<string> Username, IReadOnlyCollection<string> Aliases)> signInAttributes = [];

    /// <summary>The pool's sign-in attributes as the operation already read them (<see cref="Portal.Server.UserPools.UserPoolStore.Cached"/>),
    /// so that saving its users reads and parses no pool settings again. A pool's username and alias attributes are set when
    /// it is created and never change.</summary>
    public void KnowSignInAttributes(string userPoolId, IReadOnlyCollection<string>? usernameAttributes, IReadOnlyCollection<string>? aliases) =>
        signInAttributes.TryAdd(userPoolId, (usernameAttributes ?? [], aliases ?? []));

    /// <summary>Users this context inserted: an operation that creates a user may write its attributes in a later save of
    /// the same unit of work, where the row is no longer Added but the loser is still the creator.</summary>
    readonly HashSet<UserRow> usersCreated = new(ReferenceEqualityComparer.Instance);

    /// <summary>A unique violation of a sign-in key as Cognito words it: the loser of two creations of one email (as
    /// username) hears UsernameExistsException, of anything else (an alias verified, updated) AliasExistsException.</summary>
    Exception? TakenSignInKey(DbUpdateException e)
    {
        var message = e.InnerException switch
        {
            Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation } pg => pg.ConstraintName ?? "",
            Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } sqlite => sqlite.Message,
            _ => null,
        };
        var attribute = message switch
        {
            null => null,
            _ when message.Contains(nameof(UserRow.EmailKey), StringComparison.Ordinal) => "email",
            _ when message.Contains(nameof(UserRow.PhoneKey), StringComparison.Ordinal) => "phone_number",
            _ when message.Contains(nameof(UserRow.PreferredUsernameKey), StringComparison.Ordinal) => "preferred_username",
            _ => null,
        };
        if (attribute is null) return null;
        if (attribute == "preferred_username") return new Portal.Client.Contract.AliasExistsException("An account with the given preferred_username already exists.");
        var created = ChangeTracker.Entries<UserRow>().Any(u => (u.State == EntityState.Added || usersCreated.Contains(u.Entity))
            && signInAttributes.TryGetValue(u.Entity.UserPoolId, out var a) && a.Username.Contains(attribute)
            && (attribute == "email" ? u.Entity.EmailKey : u.Entity.PhoneKey) is not null);
        return created
            ? new Portal.Client.Contract.UsernameExistsException($"An account with the given {attribute} already exists.")
            : Portal.Client.Contract.AliasExistsException.For(attribute);
    }

    /// <summary>Columns searched by prefix; PostgreSQL gives them the "C" collation so range scans use the index.</summary>
    protected virtual void SearchableColumn(Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder<string?> column) { }

    /// <summary>A taken auth session is deleted here with a check that one row went (EF's concurrency check): when a
    /// parallel answer took it first, this one hears Cognito's invalid session, not a server fault.</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var settings = new Dictionary<string, string?>();
        foreach (var poolId in ChangeTracker.Entries<UserRow>().Where(u => u.State is EntityState.Added or EntityState.Modified)
                     .Select(u => u.Entity.UserPoolId).Distinct().Where(id => !signInAttributes.ContainsKey(id) && UserPools.Local.All(p => p.Id != id)).ToList())
            settings[poolId] = await UserPools.AsNoTracking().Where(p => p.Id == poolId).Select(p => p.Settings).FirstOrDefaultAsync(cancellationToken);
        SignInKeys(id => settings.GetValueOrDefault(id));
        try
        {
            // The operation's first write opens its transaction (see UnitOfWork).
            if (Work.BeginsOnWrite && ChangeTracker.HasChanges()) await Database.BeginTransactionAsync(cancellationToken);
            Work.Saving();
            ChangeNotifications.Collect(this, configChanged);
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            // Other instances hear of changed cached settings when this transaction commits (or now, when the save committed).
            foreach (var (sql, parameters) in ChangeNotifications.Statements(this, configChanged))
                await Database.ExecuteSqlRawAsync(sql, parameters, cancellationToken);
            await ChangeNotifications.ForgetHere(this, [.. configChanged], cancellationToken);
            configChanged.Clear();
            return saved;
        }
        catch (DbUpdateConcurrencyException e) when (e.Entries.Any(x => x.Entity is AuthSessionRow && x.State == EntityState.Deleted))
        {
            throw new Portal.Client.Contract.NotAuthorizedException("Invalid session for the user.");
        }
        catch (DbUpdateException e) when (TakenSignInKey(e) is { } taken)
        {
            throw taken;
        }
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<UserPoolRow>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(55);
            e.Property(x => x.Name).HasMaxLength(128);
            e.HasIndex(x => x.Name);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        b.Entity<AppClientRow>(e =>
        {
            e.HasKey(x => x.ClientId);
            e.Property(x => x.ClientId).HasMaxLength(128);
            e.HasIndex(x => new { x.UserPoolId, x.ClientName });
            e.HasOne<UserPoolRow>().WithMany().HasForeignKey(x => x.UserPoolId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<UserPoolDomainRow>(e =>
        {
            e.HasKey(x => x.Domain);
            e.HasIndex(x => x.UserPoolId);
            e.HasOne<UserPoolRow>().WithMany().HasForeignKey(x => x.UserPoolId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ResourceServerRow>(e =>
        {
            e.HasKey(x => new { x.UserPoolId, x.Identifier });
            e.HasOne<UserPoolRow>().WithMany().HasForeignKey(x => x.UserPoolId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<UserRow>(e =>
        {
            e.HasKey(x => x.Sub);
            e.Property(x => x.Sub).HasMaxLength(36);
            e.HasIndex(x => new { x.UserPoolId, x.UsernameKey }).IsUnique();
            e.HasIndex(x => new { x.UserPoolId, x.Email });
            e.HasIndex(x => new { x.UserPoolId, x.PhoneNumber });
            e.HasIndex(x => new { x.UserPoolId, x.Name });
            e.HasIndex(x => new { x.UserPoolId, x.GivenName });
            e.HasIndex(x => new { x.UserPoolId, x.FamilyName });
            e.HasIndex(x => new { x.UserPoolId, x.PreferredUsername });
            e.HasIndex(x => new { x.UserPoolId, x.Status, x.UsernameKey });
            e.HasIndex(x => new { x.UserPoolId, x.Enabled, x.UsernameKey });
            e.HasIndex(x => new { x.UserPoolId, x.EmailKey }).IsUnique();
            e.HasIndex(x => new { x.UserPoolId, x.PhoneKey }).IsUnique();
            e.HasIndex(x => new { x.UserPoolId, x.PreferredUsernameKey }).IsUnique();
            SearchableColumn(e.Property(x => x.UsernameKey)!);
            SearchableColumn(e.Property(x => x.Email));
            SearchableColumn(e.Property(x => x.PhoneNumber));
            SearchableColumn(e.Property(x => x.Name));
            SearchableColumn(e.Property(x => x.GivenName));
            SearchableColumn(e.Property(x => x.FamilyName));
            SearchableColumn(e.Property(x => x.PreferredUsername));
            e.HasOne<UserPoolRow>().WithMany().HasForeignKey(x => x.UserPoolId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<GroupRow>(e =>
        {
            e.HasKey(x => new { x.UserPoolId, x.GroupName });
            e.HasOne<UserPoolRow>().WithMany().HasForeignKey(x => x.UserPoolId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<GroupMemberRow>(e =>
        {
            e.HasKey(x => new { x.UserPoolId, x.GroupName, x.UserSub });
            e.HasIndex(x => x.UserSub);
            e.HasOne<GroupRow>().WithMany().HasForeignKey(x => new { x.UserPoolId, x.GroupName }).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<UserRow>().WithMany().HasForeignKey(x => x.UserSub).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<CodeRow>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.UserSub, x.Purpose });
            e.HasOne<UserRow>().WithMany().HasForeignKey(x => x.UserSub).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<AuthSessionRow>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.ExpiresAt);
        });
        b.Entity<RefreshTokenRow>(e =>
        {
            e.HasKey(x => x.TokenHash);
            e.HasIndex(x => x.UserSub);
            e.HasIndex(x => x.OriginJti);
        });
        b.Entity<RevokedTokenRow>(e => e.HasKey(x => x.OriginJti));
        b.Entity<DeviceRow>(e =>
        {
            e.HasKey(x => x.DeviceKey);
            e.Property(x => x.DeviceKey).HasMaxLength(55);
            e.HasIndex(x => new { x.UserSub, x.CreatedAt });
            e.HasOne<UserRow>().WithMany().HasForeignKey(x => x.UserSub).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<SigningKeyRow>(e =>
        {
            e.HasKey(x => x.Kid);
            e.HasIndex(x => x.UserPoolId);
            // One active key per pool: of several first sign-ins at once, one key is stored (SigningKeys.Current).
            e.HasIndex(x => x.UserPoolId, ActiveSigningKeyIndex).IsUnique().HasFilter("\"RetiredAt\" IS NULL");
        });
        b.Entity<OutboxMessageRow>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.CreatedAt);
            e.HasIndex(x => x.Destination);
        });
        b.Entity<AuditEntryRow>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.At);
        });
        b.Entity<SettingRow>(e => e.HasKey(x => x.Key));
        b.Entity<UiCustomizationRow>(e =>
        {
            e.HasKey(x => new { x.UserPoolId, x.ClientId });
            e.HasOne<UserPoolRow>().WithMany().HasForeignKey(x => x.UserPoolId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.ManagedLoginBrandingId).IsUnique();
        });
        b.Entity<TermsRow>(e =>
        {
            e.HasKey(x => x.TermsId);
            e.Property(x => x.TermsId).HasMaxLength(36);
            e.HasIndex(x => new { x.ClientId, x.TermsName }).IsUnique();
            e.HasIndex(x => new { x.UserPoolId, x.CreatedAt });
            e.HasOne<UserPoolRow>().WithMany().HasForeignKey(x => x.UserPoolId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<AppClientRow>().WithMany().HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<AuthorizationCodeRow>(e =>
        {
            e.HasKey(x => x.CodeHash);
            e.HasIndex(x => x.ExpiresAt);
        });
        b.Entity<IdentityProviderRow>(e =>
        {
            e.HasKey(x => new { x.UserPoolId, x.ProviderName });
            e.HasOne<UserPoolRow>().WithMany().HasForeignKey(x => x.UserPoolId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<LinkedIdentityRow>(e =>
        {
            e.HasKey(x => new { x.UserPoolId, x.ProviderName, x.ProviderUserId });
            e.HasIndex(x => x.UserSub);
            e.HasOne<UserRow>().WithMany().HasForeignKey(x => x.UserSub).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ReplayGuardRow>(e =>
        {
            e.HasKey(x => x.Key);
            e.HasIndex(x => x.ExpiresAt);
        });
        b.Entity<RateLimitCounterRow>(e => e.HasKey(x => x.Key));
        b.Entity<TriggerInvocationRow>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.UserPoolId, x.StartedAt });
        });
        b.Entity<AuthEventRow>(e =>
        {
            e.HasKey(x => x.EventId);
            // A user's events, newest first (AdminListUserAuthEvents), carrying every column risk scoring reads of the
            // latest 50: the read is the index alone, a few pages, instead of one table row per event (a page each).
            e.HasIndex(x => new { x.UserSub, x.CreatedAt, x.EventType, x.EventResponse, x.DeviceKey, x.Network, x.FeedbackValue })
                .HasDatabaseName("IX_AuthEvents_UserSub_History");
            // The Threat protection tab's dashboard reads a pool's events of the last days; the expiry sweep deletes by it.
            e.HasIndex(x => new { x.UserPoolId, x.CreatedAt });
            // Credential stuffing: failures from one address across a pool's accounts (adaptive authentication). Partial,
            // failed sign-ins only (all that query reads), so a passed sign-in's insert does not write it.
            e.HasIndex(x => new { x.UserPoolId, x.IpAddress, x.CreatedAt }).HasFilter("\"EventType\" = 'SignIn' AND \"EventResponse\" = 'Fail'");
            e.Property(x => x.DeviceKey).HasMaxLength(64);
            e.Property(x => x.Network).HasMaxLength(64);
            e.Property(x => x.FeedbackTokenHash).HasMaxLength(64);
            e.HasOne<UserRow>().WithMany().HasForeignKey(x => x.UserSub).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<RiskConfigurationRow>(e =>
        {
            e.HasKey(x => new { x.UserPoolId, x.ClientId });
            e.Property(x => x.ClientId).HasMaxLength(128);
            e.HasOne<UserPoolRow>().WithMany().HasForeignKey(x => x.UserPoolId).OnDelete(DeleteBehavior.Cascade);
        });
        IamModel.Configure(b);
        Gateway.GatewayModel.Configure(b);
        IdentityPoolModel.Configure(b);
        Sync.SyncModel.Configure(b);
        Portal.Server.UserPools.Imports.ImportModel.Configure(b);
        WebAuthnModel.Configure(b);
        Portal.Server.UserPools.LogDelivery.LogDeliveryModel.Configure(b);
    }
}

public sealed class SqlitePortalDb(DbContextOptions<SqlitePortalDb> options) : PortalDb(options)
{
    // SQLite cannot compare DateTimeOffset text; store UTC ticks so ordering and ranges run in SQL.
    protected override void ConfigureConventions(ModelConfigurationBuilder c) =>
        c.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
}

public sealed class PostgresPortalDb(DbContextOptions<PostgresPortalDb> options) : PortalDb(options)
{
    protected override void SearchableColumn(Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder<string?> column) =>
        column.UseCollation("C");
}
