package dev.mcpgovernance.storage;

import java.net.URI;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import dev.mcpgovernance.gateway.JdbcRuntimeUpstreamStore;
import dev.mcpgovernance.gateway.RuntimeUpstream;
import dev.mcpgovernance.gateway.UpstreamDefinition;
import dev.mcpgovernance.identity.apikey.ApiKey;
import dev.mcpgovernance.identity.apikey.JdbcApiKeyStore;
import dev.mcpgovernance.scope.ScopeSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The starter's schema and its JDBC store, on H2 and on the real PostgreSQL (127.0.0.1:5432, database
 * {@code test}, user {@code postgres}), each test in a database or schema of its own.
 */
class SchemaMigrationTests {

	private static final String HISTORY = GovernanceSchemaMigrator.HISTORY_TABLE;

	private static final Instant CREATED = Instant.parse("2026-01-15T10:00:00Z");

	@Nested
	class OnH2 extends MigrationContract {

		@Override
		DataSource openDatabase() {
			return new DriverManagerDataSource("jdbc:h2:mem:mcpg_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
		}

		@Override
		void closeDatabase(DataSource dataSource) {
			JdbcClient.create(dataSource).sql("SHUTDOWN").update();
		}

		@Test
		void hostFlywayWithItsDefaultLocationAppliesNoneOfTheStarterMigrations() {
			Flyway host = Flyway.configure().dataSource(this.dataSource).locations("classpath:db/migration").load();

			host.migrate();

			assertThat(host.info().all()).isEmpty();
			assertThat(tableNames()).doesNotContain("mcp_governance_api_key", HISTORY);
		}

		@Test
		void starterMigrationsAreOnTheClasspathWhereTheHostFlywayLooks() {
			// Guards the test above: it proves something only while the files sit below db/migration.
			assertThat(getClass().getClassLoader().getResource("db/migration/mcp-governance/h2/MG1__api_key.sql"))
				.isNotNull();
			assertThat(getClass().getClassLoader().getResource("db/migration/mcp-governance/postgresql/MG1__api_key.sql"))
				.isNotNull();
		}

	}

	@Nested
	class OnPostgreSql extends MigrationContract {

		private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";

		private final String schema = "mcpg_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

		@Override
		DataSource openDatabase() {
			admin().sql("CREATE SCHEMA " + this.schema).update();
			return new DriverManagerDataSource(SERVER + "?currentSchema=" + this.schema, "postgres", "");
		}

		@Override
		void closeDatabase(DataSource dataSource) {
			admin().sql("DROP SCHEMA IF EXISTS " + this.schema + " CASCADE").update();
		}

		@Test
		void createsTheTablesInTheConfiguredSchemaOnly() throws SQLException {
			new GovernanceSchemaMigrator(this.dataSource).afterPropertiesSet();

			try (Connection connection = this.dataSource.getConnection()) {
				assertThat(connection.getSchema()).isEqualTo(this.schema);
			}
			assertThat(tableNames()).contains("mcp_governance_api_key", HISTORY);
			assertThat(admin().sql("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' "
					+ "AND table_name IN ('mcp_governance_api_key', '" + HISTORY + "')").query(Integer.class).single())
				.isZero();
		}

		private JdbcClient admin() {
			return JdbcClient.create(new DriverManagerDataSource(SERVER, "postgres", ""));
		}

	}

	/** What both databases must do alike. */
	abstract static class MigrationContract {

		DataSource dataSource;

		abstract DataSource openDatabase();

		abstract void closeDatabase(DataSource dataSource);

		@BeforeEach
		void setUp() {
			this.dataSource = openDatabase();
		}

		@AfterEach
		void tearDown() {
			closeDatabase(this.dataSource);
		}

		@Test
		void createsTheKeyTableAndItsOwnHistoryTable() {
			assertThat(tableNames()).doesNotContain("mcp_governance_api_key");

			migrate();

			assertThat(tableNames()).contains("mcp_governance_api_key", "mcp_governance_audit", "mcp_governance_upstream", HISTORY).doesNotContain("flyway_schema_history");
			assertThat(appliedVersions()).containsExactly("1", "2", "3", "4");
		}

		@Test
		void migratingAgainChangesNothing() {
			migrate();
			List<String> tables = tableNames();

			migrate();

			assertThat(tableNames()).isEqualTo(tables);
			assertThat(appliedVersions()).containsExactly("1", "2", "3", "4");
		}

		@Test
		void migratesASchemaThatAlreadyHoldsTheHostApplicationsFlywayHistory() {
			Flyway host = Flyway.configure().dataSource(this.dataSource).locations("classpath:db/host-migration").load();
			host.migrate();

			migrate();

			assertThat(tableNames()).contains("host_item", "flyway_schema_history", "mcp_governance_api_key", HISTORY);
			assertThat(appliedVersions()).containsExactly("1", "2", "3", "4");
			assertThat(host.info().applied()).extracting((migration) -> migration.getVersion().getVersion())
				.containsExactly("1");
			assertThat(host.info().pending()).isEmpty();
			host.validate();
		}

		@Test
		void storeSavesFindsAndListsKeys() {
			migrate();
			JdbcApiKeyStore store = new JdbcApiKeyStore(JdbcClient.create(this.dataSource));
			ApiKey first = key("key_first", "a", 60, CREATED, Instant.parse("2027-01-01T00:00:00Z"));
			ApiKey second = key("key_second", "b", 5, CREATED.plusSeconds(1), null);

			store.save(second);
			store.save(first);

			assertThat(store.findByHash(first.keyHash())).contains(first);
			assertThat(store.findByHash(second.keyHash())).contains(second);
			assertThat(store.findByHash("c".repeat(64))).isEmpty();
			assertThat(store.findAll()).containsExactly(first, second);
		}

