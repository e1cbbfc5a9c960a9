package dev.mcpgovernance.gateway;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The reference MCP "everything" server (npm {@code @modelcontextprotocol/server-everything}, a
 * Node.js server from the MCP project, not a Spring one) governed as an upstream: a real MCP client
 * sees its tools under governance, calls {@code echo} and {@code get-sum} through the gateway, and
 * never sees {@code get-env} (which would hand out the server's environment), hidden by a denied
 * glob. Skipped, with the reason, where {@code npx} is missing or the package cannot be fetched;
 * start-up is bounded and the server's whole process tree is ended afterwards.
 */
class EverythingServerIntegrationTests {

	/** Pinned: it runs on Node.js 20 and serves streamable HTTP on /mcp at $PORT (default 3001). */
	static final String PACKAGE = "@modelcontextprotocol/server-everything@2026.8.31";

	/** The first run downloads the package (about 40 s here); later runs start from npm's cache in seconds. */
	private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

	private static Process everything;

	private static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void start() throws Exception {
		Assumptions.assumeTrue(npxAnswers(), "npx (Node.js) is not on the PATH: the everything-server test needs it");
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Path log = Files.createDirectories(Path.of("target", "everything-server")).resolve("npx-" + port + ".log");
		ProcessBuilder builder = new ProcessBuilder("npx", "-y", PACKAGE, "streamableHttp").redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		builder.environment().put("PORT", String.valueOf(port));
		everything = builder.start();
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (!accepts(port)) {
			if (!everything.isAlive()) {
				String output = Files.readString(log);
				stopEverything();
				Assumptions.abort("npx could not start " + PACKAGE + " (exit " + everything.exitValue()
						+ "; the package may not be fetchable here). Its output: " + tail(output));
			}
			if (System.nanoTime() > deadline) {
				stopEverything();
				Assumptions.abort(PACKAGE + " did not listen on port " + port + " within " + START_TIMEOUT.toSeconds()
						+ " s (fetching the package?). Its output: " + tail(Files.readString(log)));
			}
			Thread.sleep(200);
		}
		gateway = new SpringApplicationBuilder(GovernedTestApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"spring.ai.mcp.server.protocol=STREAMABLE",
					"spring.datasource.url=jdbc:h2:mem:everything-" + port + ";DB_CLOSE_DELAY=-1",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
					"mcp.governance.gateway.refresh-interval=1h",
					"mcp.governance.upstreams.everything.url=http://127.0.0.1:" + port + "/mcp",
					"mcp.governance.upstreams.everything.description=The MCP reference server",
					"mcp.governance.upstreams.everything.denied-tools=*-env",
					"mcp.governance.audit.journal-dir=target/audit-journal/everything-" + port)
			.run();
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
		stopEverything();
	}

	@Test
	void itsToolsAreListedGovernedAndCallableThroughTheGateway() {
		try (McpSyncClient client = client("everything:*:*")) {
			List<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
			assertThat(names).contains("echo", "get-sum").doesNotContain("get-env");

			CallToolResult echoed = call(client, "echo", Map.of("message", "hello through the gateway"));
			assertThat(echoed.isError()).as("isError, which this server leaves out on success").isNotEqualTo(Boolean.TRUE);
			assertThat(echoed.content().toString()).contains("Echo: hello through the gateway");

			CallToolResult sum = call(client, "get-sum", Map.of("a", 2, "b", 3));
			assertThat(sum.isError()).isNotEqualTo(Boolean.TRUE);
			assertThat(sum.content().toString()).contains("5");

			// Denied: not a tool of this server at all, so the MCP server itself refuses the call.
			assertThatExceptionOfType(McpError.class).isThrownBy(() -> call(client, "get-env", Map.of()))
				.withMessageContaining("Unknown tool");
		}
	}

	@Test
	void aCallerWithoutItsScopeSeesNoneOfItsToolsAndCannotCallThem() {
		try (McpSyncClient client = client("everything:echo:call")) {
			List<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
			assertThat(names).contains("echo").doesNotContain("get-sum", "get-env");
			CallToolResult refused = call(client, "get-sum", Map.of("a", 2, "b", 3));
			assertThat(refused.isError()).isTrue();
			assertThat(error(refused)).containsEntry("error_code", "forbidden");
		}
	}

	private static McpSyncClient client(String... scopes) {
		String key = gateway.getBean(ApiKeyManager.class)
			.create("everything-caller", null, ScopeSet.parse(List.of(scopes)), null, null)
			.secret();
		return McpTestClient.streamable(((WebServerApplicationContext) gateway).getWebServer().getPort(), "X-API-Key",
				key);
	}

	private static boolean npxAnswers() {
		try {
			Process version = new ProcessBuilder("npx", "--version").redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!version.waitFor(30, TimeUnit.SECONDS)) {
				version.destroyForcibly();
				return false;
			}
			return version.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** npx runs npm, which runs a shell, which runs node: every one of them is ended, children first. */
	private static void stopEverything() {
		Process process = everything;
		if (process == null) {
			return;
		}
		List<ProcessHandle> tree = process.toHandle().descendants().toList();
		tree.forEach(ProcessHandle::destroy);
		process.destroy();
		try {
			process.waitFor(5, TimeUnit.SECONDS);
			for (ProcessHandle handle : tree) {
				handle.onExit().get(5, TimeUnit.SECONDS);
			}
		}
		catch (Exception ex) {
			// Whatever is still running is ended by force below.
		}
		tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

	private static String tail(String output) {
		return (output.length() > 800) ? output.substring(output.length() - 800) : output;
	}

}
