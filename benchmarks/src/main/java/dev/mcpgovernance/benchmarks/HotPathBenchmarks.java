package dev.mcpgovernance.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mcpgovernance.identity.ApiKeyAuthenticator;
import dev.mcpgovernance.identity.ApiKeyGenerator;
import dev.mcpgovernance.identity.ApiKeyHasher;
import dev.mcpgovernance.identity.ApiKeyManager;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.DeclaredApiKeys;
import dev.mcpgovernance.identity.InMemoryApiKeyStore;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.scope.ScopeSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** JMH for the per-call hot paths of governance that exist today. */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPathBenchmarks {

	private ScopeSet grants;

	private Scope required;

	private ApiKeyHasher hasher;

	private ApiKeyAuthenticator authenticator;

	private String secret;

	@Setup
	public void setUp() {
		this.grants = ScopeSet.parse(List.of("billing:*:read", "inventory:item:*", "orders:*:read", "orders:order:cancel"));
		this.required = Scope.required("orders", "order", "read");
		this.hasher = new ApiKeyHasher("benchmark-pepper-0123456789abcdef0123");
		InMemoryApiKeyStore store = new InMemoryApiKeyStore();
		DeclaredApiKeys declared = new DeclaredApiKeys(List.of());
		this.authenticator = new ApiKeyAuthenticator(this.hasher, declared, store, Duration.ofMinutes(10), 10_000,
				Clock.systemUTC());
		this.secret = new ApiKeyManager(this.hasher, store, declared, this.authenticator, Clock.systemUTC())
			.create("bench", null, this.grants, null, null)
			.secret();
	}

	@Benchmark
	public boolean scopeMatch() {
		return this.grants.covers(this.required);
	}

	@Benchmark
	public String apiKeyHash() {
		return this.hasher.hash(this.secret);
	}

	@Benchmark
	public AuthenticationOutcome apiKeyVerificationCached() {
		return this.authenticator.authenticate(this.secret, Transport.HTTP);
	}

	@Benchmark
	public boolean apiKeyFormatCheck() {
		return ApiKeyGenerator.isWellFormed(this.secret);
	}

}
