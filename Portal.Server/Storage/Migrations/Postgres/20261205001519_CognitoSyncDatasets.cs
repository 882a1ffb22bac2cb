using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CognitoSyncDatasets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SyncDatasets",
                columns: table => new
                {
                    IdentityId = table.Column<string>(type: "character varying(55)", maxLength: 55, nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    IdentityPoolId = table.Column<string>(type: "character varying(55)", maxLength: 55, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastModifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastModifiedBy = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    SyncCount = table.Column<long>(type: "bigint", nullable: false),
                    DataStorage = table.Column<long>(type: "bigint", nullable: false),
                    NumRecords = table.Column<long>(type: "bigint", nullable: false),
                    SyncSessions = table.Column<long>(type: "bigint", nullable: false),
                    MergedFrom = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    DeletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncDatasets", x => new { x.IdentityId, x.Name });
                    table.ForeignKey(
                        name: "FK_SyncDatasets_Identities_IdentityId",
                        column: x => x.IdentityId,
                        principalTable: "Identities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SyncPools",
                columns: table => new
                {
                    IdentityPoolId = table.Column<string>(type: "character varying(55)", maxLength: 55, nullable: false),
                    PushSync = table.Column<string>(type: "text", nullable: true),
                    CognitoStreams = table.Column<string>(type: "text", nullable: true),
                    Events = table.Column<string>(type: "text", nullable: false),
                    LastModifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncPools", x => x.IdentityPoolId);
                    table.ForeignKey(
                        name: "FK_SyncPools_IdentityPools_IdentityPoolId",
                        column: x => x.IdentityPoolId,
                        principalTable: "IdentityPools",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SyncRecords",
                columns: table => new
                {
                    IdentityId = table.Column<string>(type: "character varying(55)", maxLength: 55, nullable: false),
                    DatasetName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Key = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    Value = table.Column<string>(type: "text", nullable: true),
                    SyncCount = table.Column<long>(type: "bigint", nullable: false),
                    LastModifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastModifiedBy = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    DeviceLastModifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncRecords", x => new { x.IdentityId, x.DatasetName, x.Key });
                    table.ForeignKey(
                        name: "FK_SyncRecords_SyncDatasets_IdentityId_DatasetName",
                        columns: x => new { x.IdentityId, x.DatasetName },
                        principalTable: "SyncDatasets",
                        principalColumns: new[] { "IdentityId", "Name" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SyncDatasets_IdentityPoolId",
                table: "SyncDatasets",
                column: "IdentityPoolId");

            migrationBuilder.CreateIndex(
                name: "IX_SyncRecords_IdentityId_DatasetName_SyncCount",
                table: "SyncRecords",
                columns: new[] { "IdentityId", "DatasetName", "SyncCount" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SyncPools");

            migrationBuilder.DropTable(
                name: "SyncRecords");

            migrationBuilder.DropTable(
                name: "SyncDatasets");
        }
    }
}
