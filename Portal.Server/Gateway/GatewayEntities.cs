using Microsoft.EntityFrameworkCore;

namespace Portal.Server.Gateway;

/// <summary>A gateway route stored in the database (the admin API's); routes from appsettings are not stored.
/// <see cref="Settings"/> is a JSON object of strings; secret values are Data Protection ciphertext.</summary>
public sealed class GatewayRouteRow
{
    public required string Id { get; set; }
    public required string Kind { get; set; }
    public string? PathPrefix { get; set; }
    public string? Host { get; set; }
    public required string Backend { get; set; }
    public string Settings { get; set; } = "{}";
    public bool Enabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One authorization decision of the gateway: who asked what of which route, and what decided.</summary>
public sealed class GatewayDecisionRow
{
    public Guid Id { get; set; }                                 // version 7: sorts by time
    public DateTimeOffset Time { get; set; }
    public required string RouteId { get; set; }
    public required string Kind { get; set; }
    public string? Caller { get; set; }                          // identity id, user sub or access key id
    public string? AccessKeyId { get; set; }
    public string? Action { get; set; }
    public string? Resource { get; set; }
    public required string Decision { get; set; }                // Allow, ImplicitDeny, ExplicitDeny, Error
    public string? ErrorCode { get; set; }
    public string? Policy { get; set; }
    public string? Statement { get; set; }
    public string? SourceIp { get; set; }
}

public static class GatewayModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<GatewayRouteRow>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(64);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.PathPrefix).HasMaxLength(256);
            e.Property(x => x.Host).HasMaxLength(253);
            e.Property(x => x.Backend).HasMaxLength(2048);
        });
        b.Entity<GatewayDecisionRow>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.RouteId).HasMaxLength(64);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.Caller).HasMaxLength(256);
            e.Property(x => x.AccessKeyId).HasMaxLength(128);
            e.Property(x => x.Action).HasMaxLength(128);
            e.Property(x => x.Resource).HasMaxLength(2048);
            e.Property(x => x.Decision).HasMaxLength(16);
            e.Property(x => x.ErrorCode).HasMaxLength(64);
            e.Property(x => x.Policy).HasMaxLength(256);
            e.Property(x => x.Statement).HasMaxLength(256);
            e.Property(x => x.SourceIp).HasMaxLength(64);
            e.HasIndex(x => x.Time);
            e.HasIndex(x => new { x.RouteId, x.Time });
        });
    }
}
