package dev.mcpgovernance.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.mcpgovernance.audit.ArgumentShape;
import dev.mcpgovernance.identity.apikey.ApiKeyAuthenticator;
import dev.mcpgovernance.identity.apikey.ApiKeyGenerator;
import dev.mcpgovernance.identity.apikey.ApiKeyHasher;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.apikey.DeclaredApiKeys;
import dev.mcpgovernance.identity.apikey.InMemoryApiKeyStore;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.ratelimit.LocalRateLimiter;
import dev.mcpgovernance.ratelimit.RateLimit;
import dev.mcpgovernance.ratelimit.RateLimitDecision;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.scope.ScopeSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** JMH for the per-call hot paths of governance. */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPathBenchmarks {

	private ScopeSet grants;

	private Scope required;

	private ApiKeyHasher hasher;

	private ApiKeyAuthenticator authenticator;

	private String secret;

	private LocalRateLimiter rateLimiter;

	// Never refuses at benchmark speed, so every check takes the "consume a token" path a real call takes.
	private final RateLimit generousLimit = RateLimit.perMinute(1_000_000_000L);

	private Redactor redactor;

	private Map<String, Object> typicalResult;

	private String typicalResultJson;

	private JsonNode typicalResultTree;

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
		this.rateLimiter = new LocalRateLimiter(100_000);
		this.redactor = Redactor.withDefaults();
		this.typicalResult = typicalResult();
		// What a tool's text content usually is: its return value written as JSON.
		ObjectMapper mapper = new ObjectMapper();
		this.typicalResultTree = mapper.valueToTree(this.typicalResult);
		try {
			this.typicalResultJson = mapper.writeValueAsString(this.typicalResultTree);
		}
		catch (JacksonException ex) {
			throw new IllegalStateException(ex);
		}
	}

	// The shape of a typical tool result: a record with a few nested fields, one of them sensitive.
	private static Map<String, Object> typicalResult() {
		return Map.of("order_id", "ord-1042", "status", "shipped", "total", 129.95,
				"customer", Map.of("name", "Ada Lovelace", "email", "ada@example.com", "tier", "gold"),
				"items", List.of(Map.of("sku", "SKU-1", "qty", 2, "note", "gift wrap"),
						Map.of("sku", "SKU-2", "qty", 1, "note", "call 555-867-5309 on arrival")),
				"access_token", "tok-0123456789");
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
	public RateLimitDecision memoryRateLimitCheck() {
		return this.rateLimiter.tryConsume("caller-1|tool", this.generousLimit);
	}

	@Benchmark
	public JsonNode redactTypicalResult() {
		return this.redactor.redact(this.typicalResult);
	}

	@Benchmark
	public String redactTypicalResultJsonText() {
		return this.redactor.redactText(this.typicalResultJson);
	}

	@Benchmark
	public JsonNode redactTypicalResultJsonTree() {
		return this.redactor.redact(this.typicalResultTree);
	}

	@Benchmark
	public String argumentShapeOfTypicalArguments() {
		return ArgumentShape.of(this.typicalResult);
	}

	@Benchmark
	public boolean apiKeyFormatCheck() {
		return ApiKeyGenerator.isWellFormed(this.secret);
	}

}
