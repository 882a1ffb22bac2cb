using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.UserPools.Imports;

namespace Portal.Server.UserPools.Operations;

sealed class GetCSVHeader(UserPoolStore pools) : IOperation<GetCSVHeaderRequest, GetCSVHeaderResponse>
{
    public async Task<GetCSVHeaderResponse> Handle(GetCSVHeaderRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        return new GetCSVHeaderResponse { UserPoolId = pool.Row.Id, CSVHeader = ImportCsv.Header(pool.Settings) };
    }
}
