package dev.mcpgovernance.gateway;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Upstreams added through the admin API in table {@code mcp_governance_upstream}, created by the
 * starter's own migrations. The domain is the primary key, so the database decides which of two
 * concurrent additions of one domain wins. Glob lists and scope overrides (of tools, resources and
 * prompts) are stored as JSON.
 */
public class JdbcRuntimeUpstreamStore implements RuntimeUpstreamStore {

	private static final String COLUMNS = "domain, url, transport, description, allowed_tools, denied_tools, scopes, "
			+ "credential, created_at, created_by_key, created_by_owner, allowed_resources, denied_resources, "
			+ "resource_scopes, allowed_prompts, denied_prompts, prompt_scopes";

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final TypeReference<List<String>> GLOBS = new TypeReference<>() {
	};

	private static final TypeReference<LinkedHashMap<String, String>> SCOPES = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	public JdbcRuntimeUpstreamStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<RuntimeUpstream> findAll() {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM mcp_governance_upstream ORDER BY created_at, domain")
			.query(JdbcRuntimeUpstreamStore::map)
			.list();
	}

	@Override
	public boolean insert(RuntimeUpstream upstream) {
		try {
			this.jdbc.sql("INSERT INTO mcp_governance_upstream (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				.params(upstream.domain(), upstream.url().toString(), upstream.transport().name(),
						upstream.description(), json(upstream.allowedTools()), json(upstream.deniedTools()),
						json(upstream.scopes()), upstream.credential(), Timestamp.from(upstream.createdAt()),
						upstream.createdByKey(), upstream.createdByOwner(), json(upstream.resources().allowed()),
						json(upstream.resources().denied()), json(upstream.resources().scopes()),
						json(upstream.prompts().allowed()), json(upstream.prompts().denied()),
						json(upstream.prompts().scopes()))
				.update();
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	@Override
	public boolean delete(String domain) {
		return this.jdbc.sql("DELETE FROM mcp_governance_upstream WHERE domain = ?").param(domain).update() == 1;
	}

	private static RuntimeUpstream map(ResultSet rs, int row) throws SQLException {
		return new RuntimeUpstream(rs.getString("domain"), URI.create(rs.getString("url")),
				UpstreamDefinition.Transport.valueOf(rs.getString("transport")), rs.getString("description"),
				read(rs.getString("allowed_tools"), GLOBS), read(rs.getString("denied_tools"), GLOBS),
				read(rs.getString("scopes"), SCOPES), rs.getString("credential"),
				rs.getTimestamp("created_at").toInstant(), rs.getString("created_by_key"),
				rs.getString("created_by_owner"), rules(rs, "allowed_resources", "denied_resources", "resource_scopes"),
				rules(rs, "allowed_prompts", "denied_prompts", "prompt_scopes"));
	}

	private static RuntimeUpstream.Rules rules(ResultSet rs, String allowed, String denied, String scopes)
			throws SQLException {
		return new RuntimeUpstream.Rules(read(rs.getString(allowed), GLOBS), read(rs.getString(denied), GLOBS),
				read(rs.getString(scopes), SCOPES));
	}

	private static String json(Object value) {
		try {
			return JSON.writeValueAsString(value);
		}
		catch (JacksonException ex) {
			throw new IllegalStateException("Could not write an upstream's globs as JSON", ex);
		}
	}

	private static <T> T read(String json, TypeReference<T> type) throws SQLException {
		try {
			return JSON.readValue(json, type);
		}
		catch (JacksonException ex) {
			throw new SQLException("A stored upstream's column is not the JSON this starter writes", ex);
		}
	}

}
