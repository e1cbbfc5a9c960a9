package dev.mcpgovernance.it;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The MCP TypeScript SDK v2 client (npm {@code @modelcontextprotocol/client}, not a Java client) against
 * a governed STREAMABLE server, with {@code versionNegotiation: { mode: 'auto' }}: it probes the
 * 2026-07-28 era with {@code server/discover} first, which this server does not speak, and must fall
 * back to the 2025 {@code initialize} handshake on 2025-11-25. The probe is also replayed with a raw
 * HTTP client, because what a newer client's first request gets back (no 5xx, nothing Java, a finished
 * answer) decides whether it falls back or gives up. The script in {@code src/test/node/ts-client} is
 * installed into {@code target/} from its lock file; skipped, with the reason, where Node.js 20+ or npm
 * is missing or the package cannot be installed.
 */
@ExtendWith(TypeScriptClientIntegrationTests.InstalledClient.class)
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:ts-client-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class TypeScriptClientIntegrationTests {

	/** The client pinned in package.json and package-lock.json; named here for the skip messages. */
	private static final String PACKAGE = "@modelcontextprotocol/client@2.4.0";

	/** The first revision of the era the client probes for; this server speaks the 2025 revisions only. */
	private static final String MODERN_REVISION = "2026-07-28";

	/** The id the client gives its first probe; the replayed probe uses it too. */
	private static final String PROBE_ID = "server-discover-probe-1";

	/**
	 * The request the client sends first, as its {@code buildProbeRequest} builds it: a
	 * {@code server/discover} carrying the per-request {@code _meta} envelope of the modern era.
	 */
	private static final String PROBE = """
			{"jsonrpc":"2.0","id":"%s","method":"server/discover","params":{"_meta":{\
			"io.modelcontextprotocol/protocolVersion":"%s",\
			"io.modelcontextprotocol/clientInfo":{"name":"governance-ts-client-it","version":"1.0.0"},\
			"io.modelcontextprotocol/clientCapabilities":{}}}}""".formatted(PROBE_ID, MODERN_REVISION);

	private static final Path SOURCE = Path.of("src", "test", "node", "ts-client");

	private static final Path INSTALLED = Path.of("target", "ts-client");

	/** A first install downloads 13 small packages; later ones come from npm's cache in seconds. */
	private static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(180);

	/** Connect, list and call take about a second; the client's own request timeout is 10 s. */
	private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

	/** A server answer is finished well within this; an SSE stream left open would exceed it. */
	private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	/**
	 * Installs the client before the server starts, once; where it cannot, the whole class is skipped
	 * with the reason. A condition rather than an assumption in {@code @BeforeAll}, because Surefire
	 * reports a disabled class with its reason but drops an aborted class's message.
	 */
	static final class InstalledClient implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			if (context.getTestMethod().isPresent()) {
				return ConditionEvaluationResult.enabled("the client was installed for the class");
			}
			try {
				String problem = install();
				return (problem != null) ? ConditionEvaluationResult.disabled(problem)
						: ConditionEvaluationResult.enabled(PACKAGE + " is installed in " + INSTALLED);
			}
			catch (IOException ex) {
				return ConditionEvaluationResult.disabled("Could not install " + PACKAGE + ": " + ex.getMessage());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return ConditionEvaluationResult.disabled("Interrupted while installing " + PACKAGE);
			}
		}

		/** {@code null} once the client is installed, else why it is not. */
		private static String install() throws IOException, InterruptedException {
			String nodeVersion = output("node", "--version");
			if (nodeVersion == null) {
				return "node (Node.js) is not on the PATH: the TypeScript client test needs Node.js 20 or later";
			}
			if (majorVersion(nodeVersion) < 20) {
				return "Node.js " + nodeVersion + " is too old for " + PACKAGE + ", which needs Node.js 20 or later";
			}
			if (output("npm", "--version") == null) {
				return "npm is not on the PATH: the TypeScript client test installs " + PACKAGE + " with it";
			}
			Files.createDirectories(INSTALLED);
			for (String file : List.of("package.json", "package-lock.json", "client.mjs")) {
				Files.copy(SOURCE.resolve(file), INSTALLED.resolve(file), StandardCopyOption.REPLACE_EXISTING);
			}
			Path log = INSTALLED.resolve("npm-ci.log");
			Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
				.directory(INSTALLED.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.start();
			if (!npm.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				end(npm);
				return "npm ci did not install " + PACKAGE + " within " + INSTALL_TIMEOUT.toSeconds()
						+ " s (is the npm registry reachable?). Its output: " + tail(read(log));
			}
			if (npm.exitValue() != 0) {
				return "npm ci could not install " + PACKAGE + " (exit " + npm.exitValue()
						+ "; the registry may not be reachable here). Its output: " + tail(read(log));
			}
			return null;
		}

	}

	@Test
	void withAKeyTheClientFallsBackFromTheProbeTo20251125ListsAndCalls() throws Exception {
		JsonNode run = run(key("orders:order:read"), "get_order", Map.of("orderId", "o-1"));

		assertThat(run.path("error").isMissingNode()).as("the client's error: %s", run.path("error")).isTrue();
		assertThat(run.get("connected").asBoolean()).isTrue();
		assertThat(run.get("era").asString()).isEqualTo("legacy");
		assertThat(run.get("protocolVersion").asString()).isEqualTo("2025-11-25");
		assertThat(names(run.get("tools"))).contains("get_order").doesNotContain("cancel_order", "whoami");
		assertThat(run.at("/call/isError").asBoolean()).isFalse();
		assertThat(run.at("/call/content/0/text").asString()).contains("\"id\":\"o-1\"");

		List<JsonNode> exchanges = exchanges(run);
		JsonNode probe = exchanges.get(0);
		assertThat(probe.get("method").asString()).isEqualTo("POST");
		assertThat(probe.get("mcpMethod").asString()).isEqualTo("server/discover");
		assertThat(probe.get("protocolVersionHeader").asString()).isEqualTo(MODERN_REVISION);
		assertThat(JSON.readTree(probe.get("requestBody").asString())).as("the probe the raw replay sends")
			.isEqualTo(JSON.readTree(PROBE));
		assertThat(probe.get("status").asInt()).isEqualTo(400);
		JsonNode initialize = exchanges.get(1);
		assertThat(JSON.readTree(initialize.get("requestBody").asString()).get("method").asString())
			.isEqualTo("initialize");
		assertThat(initialize.get("status").asInt()).isEqualTo(200);
		assertEveryAnswerIsClean(exchanges);
	}

	@Test
	void aKeyWithoutTheToolsScopeGetsTheForbiddenToolError() throws Exception {
		JsonNode run = run(key("orders:order:read"), "cancel_order", Map.of("orderId", "o-1"));

		assertThat(run.get("protocolVersion").asString()).isEqualTo("2025-11-25");
		assertThat(run.at("/call/isError").asBoolean()).isTrue();
		assertThat(run.at("/call/structuredContent/error_code").asString()).isEqualTo("forbidden");
		assertThat(run.at("/call/structuredContent/details/required_scope").asString())
			.isEqualTo("orders:order:cancel");
		assertEveryAnswerIsClean(exchanges(run));
	}

	@Test
	void withoutAKeyTheClientGets401PointingToTheResourceMetadata() throws Exception {
		JsonNode run = run(null, "get_order", Map.of("orderId", "o-1"));

		assertThat(run.get("connected").asBoolean()).isFalse();
		assertThat(run.at("/error/status").asInt()).as("the client's error: %s", run.get("error")).isEqualTo(401);
		List<JsonNode> exchanges = exchanges(run);
		assertThat(exchanges).as("a 401 to the probe ends the connect").hasSize(1);
		JsonNode probe = exchanges.get(0);
		assertThat(probe.get("mcpMethod").asString()).isEqualTo("server/discover");
		assertThat(probe.get("status").asInt()).isEqualTo(401);
		assertThat(probe.get("wwwAuthenticate").asString()).startsWith("Bearer ").contains("resource_metadata=");
		assertThat(probe.get("resourceMetadata").asString())
			.isEqualTo("http://127.0.0.1:" + this.port + "/.well-known/oauth-protected-resource");
		assertEveryAnswerIsClean(exchanges);
	}

	@Test
	void theProbeGetsAFinishedAnswerWithNothingJavaInItWithOrWithoutAKey() throws Exception {
		HttpResponse<String> keyed = probe("X-API-Key", key("orders:order:read"));
		// A 4xx other than 401/403 with a JSON-RPC error for the probe's id: the client's "legacy" verdict.
		assertThat(keyed.statusCode()).as(keyed.body()).isEqualTo(400);
		JsonNode refusal = JSON.readTree(keyed.body());
		assertThat(refusal.get("jsonrpc").asString()).isEqualTo("2.0");
		assertThat(refusal.get("id").asString()).isEqualTo(PROBE_ID);
		assertThat(refusal.at("/error/code").isInt()).as(keyed.body()).isTrue();
		assertNothingJava(keyed.body());

		HttpResponse<String> anonymous = probe();
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("resource_metadata=");
		assertNothingJava(anonymous.body());
	}

	/**
	 * The probe as the client's streamable-HTTP transport posts it: with the body-derived
	 * {@code MCP-Protocol-Version} and {@code Mcp-Method} headers and no session. The whole answer must
	 * arrive in time; {@code HttpRequest.timeout} alone would only bound the headers.
	 */
	private HttpResponse<String> probe(String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/mcp"))
			.POST(HttpRequest.BodyPublishers.ofString(PROBE))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.header("MCP-Protocol-Version", MODERN_REVISION)
			.header("Mcp-Method", "server/discover");
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		try {
			return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
				.get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (TimeoutException ex) {
			return fail("The probe's answer did not finish within " + ANSWER_TIMEOUT.toSeconds()
					+ " s: an answer to server/discover must end, not stay open as a stream");
		}
	}

	/** Runs the client script and returns what it printed; the process is ended whatever happens. */
	private JsonNode run(String apiKey, String tool, Map<String, Object> arguments) throws Exception {
		Path out = Files.createTempFile(INSTALLED, "run-", ".json");
		Path err = INSTALLED.resolve(out.getFileName() + ".log");
		ProcessBuilder builder = new ProcessBuilder("node", "client.mjs").directory(INSTALLED.toFile())
			.redirectOutput(out.toFile())
			.redirectError(err.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		Map<String, String> environment = builder.environment();
		environment.put("MCP_URL", "http://127.0.0.1:" + this.port + "/mcp");
		environment.put("MCP_TOOL", tool);
		environment.put("MCP_ARGUMENTS", JSON.writeValueAsString(arguments));
		if (apiKey != null) {
			environment.put("MCP_API_KEY", apiKey);
		}
		Process node = builder.start();
		try {
			if (!node.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				fail("The TypeScript client did not finish within " + RUN_TIMEOUT.toSeconds() + " s. Its stderr: "
						+ tail(read(err)));
			}
		}
		finally {
			end(node);
		}
		String printed = Files.readString(out).strip();
		assertThat(printed).as("what the client printed (exit %d); its stderr: %s", node.exitValue(), tail(read(err)))
			.startsWith("{");
		return JSON.readTree(printed);
	}

	private String key(String... scopes) {
		return this.apiKeys.create("ts-client", null, ScopeSet.parse(List.of(scopes)), null, null).secret();
	}

	/** No 5xx and nothing Java in any answer the server gave the client. */
	private static void assertEveryAnswerIsClean(List<JsonNode> exchanges) {
		assertThat(exchanges).isNotEmpty();
		for (JsonNode exchange : exchanges) {
			assertThat(exchange.get("status").asInt()).as("%s", exchange).isLessThan(500);
			if (exchange.hasNonNull("body")) {
				assertNothingJava(exchange.get("body").asString());
			}
		}
	}

	private static void assertNothingJava(String body) {
		assertThat(body).doesNotContain("Exception", "stackTrace", "at org.", "at java.", "java.", "io.modelcontextprotocol.",
				"org.springframework.", "dev.mcpgovernance.");
	}

	private static List<JsonNode> exchanges(JsonNode run) {
		List<JsonNode> exchanges = new ArrayList<>();
		run.get("exchanges").forEach(exchanges::add);
		return exchanges;
	}

	private static List<String> names(JsonNode array) {
		List<String> names = new ArrayList<>();
		array.forEach((name) -> names.add(name.asString()));
		return names;
	}

	/** The first line a command prints, or {@code null} when it cannot run. */
	private static String output(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			try {
				if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
					return null;
				}
				return new String(process.getInputStream().readAllBytes()).strip();
			}
			finally {
				end(process);
			}
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/** 20 for "v20.11.1"; 0 for anything unreadable, which the caller treats as too old. */
	private static int majorVersion(String nodeVersion) {
		String digits = nodeVersion.replaceFirst("^v", "").split("\\.")[0];
		return digits.matches("\\d+") ? Integer.parseInt(digits) : 0;
	}

	/** npm runs a shell and node: every one of them is ended, children first. */
	private static void end(Process process) {
		process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			return "(unreadable: " + ex.getMessage() + ")";
		}
	}

	private static String tail(String output) {
		return (output.length() > 800) ? output.substring(output.length() - 800) : output;
	}

}
