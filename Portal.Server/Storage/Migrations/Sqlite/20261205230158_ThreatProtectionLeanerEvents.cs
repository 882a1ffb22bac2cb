using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ThreatProtectionLeanerEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuthEvents_CreatedAt",
                table: "AuthEvents");

            migrationBuilder.DropIndex(
                name: "IX_AuthEvents_UserPoolId_IpAddress_CreatedAt",
                table: "AuthEvents");

            migrationBuilder.CreateIndex(
                name: "IX_AuthEvents_UserPoolId_IpAddress_CreatedAt",
                table: "AuthEvents",
                columns: new[] { "UserPoolId", "IpAddress", "CreatedAt" },
                filter: "\"EventType\" = 'SignIn' AND \"EventResponse\" = 'Fail'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuthEvents_UserPoolId_IpAddress_CreatedAt",
                table: "AuthEvents");

            migrationBuilder.CreateIndex(
                name: "IX_AuthEvents_CreatedAt",
                table: "AuthEvents",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_AuthEvents_UserPoolId_IpAddress_CreatedAt",
                table: "AuthEvents",
                columns: new[] { "UserPoolId", "IpAddress", "CreatedAt" });
        }
    }
}
