package dev.mcpgovernance.identity.apikey;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.mcpgovernance.scope.ScopeSet;

import org.springframework.jdbc.core.simple.JdbcClient;

/** API keys in table {@code mcp_governance_api_key}, created by the starter's own migrations. */
public class JdbcApiKeyStore implements ApiKeyStore {

	private static final String COLUMNS = "id, key_hash, owner_id, owner_label, scopes, rate_limit_rpm, created_at, expires_at, revoked_at";

	private final JdbcClient jdbc;

	public JdbcApiKeyStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Optional<ApiKey> findByHash(String keyHash) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM mcp_governance_api_key WHERE key_hash = ?")
			.param(keyHash)
			.query(JdbcApiKeyStore::map)
			.optional();
	}

	@Override
	public List<ApiKey> findAll() {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM mcp_governance_api_key ORDER BY created_at, id")
			.query(JdbcApiKeyStore::map)
			.list();
	}

	@Override
	public void save(ApiKey key) {
		this.jdbc.sql("INSERT INTO mcp_governance_api_key (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(key.id(), key.keyHash(), key.ownerId(), key.ownerLabel(), key.scopes().toSpaceSeparated(),
					key.rateLimitRpm(), timestamp(key.createdAt()), timestamp(key.expiresAt()),
					timestamp(key.revokedAt()))
			.update();
	}

	@Override
	public boolean revoke(String keyId, Instant at) {
		return this.jdbc.sql("UPDATE mcp_governance_api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
			.params(timestamp(at), keyId)
			.update() == 1;
	}

	private static ApiKey map(ResultSet rs, int row) throws SQLException {
		return new ApiKey(rs.getString("id"), rs.getString("key_hash"), rs.getString("owner_id"),
				rs.getString("owner_label"), ScopeSet.parseSpaceSeparated(rs.getString("scopes")),
				rs.getObject("rate_limit_rpm", Integer.class), instant(rs.getTimestamp("created_at")),
				instant(rs.getTimestamp("expires_at")), instant(rs.getTimestamp("revoked_at")));
	}

	private static Timestamp timestamp(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
