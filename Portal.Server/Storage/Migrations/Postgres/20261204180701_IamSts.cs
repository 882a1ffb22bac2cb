using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class IamSts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "IamOidcProviders",
                columns: table => new
                {
                    Arn = table.Column<string>(type: "text", nullable: false),
                    Url = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    ClientIds = table.Column<string>(type: "text", nullable: false),
                    Thumbprints = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Tags = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IamOidcProviders", x => x.Arn);
                });

            migrationBuilder.CreateTable(
                name: "IamRoles",
                columns: table => new
                {
                    RoleId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    RoleName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RoleNameKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Path = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    Arn = table.Column<string>(type: "text", nullable: false),
                    AssumeRolePolicyDocument = table.Column<string>(type: "text", nullable: false),
                    Description = table.Column<string>(type: "text", nullable: true),
                    MaxSessionDuration = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastUsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Tags = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IamRoles", x => x.RoleId);
                });

            migrationBuilder.CreateTable(
                name: "IamSamlProviders",
                columns: table => new
                {
                    Arn = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    MetadataDocument = table.Column<string>(type: "text", nullable: false),
                    SamlProviderUuid = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ValidUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Tags = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IamSamlProviders", x => x.Arn);
                });

            migrationBuilder.CreateTable(
                name: "IamRolePolicies",
                columns: table => new
                {
                    RoleId = table.Column<string>(type: "character varying(32)", nullable: false),
                    PolicyName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    PolicyDocument = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IamRolePolicies", x => new { x.RoleId, x.PolicyName });
                    table.ForeignKey(
                        name: "FK_IamRolePolicies_IamRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "IamRoles",
                        principalColumn: "RoleId",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IamRoles_Arn",
                table: "IamRoles",
                column: "Arn",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IamRoles_RoleNameKey",
                table: "IamRoles",
                column: "RoleNameKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IamSamlProviders_Name",
                table: "IamSamlProviders",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IamOidcProviders");

            migrationBuilder.DropTable(
                name: "IamRolePolicies");

            migrationBuilder.DropTable(
                name: "IamSamlProviders");

            migrationBuilder.DropTable(
                name: "IamRoles");
        }
    }
}
