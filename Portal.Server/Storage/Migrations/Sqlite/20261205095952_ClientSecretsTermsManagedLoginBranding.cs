using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ClientSecretsTermsManagedLoginBranding : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BrandingAssets",
                table: "UiCustomizations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BrandingSettings",
                table: "UiCustomizations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastWrittenBy",
                table: "UiCustomizations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ManagedLoginBrandingId",
                table: "UiCustomizations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "UseCognitoProvidedValues",
                table: "UiCustomizations",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "ClientSecretCreatedAt",
                table: "AppClients",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClientSecretId",
                table: "AppClients",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SecondClientSecret",
                table: "AppClients",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SecondClientSecretCreatedAt",
                table: "AppClients",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SecondClientSecretId",
                table: "AppClients",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Terms",
                columns: table => new
                {
                    TermsId = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    UserPoolId = table.Column<string>(type: "TEXT", nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", nullable: false),
                    TermsName = table.Column<string>(type: "TEXT", nullable: false),
                    TermsSource = table.Column<string>(type: "TEXT", nullable: false),
                    Enforcement = table.Column<string>(type: "TEXT", nullable: false),
                    Links = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastModifiedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Terms", x => x.TermsId);
                    table.ForeignKey(
                        name: "FK_Terms_AppClients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "AppClients",
                        principalColumn: "ClientId",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Terms_UserPools_UserPoolId",
                        column: x => x.UserPoolId,
                        principalTable: "UserPools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UiCustomizations_ManagedLoginBrandingId",
                table: "UiCustomizations",
                column: "ManagedLoginBrandingId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Terms_ClientId_TermsName",
                table: "Terms",
                columns: new[] { "ClientId", "TermsName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Terms_UserPoolId_CreatedAt",
                table: "Terms",
                columns: new[] { "UserPoolId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Terms");

            migrationBuilder.DropIndex(
                name: "IX_UiCustomizations_ManagedLoginBrandingId",
                table: "UiCustomizations");

            migrationBuilder.DropColumn(
                name: "BrandingAssets",
                table: "UiCustomizations");

            migrationBuilder.DropColumn(
                name: "BrandingSettings",
                table: "UiCustomizations");

            migrationBuilder.DropColumn(
                name: "LastWrittenBy",
                table: "UiCustomizations");

            migrationBuilder.DropColumn(
                name: "ManagedLoginBrandingId",
                table: "UiCustomizations");

            migrationBuilder.DropColumn(
                name: "UseCognitoProvidedValues",
                table: "UiCustomizations");

            migrationBuilder.DropColumn(
                name: "ClientSecretCreatedAt",
                table: "AppClients");

            migrationBuilder.DropColumn(
                name: "ClientSecretId",
                table: "AppClients");

            migrationBuilder.DropColumn(
                name: "SecondClientSecret",
                table: "AppClients");

            migrationBuilder.DropColumn(
                name: "SecondClientSecretCreatedAt",
                table: "AppClients");

            migrationBuilder.DropColumn(
                name: "SecondClientSecretId",
                table: "AppClients");
        }
    }
}
