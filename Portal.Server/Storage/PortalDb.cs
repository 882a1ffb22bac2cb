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
    public DbSet<RefreshTokenRow> RefreshTokens => Set<RefreshTokenRow>();
    public DbSet<RevokedTokenRow> RevokedTokens => Set<RevokedTokenRow>();
    public DbSet<SigningKeyRow> SigningKeys => Set<SigningKeyRow>();
    public DbSet<OutboxMessageRow> Outbox => Set<OutboxMessageRow>();
    public DbSet<AuditEntryRow> Audit => Set<AuditEntryRow>();
    public DbSet<SettingRow> Settings => Set<SettingRow>();
    public DbSet<UiCustomizationRow> UiCustomizations => Set<UiCustomizationRow>();
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

    /// <summary>The unit of work of the operation running on this context (one transaction, durable side effects).</summary>
    public Portal.Server.Engine.UnitOfWork Work => work ??= new(this);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (Work.BeginsOnWrite && ChangeTracker.HasChanges()) Database.BeginTransaction();
        Work.Saving();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>Columns searched by prefix; PostgreSQL gives them the "C" collation so range scans use the index.</summary>
    protected virtual void SearchableColumn(Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder<string?> column) { }

    /// <summary>A taken auth session is deleted here with a check that one row went (EF's concurrency check): when a
    /// parallel answer took it first, this one hears Cognito's invalid session, not a server fault.</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        try
        {
            // The operation's first write opens its transaction (see UnitOfWork).
            if (Work.BeginsOnWrite && ChangeTracker.HasChanges()) await Database.BeginTransactionAsync(cancellationToken);
            Work.Saving();
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch (DbUpdateConcurrencyException e) when (e.Entries.Any(x => x.Entity is AuthSessionRow && x.State == EntityState.Deleted))
        {
            throw new Portal.Client.Contract.NotAuthorizedException("Invalid session for the user.");
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
        b.Entity<SigningKeyRow>(e =>
        {
            e.HasKey(x => x.Kid);
            e.HasIndex(x => x.UserPoolId);
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
            e.HasIndex(x => new { x.UserSub, x.CreatedAt });
            e.HasIndex(x => x.CreatedAt);
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
