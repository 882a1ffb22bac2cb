using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class CreateResourceServer(PortalDb db, UserPoolStore pools) : IOperation<CreateResourceServerRequest, CreateResourceServerResponse>
{
    public async Task<CreateResourceServerResponse> Handle(CreateResourceServerRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        if (await db.ResourceServers.AnyAsync(r => r.UserPoolId == pool.Row.Id && r.Identifier == request.Identifier, ct))
            throw new InvalidParameterException($"{request.Identifier} already exists in user pool {pool.Row.Id}.", "identifier");
        if (await db.ResourceServers.CountAsync(r => r.UserPoolId == pool.Row.Id, ct) >= ResourceServers.Limit)
            throw new LimitExceededException($"A user pool can have at most {ResourceServers.Limit} resource servers.");
        var row = new ResourceServerRow { UserPoolId = pool.Row.Id, Identifier = request.Identifier!, Name = request.Name! };
        ResourceServers.SetScopes(row, request.Scopes);
        db.ResourceServers.Add(row);
        await db.SaveChangesAsync(ct);
        return new CreateResourceServerResponse { ResourceServer = ResourceServers.Describe(row) };
    }
}
