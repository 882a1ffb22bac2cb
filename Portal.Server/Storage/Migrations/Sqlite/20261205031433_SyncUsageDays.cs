using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SyncUsageDays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SyncUsageDays",
                columns: table => new
                {
                    IdentityPoolId = table.Column<string>(type: "TEXT", maxLength: 55, nullable: false),
                    Day = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    SyncOperations = table.Column<long>(type: "INTEGER", nullable: false),
                    DatasetsChange = table.Column<long>(type: "INTEGER", nullable: false),
                    BytesChange = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncUsageDays", x => new { x.IdentityPoolId, x.Day });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SyncUsageDays");
        }
    }
}
