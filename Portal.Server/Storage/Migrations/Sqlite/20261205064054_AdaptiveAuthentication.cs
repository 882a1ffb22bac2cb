using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AdaptiveAuthentication : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DeviceKey",
                table: "AuthEvents",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FeedbackTokenExpiresAt",
                table: "AuthEvents",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FeedbackTokenHash",
                table: "AuthEvents",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Network",
                table: "AuthEvents",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuthEvents_UserPoolId_IpAddress_CreatedAt",
                table: "AuthEvents",
                columns: new[] { "UserPoolId", "IpAddress", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuthEvents_UserPoolId_IpAddress_CreatedAt",
                table: "AuthEvents");

            migrationBuilder.DropColumn(
                name: "DeviceKey",
                table: "AuthEvents");

            migrationBuilder.DropColumn(
                name: "FeedbackTokenExpiresAt",
                table: "AuthEvents");

            migrationBuilder.DropColumn(
                name: "FeedbackTokenHash",
                table: "AuthEvents");

            migrationBuilder.DropColumn(
                name: "Network",
                table: "AuthEvents");
        }
    }
}
