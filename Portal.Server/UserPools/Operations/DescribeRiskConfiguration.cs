using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.ThreatProtection;

namespace Portal.Server.UserPools.Operations;

/// <summary>The risk configuration of a pool, or of an app client: the client's own when it has one, else the pool's
/// (with the client's id, as Cognito answers); only the ids when nothing is configured.</summary>
sealed class DescribeRiskConfiguration(UserPoolStore pools, AppClientStore clients, RiskConfigurations configurations)
    : IOperation<DescribeRiskConfigurationRequest, DescribeRiskConfigurationResponse>
{
    public async Task<DescribeRiskConfigurationResponse> Handle(DescribeRiskConfigurationRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        if (request.ClientId is not null) await clients.Get(pool.Row.Id, request.ClientId, ct);
        SetRiskConfiguration.RequireThreatProtection(pool);
        var effective = await configurations.Stored(pool.Row.Id, request.ClientId, ct);
        return new DescribeRiskConfigurationResponse
        {
            RiskConfiguration = effective is null
                ? new RiskConfigurationType { UserPoolId = pool.Row.Id, ClientId = request.ClientId }
                : effective with { ClientId = request.ClientId },
        };
    }
}