		@Test
		void storeRevokesAKeyOnce() {
			migrate();
			JdbcApiKeyStore store = new JdbcApiKeyStore(JdbcClient.create(this.dataSource));
			ApiKey key = key("key_first", "a", 60, CREATED, null);
			store.save(key);
			Instant revokedAt = CREATED.plusSeconds(3600);

			assertThat(store.revoke("key_first", revokedAt)).isTrue();
			assertThat(store.revoke("key_first", revokedAt.plusSeconds(1))).isFalse();
			assertThat(store.revoke("key_unknown", revokedAt)).isFalse();
			assertThat(store.findByHash(key.keyHash())).hasValueSatisfying((found) -> {
				assertThat(found.revokedAt()).isEqualTo(revokedAt);
				assertThat(found.isUsableAt(revokedAt)).isFalse();
			});
		}

		@Test
		void storeRefusesASecondKeyWithTheSameHashOrId() {
			migrate();
			JdbcApiKeyStore store = new JdbcApiKeyStore(JdbcClient.create(this.dataSource));
			store.save(key("key_first", "a", 60, CREATED, null));

			assertThatExceptionOfType(DataIntegrityViolationException.class)
				.isThrownBy(() -> store.save(key("key_second", "a", 60, CREATED, null)));
			assertThatExceptionOfType(DataIntegrityViolationException.class)
				.isThrownBy(() -> store.save(key("key_first", "b", 60, CREATED, null)));
			assertThat(store.findAll()).hasSize(1);
		}

		@Test
		void storeKeepsAnUnsetRateLimitUnset() {
			migrate();
			JdbcApiKeyStore store = new JdbcApiKeyStore(JdbcClient.create(this.dataSource));
			ApiKey key = key("key_default_rpm", "a", null, CREATED, null);

			store.save(key);

			assertThat(store.findByHash(key.keyHash())).hasValueSatisfying(
					(found) -> assertThat(found.rateLimitRpm()).as("rate limit of a key saved without one").isNull());
		}

		@Test
		void anUpstreamStoredBeforeResourceAndPromptRulesKeepsExposingEverythingAndNewRulesRoundTrip()
				throws SQLException {
			String vendor;
			try (Connection connection = this.dataSource.getConnection()) {
				vendor = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
			}
			// The schema as the release before the rules left it, with an upstream in it.
			Flyway.configure()
				.dataSource(this.dataSource)
				.locations(GovernanceSchemaMigrator.LOCATION_ROOT + vendor)
				.table(HISTORY)
				.sqlMigrationPrefix(GovernanceSchemaMigrator.MIGRATION_PREFIX)
				.baselineOnMigrate(true)
				.baselineVersion("0")
				.target("3")
				.load()
				.migrate();
			JdbcClient jdbc = JdbcClient.create(this.dataSource);
			jdbc.sql("INSERT INTO mcp_governance_upstream (domain, url, transport, allowed_tools, denied_tools, scopes, "
					+ "created_at) VALUES ('old', 'https://old.example.com/mcp', 'STREAMABLE', '[]', '[]', '{}', ?)")
				.param(Timestamp.from(CREATED))
				.update();

			migrate();

			JdbcRuntimeUpstreamStore store = new JdbcRuntimeUpstreamStore(jdbc);
			assertThat(store.findAll()).singleElement().satisfies((old) -> {
				assertThat(old.resources()).isEqualTo(RuntimeUpstream.Rules.ALL);
				assertThat(old.prompts()).isEqualTo(RuntimeUpstream.Rules.ALL);
			});
			RuntimeUpstream ruled = new RuntimeUpstream("ruled", URI.create("https://ruled.example.com/mcp"),
					UpstreamDefinition.Transport.SSE, null, List.of(), List.of(), Map.of(), null, CREATED.plusSeconds(1),
					"key_a", "owner-a",
					new RuntimeUpstream.Rules(List.of("library://*"), List.of("library://staff"),
							Map.of("books://*", "volume:read")),
					new RuntimeUpstream.Rules(List.of(), List.of("internal_*"), Map.of("review_*", "review:read")));
			assertThat(store.insert(ruled)).isTrue();
			assertThat(store.findAll()).element(1).isEqualTo(ruled);
		}

		void migrate() {
			new GovernanceSchemaMigrator(this.dataSource).afterPropertiesSet();
		}

		List<String> appliedVersions() {
			return JdbcClient.create(this.dataSource)
				.sql("SELECT \"version\" FROM \"" + HISTORY + "\" WHERE \"success\" AND \"version\" <> '0' "
						+ "ORDER BY \"installed_rank\"")
				.query(String.class)
				.list();
		}

		/** Lower-case names of the tables in the connection's current schema. */
		List<String> tableNames() {
			try (Connection connection = this.dataSource.getConnection()) {
				DatabaseMetaData metaData = connection.getMetaData();
				List<String> names = new ArrayList<>();
				try (ResultSet tables = metaData.getTables(connection.getCatalog(), connection.getSchema(), "%",
						new String[] { "TABLE" })) {
					while (tables.next()) {
						names.add(tables.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
					}
				}
				return names;
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}

		private static ApiKey key(String id, String hashDigit, Integer rpm, Instant createdAt, Instant expiresAt) {
			return new ApiKey(id, hashDigit.repeat(64), "owner-" + id, "Owner of " + id,
					ScopeSet.parseSpaceSeparated("orders:order:read orders:*:cancel"), rpm, createdAt, expiresAt, null);
		}

	}

}
