using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Branding;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi.Operations;

// Managed login branding: one style per app client, on the client's UiCustomizations row (ManagedLoginBrandings maps
// it onto Portal's theme). The branding id is unique in the database.

static class BrandingRows
{
    public static async Task<UiCustomizationRow> ById(PortalDb db, string poolId, string? id, CancellationToken ct) =>
        await db.UiCustomizations.FirstOrDefaultAsync(r => r.UserPoolId == poolId && r.ManagedLoginBrandingId == id, ct)
        ?? throw new ResourceNotFoundException($"Managed login branding {id} does not exist.");
}

sealed class CreateManagedLoginBranding(PortalDb db, UserPoolStore pools, AppClientStore clients, UiCustomizationStore customizations,
    ManagedLoginBrandings brandings, TimeProvider clock)
    : IOperation<CreateManagedLoginBrandingRequest, CreateManagedLoginBrandingResponse>
{
    public async Task<CreateManagedLoginBrandingResponse> Handle(CreateManagedLoginBrandingRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var client = await clients.Get(pool.Row.Id, request.ClientId, ct);
        var row = await customizations.Change(pool.Row.Id, client.Row.ClientId, clock.GetUtcNow(), ct);
        if (row.ManagedLoginBrandingId is not null)
            throw new ManagedLoginBrandingExistsException($"A managed login branding style already exists for app client {client.Row.ClientId}.");
        row.ManagedLoginBrandingId = Guid.NewGuid().ToString();
        await brandings.Write(row, request.UseCognitoProvidedValues ?? (request.Settings is null && request.Assets is null), request.Settings,
            request.Assets, replace: true, ct);
        await db.SaveChangesAsync(ct);
        return new CreateManagedLoginBrandingResponse { ManagedLoginBranding = await brandings.Describe(row, withBytes: true, ct) };
    }
}

sealed class DescribeManagedLoginBranding(PortalDb db, UserPoolStore pools, ManagedLoginBrandings brandings)
    : IOperation<DescribeManagedLoginBrandingRequest, DescribeManagedLoginBrandingResponse>
{
    public async Task<DescribeManagedLoginBrandingResponse> Handle(DescribeManagedLoginBrandingRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var row = await BrandingRows.ById(db, pool.Row.Id, request.ManagedLoginBrandingId, ct);
        return new DescribeManagedLoginBrandingResponse { ManagedLoginBranding = await brandings.Describe(row, withBytes: true, ct) };
    }
}

sealed class DescribeManagedLoginBrandingByClient(UserPoolStore pools, AppClientStore clients, UiCustomizationStore customizations,
    ManagedLoginBrandings brandings)
    : IOperation<DescribeManagedLoginBrandingByClientRequest, DescribeManagedLoginBrandingByClientResponse>
{
    public async Task<DescribeManagedLoginBrandingByClientResponse> Handle(DescribeManagedLoginBrandingByClientRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var client = await clients.Get(pool.Row.Id, request.ClientId, ct);
        var row = await customizations.Find(pool.Row.Id, client.Row.ClientId, ct);
        if (row?.ManagedLoginBrandingId is null)
            throw new ResourceNotFoundException($"Managed login branding for app client {client.Row.ClientId} does not exist.");
        return new DescribeManagedLoginBrandingByClientResponse { ManagedLoginBranding = await brandings.Describe(row, withBytes: true, ct) };
    }
}

sealed class UpdateManagedLoginBranding(PortalDb db, UserPoolStore pools, ManagedLoginBrandings brandings, TimeProvider clock)
    : IOperation<UpdateManagedLoginBrandingRequest, UpdateManagedLoginBrandingResponse>
{
    public async Task<UpdateManagedLoginBrandingResponse> Handle(UpdateManagedLoginBrandingRequest request, CancellationToken ct)
    {
        if (request.UserPoolId is null) throw InvalidParameterException.Missing("UserPoolId");
        if (request.ManagedLoginBrandingId is null) throw InvalidParameterException.Missing("ManagedLoginBrandingId");
        var pool = await pools.Get(request.UserPoolId, ct);
        var row = await BrandingRows.ById(db, pool.Row.Id, request.ManagedLoginBrandingId, ct);
        var now = clock.GetUtcNow();
        row.LastModifiedAt = now > row.LastModifiedAt ? now : row.LastModifiedAt.AddMilliseconds(1);
        await brandings.Write(row, request.UseCognitoProvidedValues, request.Settings, request.Assets, replace: false, ct);
        await db.SaveChangesAsync(ct);
        return new UpdateManagedLoginBrandingResponse { ManagedLoginBranding = await brandings.Describe(row, withBytes: true, ct) };
    }
}

/// <summary>Removes the style; the theme it was mapped onto stays (it is Portal's theme now, still editable in the portal).</summary>
sealed class DeleteManagedLoginBranding(PortalDb db, UserPoolStore pools, BrandingAssets assets)
    : IOperation<DeleteManagedLoginBrandingRequest, DeleteManagedLoginBrandingResponse>
{
    public async Task<DeleteManagedLoginBrandingResponse> Handle(DeleteManagedLoginBrandingRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var row = await BrandingRows.ById(db, pool.Row.Id, request.ManagedLoginBrandingId, ct);
        var keys = ManagedLoginBrandings.Keys(row).ToList();
        row.ManagedLoginBrandingId = null;
        row.BrandingSettings = null;
        row.BrandingAssets = null;
        row.UseCognitoProvidedValues = false;
        await db.SaveChangesAsync(ct);
        foreach (var key in keys) await assets.Release(key, ct);
        return new DeleteManagedLoginBrandingResponse();
    }
}
