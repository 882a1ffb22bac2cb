using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ManagedPolicies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PermissionsBoundaryArn",
                table: "IamRoles",
                type: "TEXT",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "IamManagedPolicies",
                columns: table => new
                {
                    PolicyId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PolicyName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    PolicyNameKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Path = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    Arn = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: true),
                    DefaultVersionId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    NextVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    Revision = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Tags = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IamManagedPolicies", x => x.PolicyId);
                    table.UniqueConstraint("AK_IamManagedPolicies_Arn", x => x.Arn);
                });

            migrationBuilder.CreateTable(
                name: "IamPolicyVersions",
                columns: table => new
                {
                    PolicyId = table.Column<string>(type: "TEXT", nullable: false),
                    VersionId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Document = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IamPolicyVersions", x => new { x.PolicyId, x.VersionId });
                    table.ForeignKey(
                        name: "FK_IamPolicyVersions_IamManagedPolicies_PolicyId",
                        column: x => x.PolicyId,
                        principalTable: "IamManagedPolicies",
                        principalColumn: "PolicyId",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IamRolePolicyAttachments",
                columns: table => new
                {
                    RoleId = table.Column<string>(type: "TEXT", nullable: false),
                    PolicyId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IamRolePolicyAttachments", x => new { x.RoleId, x.PolicyId });
                    table.ForeignKey(
                        name: "FK_IamRolePolicyAttachments_IamManagedPolicies_PolicyId",
                        column: x => x.PolicyId,
                        principalTable: "IamManagedPolicies",
                        principalColumn: "PolicyId",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_IamRolePolicyAttachments_IamRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "IamRoles",
                        principalColumn: "RoleId",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IamRoles_PermissionsBoundaryArn",
                table: "IamRoles",
                column: "PermissionsBoundaryArn");

            migrationBuilder.CreateIndex(
                name: "IX_IamManagedPolicies_PolicyNameKey",
                table: "IamManagedPolicies",
                column: "PolicyNameKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IamRolePolicyAttachments_PolicyId",
                table: "IamRolePolicyAttachments",
                column: "PolicyId");

            migrationBuilder.AddForeignKey(
                name: "FK_IamRoles_IamManagedPolicies_PermissionsBoundaryArn",
                table: "IamRoles",
                column: "PermissionsBoundaryArn",
                principalTable: "IamManagedPolicies",
                principalColumn: "Arn",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_IamRoles_IamManagedPolicies_PermissionsBoundaryArn",
                table: "IamRoles");

            migrationBuilder.DropTable(
                name: "IamPolicyVersions");

            migrationBuilder.DropTable(
                name: "IamRolePolicyAttachments");

            migrationBuilder.DropTable(
                name: "IamManagedPolicies");

            migrationBuilder.DropIndex(
                name: "IX_IamRoles_PermissionsBoundaryArn",
                table: "IamRoles");

            migrationBuilder.DropColumn(
                name: "PermissionsBoundaryArn",
                table: "IamRoles");
        }
    }
}
