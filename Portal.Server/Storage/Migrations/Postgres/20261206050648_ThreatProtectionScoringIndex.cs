using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ThreatProtectionScoringIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuthEvents_UserSub_CreatedAt",
                table: "AuthEvents");

            migrationBuilder.CreateIndex(
                name: "IX_AuthEvents_UserSub_History",
                table: "AuthEvents",
                columns: new[] { "UserSub", "CreatedAt", "EventType", "EventResponse", "DeviceKey", "Network", "FeedbackValue" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuthEvents_UserSub_History",
                table: "AuthEvents");

            migrationBuilder.CreateIndex(
                name: "IX_AuthEvents_UserSub_CreatedAt",
                table: "AuthEvents",
                columns: new[] { "UserSub", "CreatedAt" });
        }
    }
}
