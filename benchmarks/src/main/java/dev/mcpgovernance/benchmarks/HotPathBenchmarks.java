package dev.mcpgovernance.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.mcpgovernance.audit.ArgumentShape;
import dev.mcpgovernance.audit.AuditPipeline;
import dev.mcpgovernance.audit.AuditRecord;
import dev.mcpgovernance.audit.NoopAuditWriter;
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
import dev.mcpgovernance.ratelimit.RateLimiter.BucketLimit;
import dev.mcpgovernance.ratelimit.RateLimiter.MultiDecision;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.scope.ScopeSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

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

	// A tool call's three limits (per caller, all callers, the caller's budget), checked together.
	private final List<BucketLimit> toolLimits = List.of(
			new BucketLimit("tool:get_order:caller:key_1", RateLimit.perMinute(1_000_000_000L)),
			new BucketLimit("tool:get_order:global", RateLimit.perMinute(1_000_000_000L)),
			new BucketLimit("budget:key_1", RateLimit.perMinute(1_000_000_000L)));

	private AuditPipeline auditPipeline;

	private AuditRecord auditRecord;

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
		try {
			// The default durability and queue, a journal on disk, a store that takes every batch at once.
			this.auditPipeline = new AuditPipeline(new NoopAuditWriter(), 10_000, 500, Duration.ofMillis(200),
					Duration.ofSeconds(1), Files.createTempDirectory("bench-audit-journal"), Duration.ofSeconds(5));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		this.auditPipeline.start();
		this.auditRecord = new AuditRecord("0b5e0c2e-6a53-4b1f-9c57-3d0f8a1e2b44", Instant.now(), "42", "key_1",
				"bench", "Bench", null, "http", "orders", "get_order", "order", "read", "success", null, null, false,
				180, ArgumentShape.of(Map.of("orderId", "ord_1001")), null, null, null, 0, null, null);
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

	@TearDown
	public void tearDown() {
		this.auditPipeline.stop();
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

	/** The tool limits of one call, as {@code ToolRateLimits} asks the memory store for them. */
	@Benchmark
	public MultiDecision memoryToolLimitsCheck() {
		return this.rateLimiter.tryConsumeAll(this.toolLimits);
	}

	/**
	 * Records handed to a running pipeline as fast as JMH can: the queue stays full, so this measures
	 * the journal thread's pace on this disk, the most records per second a server can audit.
	 */
	@Benchmark
	public long auditSubmit() {
		return this.auditPipeline.submit(this.auditRecord);
	}

	/**
	 * What a call's answer waits for in the default durability while the journal keeps up: its record
	 * put into a queue with room. A fresh, never-started pipeline per invocation takes {@value #ENQUEUED}
	 * records (its journal directory does not exist and is never created).
	 */
	@Benchmark
	@OperationsPerInvocation(ENQUEUED)
	public long auditEnqueue(FreshAuditQueue queue) {
		long position = 0;
		for (int i = 0; i < ENQUEUED; i++) {
			position = queue.pipeline.submit(this.auditRecord);
		}
		return position;
	}

	static final int ENQUEUED = 1000;

	/** A pipeline with room for {@value #ENQUEUED} records, new for every invocation. */
	@State(org.openjdk.jmh.annotations.Scope.Thread)
	public static class FreshAuditQueue {

		AuditPipeline pipeline;

		@Setup(Level.Invocation)
		public void fresh() {
			this.pipeline = new AuditPipeline(new NoopAuditWriter(), ENQUEUED, 500, Duration.ofMillis(200),
					Duration.ofSeconds(1), Path.of(System.getProperty("java.io.tmpdir"), "bench-audit-never-started"),
					Duration.ofSeconds(5));
		}

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
