package dev.mcpgovernance.gateway;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.outbound.DownstreamAuth;
import dev.mcpgovernance.gateway.GovernanceGatewayProperties.NamedCredential;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The rules an upstream added through the admin API must follow, and what the store makes of it. */
class RuntimeUpstreamsTests {

	private final InMemoryRuntimeUpstreamStore store = new InMemoryRuntimeUpstreamStore();

	private static RuntimeUpstream upstream(String domain, String url, String credential) {
		return new RuntimeUpstream(domain, URI.create(url), UpstreamDefinition.Transport.STREAMABLE, null, List.of(),
				List.of(), Map.of(), credential, Instant.now(), "key_1", "ops");
	}

	private RuntimeUpstreams runtime(List<String> allowedUrls, Map<String, NamedCredential> credentials) {
		return new RuntimeUpstreams(this.store, Set.of("crm"), allowedUrls, credentials);
	}

	private static NamedCredential bearer(String env, String... allowedUrls) {
		NamedCredential credential = new NamedCredential();
		credential.setBearerEnv(env);
		credential.setAllowedUrls(List.of(allowedUrls));
		return credential;
	}

	@Test
	void withoutAllowedUrlsNothingCanBeAdded() {
		assertThatExceptionOfType(GovernanceConfigurationException.class)
			.isThrownBy(() -> runtime(List.of(), Map.of()).add(upstream("desk", "https://desk.example.com/mcp", null)))
			.withMessageContaining("allowed-urls");
		assertThat(this.store.findAll()).isEmpty();
	}

	@Test
	void aStarInTheHostNeverReachesIntoThePath() {
		RuntimeUpstreams runtime = runtime(List.of("https://*.example.com/*"), Map.of());
		assertThat(runtime.add(upstream("desk", "https://desk.example.com/mcp", null)).url())
			.isEqualTo(URI.create("https://desk.example.com/mcp"));
		for (String url : List.of("https://evil.test/x.example.com/mcp", "http://desk.example.com/mcp",
				"https://desk.example.com.evil.test/mcp", "https://desk.example.com:8443/mcp")) {
			assertThatExceptionOfType(GovernanceConfigurationException.class).as(url)
				.isThrownBy(() -> runtime.add(upstream("other", url, null)));
		}
	}

	@Test
	void secretsInTheUrlAreRefused() {
		RuntimeUpstreams runtime = runtime(List.of("https://*"), Map.of());
		for (String url : List.of("https://user:secret@desk.example.com/mcp", "https://desk.example.com/mcp?key=secret",
				"https://desk.example.com/mcp#secret")) {
			assertThatExceptionOfType(GovernanceConfigurationException.class).as(url)
				.isThrownBy(() -> runtime.add(upstream("desk", url, null)))
				.withMessageNotContaining("secret");
		}
	}

	@Test
	void aCredentialIsANameDeclaredInConfigurationAndGoesOnlyWhereItMay() {
		RuntimeUpstreams runtime = runtime(List.of("https://*.example.com/*"),
				Map.of("desk-token", bearer("DESK_TOKEN", "https://desk.example.com/*")));

		assertThatExceptionOfType(GovernanceConfigurationException.class)
			.isThrownBy(() -> runtime.add(upstream("desk", "https://desk.example.com/mcp", "sk_pasted_secret")))
			.withMessageNotContaining("sk_pasted_secret");
		assertThatExceptionOfType(GovernanceConfigurationException.class)
			.isThrownBy(() -> runtime.add(upstream("other", "https://other.example.com/mcp", "desk-token")))
			.withMessageContaining("may not be sent to its url");

		UpstreamDefinition definition = runtime.add(upstream("desk", "https://desk.example.com/mcp", "desk-token"));
		assertThat(definition.serviceAuth()).isEqualTo(DownstreamAuth.bearerFromEnv("DESK_TOKEN"));
		assertThat(this.store.findAll()).extracting(RuntimeUpstream::credential).containsExactly("desk-token");
	}

	@Test
	void scopeOverridesStayInTheUpstreamsDomain() {
		RuntimeUpstreams runtime = runtime(List.of("https://*"), Map.of());
		RuntimeUpstream foreign = new RuntimeUpstream("desk", URI.create("https://desk.example.com/mcp"),
				UpstreamDefinition.Transport.STREAMABLE, null, List.of(), List.of(), Map.of("*", "orders:order:read"),
				null, Instant.now(), null, null);
		assertThatExceptionOfType(GovernanceConfigurationException.class).isThrownBy(() -> runtime.add(foreign));
		// In order: the first matching glob wins.
		Map<String, String> scopes = new LinkedHashMap<>();
		scopes.put("get_*", "ticket:read");
		scopes.put("*", "desk:ticket:write");
		RuntimeUpstream own = new RuntimeUpstream("desk", URI.create("https://desk.example.com/mcp"),
				UpstreamDefinition.Transport.STREAMABLE, null, List.of(), List.of(), scopes, null, Instant.now(), null,
				null);
		UpstreamDefinition definition = runtime.add(own);
		assertThat(definition.requiredScope("get_x", "get_x")).hasToString("desk:ticket:read");
		assertThat(definition.requiredScope("put_x", "put_x")).hasToString("desk:ticket:write");
	}

	@Test
	void configuredDomainsAndTakenDomainsAreConflicts() {
		RuntimeUpstreams runtime = runtime(List.of("https://*"), Map.of());
		assertThatExceptionOfType(UpstreamConflictException.class)
			.isThrownBy(() -> runtime.add(upstream("crm", "https://crm.example.com/mcp", null)));
		assertThatExceptionOfType(UpstreamConflictException.class).isThrownBy(() -> runtime.remove("crm"));
		runtime.add(upstream("desk", "https://desk.example.com/mcp", null));
		assertThatExceptionOfType(UpstreamConflictException.class)
			.isThrownBy(() -> runtime.add(upstream("desk", "https://desk2.example.com/mcp", null)));
		assertThat(runtime.remove("desk")).isTrue();
		assertThat(runtime.remove("desk")).isFalse();
	}

	@Test
	void storedUpstreamsThatNoLongerFollowTheConfigurationAreNotLoaded() {
		runtime(List.of("https://*"), Map.of("desk-token", bearer("DESK_TOKEN")))
			.add(upstream("desk", "https://desk.example.com/mcp", "desk-token"));
		runtime(List.of("https://*"), Map.of()).add(upstream("open", "https://open.example.com/mcp", null));

		// The credential is gone from configuration, and the URLs narrowed.
		assertThat(runtime(List.of("https://*"), Map.of()).load()).extracting(UpstreamDefinition::domain)
			.containsExactly("open");
		assertThat(runtime(List.of("https://desk.*"), Map.of("desk-token", bearer("DESK_TOKEN"))).load())
			.extracting(UpstreamDefinition::domain)
			.containsExactly("desk");
	}

}
