using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ThreatProtection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CompromisedCredentialsAt",
                table: "Users",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CompromisedCredentialsSource",
                table: "Users",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "CompromisedCredentialsDetected",
                table: "AuthEvents",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "RiskDecision",
                table: "AuthEvents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RiskLevel",
                table: "AuthEvents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RiskReasons",
                table: "AuthEvents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RiskConfigurations",
                columns: table => new
                {
                    UserPoolId = table.Column<string>(type: "TEXT", nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CompromisedCredentials = table.Column<string>(type: "TEXT", nullable: true),
                    AccountTakeover = table.Column<string>(type: "TEXT", nullable: true),
                    RiskExceptions = table.Column<string>(type: "TEXT", nullable: true),
                    LastModifiedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RiskConfigurations", x => new { x.UserPoolId, x.ClientId });
                    table.ForeignKey(
                        name: "FK_RiskConfigurations_UserPools_UserPoolId",
                        column: x => x.UserPoolId,
                        principalTable: "UserPools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RiskConfigurations");

            migrationBuilder.DropColumn(
                name: "CompromisedCredentialsAt",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "CompromisedCredentialsSource",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "CompromisedCredentialsDetected",
                table: "AuthEvents");

            migrationBuilder.DropColumn(
                name: "RiskDecision",
                table: "AuthEvents");

            migrationBuilder.DropColumn(
                name: "RiskLevel",
                table: "AuthEvents");

            migrationBuilder.DropColumn(
                name: "RiskReasons",
                table: "AuthEvents");
        }
    }
}
