using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PushSync : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SyncDevices",
                columns: table => new
                {
                    DeviceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IdentityPoolId = table.Column<string>(type: "TEXT", maxLength: 55, nullable: false),
                    IdentityId = table.Column<string>(type: "TEXT", maxLength: 55, nullable: false),
                    Platform = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Token = table.Column<string>(type: "TEXT", nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EndpointArn = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastDeliveredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    LastErrorAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncDevices", x => x.DeviceId);
                    table.ForeignKey(
                        name: "FK_SyncDevices_Identities_IdentityId",
                        column: x => x.IdentityId,
                        principalTable: "Identities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SyncPushOutbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DeviceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IdentityPoolId = table.Column<string>(type: "TEXT", maxLength: 55, nullable: false),
                    IdentityId = table.Column<string>(type: "TEXT", maxLength: 55, nullable: false),
                    DatasetName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    SyncCount = table.Column<long>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncPushOutbox", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncPushOutbox_SyncDevices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "SyncDevices",
                        principalColumn: "DeviceId",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SyncSubscriptions",
                columns: table => new
                {
                    IdentityId = table.Column<string>(type: "TEXT", maxLength: 55, nullable: false),
                    DatasetName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    DeviceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncSubscriptions", x => new { x.IdentityId, x.DatasetName, x.DeviceId });
                    table.ForeignKey(
                        name: "FK_SyncSubscriptions_SyncDevices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "SyncDevices",
                        principalColumn: "DeviceId",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SyncDevices_IdentityId_Platform_TokenHash",
                table: "SyncDevices",
                columns: new[] { "IdentityId", "Platform", "TokenHash" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SyncDevices_IdentityPoolId",
                table: "SyncDevices",
                column: "IdentityPoolId");

            migrationBuilder.CreateIndex(
                name: "IX_SyncPushOutbox_DeviceId",
                table: "SyncPushOutbox",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_SyncPushOutbox_NextAttemptAt",
                table: "SyncPushOutbox",
                column: "NextAttemptAt");

            migrationBuilder.CreateIndex(
                name: "IX_SyncSubscriptions_DeviceId",
                table: "SyncSubscriptions",
                column: "DeviceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SyncPushOutbox");

            migrationBuilder.DropTable(
                name: "SyncSubscriptions");

            migrationBuilder.DropTable(
                name: "SyncDevices");
        }
    }
}
