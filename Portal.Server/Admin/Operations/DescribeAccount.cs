using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.Admin.Operations;

/// <summary>The account id and region of this deployment's ARNs (configuration, nothing stored).</summary>
sealed class DescribeAccount(IOptions<PortalOptions> options) : IOperation<DescribeAccountRequest, DescribeAccountResponse>
{
    public Task<DescribeAccountResponse> Handle(DescribeAccountRequest request, CancellationToken ct) =>
        Task.FromResult(new DescribeAccountResponse { AccountId = options.Value.AccountId, Region = options.Value.Region });
}
