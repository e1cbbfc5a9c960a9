package dev.mcpgovernance.capability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.Exposure;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.ProcessCallerSource;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.tool.GovernanceContext;
import dev.mcpgovernance.tool.GovernedToolRegistrar;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.GovernedToolSpecifications;
import dev.mcpgovernance.identity.capability.CapabilityCredentialKind;
import dev.mcpgovernance.identity.CredentialKind;
import dev.mcpgovernance.stdio.StdioKeyCredentialKind;
import dev.mcpgovernance.tool.ToolCallGovernor;
import dev.mcpgovernance.tool.ToolCallLimiter;
import dev.mcpgovernance.tool.ToolCallObserver;
import dev.mcpgovernance.tool.ToolErrorClassifier;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.JsonSchema;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.biscuitsec.biscuit.crypto.KeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Capability tokens on STDIO, where no request has headers: a real MCP server on the STDIO
 * transport (over pipes) with governed tool specifications, spoken to in JSON-RPC lines as a client
 * process would, with the token in each {@code tools/call}'s {@code params._meta.capability}.
 */
// A reply that never comes fails the test instead of blocking the build on the pipe.
@Timeout(30)
class StdioCapabilityTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final KeyPair rootKey = new KeyPair();

	private final CapabilityIssuer issuer = new CapabilityIssuer(this.rootKey, 1, Duration.ofHours(24),
			Clock.systemUTC());

	private final AtomicReference<CallerIdentity> seenCaller = new AtomicReference<>();

	private final AtomicReference<Map<String, Object>> seenMeta = new AtomicReference<>();

	private final List<String> processCallerAsked = new ArrayList<>();

	private McpSyncServer server;

	private OutputStream toServer;

	private BufferedReader fromServer;

	private int nextId = 1;

	private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

	@BeforeEach
	void startServer() throws Exception {
		PipedOutputStream clientOut = new PipedOutputStream();
		PipedInputStream serverIn = new PipedInputStream(clientOut, 1 << 16);
		PipedOutputStream serverOut = new PipedOutputStream();
		PipedInputStream clientIn = new PipedInputStream(serverOut, 1 << 16);
		this.toServer = clientOut;
		this.fromServer = new BufferedReader(new InputStreamReader(clientIn, StandardCharsets.UTF_8));
		Thread reader = new Thread(() -> {
			try {
				String line;
				while ((line = this.fromServer.readLine()) != null) {
					this.lines.add(line);
				}
			}
			catch (IOException ex) {
				// The server's side closed: the test is over.
			}
		}, "stdio-test-reader");
		reader.setDaemon(true);
		reader.start();

		GovernedToolRegistry registry = new GovernedToolRegistry(new GovernedToolRegistrar(), "test");
		registry.afterSingletonsInstantiated();
		ToolCallGovernor governor = new ToolCallGovernor(registry, new ToolErrorClassifier(), Exposure.ALLOW_UNGOVERNED,
				ToolCallLimiter.NONE, null, List.of(), ToolCallObserver.NONE, List.of());
		CapabilityVerifier verifier = new CapabilityVerifier(new CapabilityKeys(Map.of(1, this.rootKey.public_key())), 8,
				null, Clock.systemUTC());
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("governor", governor);
		beans.addBean("verifier", verifier);
		// STDIO without an API key in the environment: no process caller.
		beans.addBean("processCaller", (ProcessCallerSource) () -> {
			this.processCallerAsked.add("asked");
			return Optional.empty();
		});
		beans.addBean("capabilityKind", new CapabilityCredentialKind(verifier));
		beans.addBean("stdioKind", new StdioKeyCredentialKind(beans.getBean(ProcessCallerSource.class)));
		GovernedToolSpecifications specifications = new GovernedToolSpecifications(
				beans.getBeanProvider(ToolCallGovernor.class), beans.getBeanProvider(CredentialKind.class));

		this.server = McpServer
			.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper(), serverIn, serverOut))
			.capabilities(ServerCapabilities.builder().tools(false).build())
			.tools(specifications.governed(tool("get_order")), specifications.governed(tool("cancel_order")))
			.build();
		assertThat(ask("initialize", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(), "clientInfo",
				Map.of("name", "stdio-test", "version", "1")))).as("answer to initialize").isNotNull();
		send(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
	}

	@AfterEach
	void stopServer() {
		this.server.closeGracefully();
	}

	private SyncToolSpecification tool(String name) {
		Tool tool = Tool.builder()
			.name(name)
			.inputSchema(new JsonSchema("object", Map.of(), List.of(), null, null, null))
			.build();
		return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
			this.seenCaller.set(GovernanceContext.caller().orElse(null));
			this.seenMeta.set(request.meta());
			return CallToolResult.builder().addTextContent(name + " done").build();
		}).build();
	}

	private JsonNode callTool(String name, Object capability) throws Exception {
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("name", name);
		params.put("arguments", Map.of());
		if (capability != null) {
			params.put("_meta", Map.of("capability", capability, "progressToken", "p-1"));
		}
		return request("tools/call", params).get("result");
	}

	/**
	 * Sends a request and waits for its answer. The SDK's STDIO server transport (0.18) drops an
	 * outgoing message when two are emitted at once and one waits more than 100 ms ("Failed to enqueue
	 * message", seen on a loaded CI machine), and that error ends its inbound processing: the server
	 * answers nothing more. A request without an answer within 5 s is therefore asked once more of a
	 * fresh server. The test tools have no side effects, so asking twice changes nothing.
	 */
	private JsonNode request(String method, Map<String, Object> params) throws Exception {
		JsonNode answer = ask(method, params);
		if (answer == null) {
			stopServer();
			startServer();
			answer = ask(method, params);
		}
		if (answer == null) {
			throw new AssertionError("no answer to " + method);
		}
		return answer;
	}

	/** One request; its answer, or {@code null} when none came within 5 s or the server stopped reading. */
	private JsonNode ask(String method, Map<String, Object> params) throws Exception {
		int id = this.nextId++;
		try {
			send(Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", params));
		}
		catch (IOException ex) {
			// "Read end dead": the server's reading thread has ended.
			return null;
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (System.nanoTime() < deadline) {
			String line = this.lines.poll(100, TimeUnit.MILLISECONDS);
			if (line != null && JSON.readTree(line).path("id").asInt(-1) == id) {
				return JSON.readTree(line);
			}
		}
		return null;
	}

	private void send(Map<String, Object> message) throws Exception {
		this.toServer.write((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
		this.toServer.flush();
	}

	private String mint(String... tools) {
		return this.issuer.mint(CapabilityGrant.of("worker-7", ScopeSet.parse(List.of("orders:*:*")), Duration.ofHours(1))
			.withTools(tools)).token();
	}

	private static String errorCode(JsonNode result) {
		assertThat(result.get("isError").asBoolean()).isTrue();
		return result.get("structuredContent").get("error_code").asString();
	}

	@Test
	void capabilityInMetaIsTheCallerAndNeverReachesTheHandler() throws Exception {
		JsonNode result = callTool("get_order", mint());
		assertThat(result.path("isError").asBoolean(false)).isFalse();
		assertThat(result.get("content").get(0).get("text").asString()).isEqualTo("get_order done");
		assertThat(this.seenCaller.get().ownerId()).isEqualTo("worker-7");
		assertThat(this.seenCaller.get().transport().wireName()).isEqualTo("capability");
		assertThat(this.seenMeta.get()).containsEntry("progressToken", "p-1").doesNotContainKey("capability");
		assertThat(this.processCallerAsked).isEmpty();
	}

	@Test
	void withoutCapabilityAndWithoutProcessCallerTheCallIsUnauthenticated() throws Exception {
		assertThat(errorCode(callTool("get_order", null))).isEqualTo("unauthenticated");
		assertThat(this.processCallerAsked).hasSize(1);
	}

	@Test
	void narrowedTokenCannotCallAnotherTool() throws Exception {
		String token = CapabilityTokens.attenuate(mint(), Attenuation.none().tools("get_order"));
		assertThat(callTool("get_order", token).path("isError").asBoolean(false)).isFalse();
		JsonNode refused = callTool("cancel_order", token);
		assertThat(errorCode(refused)).isEqualTo("forbidden");
		assertThat(refused.get("structuredContent").get("details").get("tool").asString()).isEqualTo("cancel_order");
	}

	@Test
	void invalidTokensAreUnauthenticatedWithTheirReason() throws Exception {
		String expired = new CapabilityIssuer(this.rootKey, 1, Duration.ofHours(24),
				Clock.fixed(Instant.now().minus(Duration.ofDays(1)), ZoneOffset.UTC))
			.mint(CapabilityGrant.of("worker-7", ScopeSet.parse(List.of("orders:*:*")), Duration.ofHours(1)))
			.token();
		JsonNode result = callTool("get_order", expired);
		assertThat(errorCode(result)).isEqualTo("unauthenticated");
		assertThat(result.get("structuredContent").get("message").asString()).isEqualTo("The capability token has expired.");
		assertThat(errorCode(callTool("get_order", "garbage"))).isEqualTo("unauthenticated");
		assertThat(errorCode(callTool("get_order", 42))).isEqualTo("unauthenticated");
		assertThat(this.seenCaller.get()).isNull();
		// A refused token never falls back to the process's caller.
		assertThat(this.processCallerAsked).isEmpty();
	}

}
