package dev.mcpgovernance.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.resource.ResourceErrors;
import dev.mcpgovernance.resource.ResourceTestApplication;
import dev.mcpgovernance.scope.ScopeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Governed resources and prompts through the MCP TypeScript SDK v2 client (npm
 * {@code @modelcontextprotocol/client}, installed as for {@link TypeScriptClientIntegrationTests},
 * skipped with the reason without Node.js 20+ or the package): a reader lists, reads, gets,
 * completes and subscribes; a caller without the scope is shown nothing and each of these is refused
 * with the JSON-RPC error naming the scope; the audit trail holds one row per read, get, completion
 * and subscription.
 */
@ExtendWith(TypeScriptClientIntegrationTests.InstalledClient.class)
@SpringBootTest(classes = ResourceTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:ts-resources-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.audit.flush-interval=50ms",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class TypeScriptResourceClientIntegrationTests {

	private static final Path INSTALLED = Path.of("target", "ts-client");

	private static final ObjectMapper JSON = new ObjectMapper();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aReaderListsReadsGetsCompletesAndSubscribes() throws Exception {
		JsonNode run = run(key("ts-reader", "orders:order:read"));

		assertThat(run.get("connected").asBoolean()).as("%s", run).isTrue();
		JsonNode steps = run.get("steps");
		assertThat(steps.at("/templates/ok/0").asString()).isEqualTo("orders://{orderId}");
		assertThat(steps.at("/prompts/ok/0").asString()).isEqualTo("summarize_order");
		assertThat(steps.at("/read/ok/0").asString()).contains("\"orderId\":\"o-3\"").doesNotContain("hunter2");
		assertThat(steps.at("/get/ok/0").asString()).isEqualTo("Summarize order o-8.");
		assertThat(steps.at("/complete/ok/0").asString()).isEqualTo("o-7");
		assertThat(steps.path("subscribe").has("ok")).as("%s", steps.get("subscribe")).isTrue();
		assertThat(rows("ts-reader", 4)).containsExactly("resources/read orders://{orderId}|ok",
				"prompts/get summarize_order|ok", "completion/complete orders://{orderId}|ok",
				"resources/subscribe orders://{orderId}|ok");
	}

	@Test
	void aCallerWithoutTheScopeIsShownNothingAndRefusedEachRequest() throws Exception {
		JsonNode run = run(key("ts-stranger", "inventory:item:read"));

		assertThat(run.get("connected").asBoolean()).as("%s", run).isTrue();
		JsonNode steps = run.get("steps");
		assertThat(steps.at("/templates/ok").isEmpty()).isTrue();
		assertThat(steps.at("/prompts/ok").isEmpty()).isTrue();
		for (String refused : List.of("read", "get", "complete", "subscribe")) {
			JsonNode error = steps.at("/" + refused + "/error");
			assertThat(error.get("code").asInt()).as("%s: %s", refused, error).isEqualTo(ResourceErrors.REFUSED);
			assertThat(error.get("message").asString()).as(refused).contains("orders:order:read");
			assertThat(error.at("/data/details/required_scope").asString()).as(refused).isEqualTo("orders:order:read");
			assertThat(error.toString()).as(refused).doesNotContain("o-3", "o-8");
		}
		assertThat(rows("ts-stranger", 4)).containsExactly("resources/read orders://{orderId}|denied",
				"prompts/get summarize_order|denied", "completion/complete orders://{orderId}|denied",
				"resources/subscribe orders://{orderId}|denied");
	}

	private List<String> rows(String owner, int count) {
		String sql = "SELECT tool, outcome FROM mcp_governance_audit WHERE owner_id = ? ORDER BY occurred_at, id";
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc.sql(sql).param(owner).query().listOfRows().size() >= count);
		return this.jdbc.sql(sql)
			.param(owner)
			.query((row, index) -> row.getString(1) + "|" + row.getString(2))
			.list();
	}

	private String key(String owner, String... scopes) {
		return this.apiKeys.create(owner, null, ScopeSet.parse(List.of(scopes)), null, null).secret();
	}

	/** Runs the resources script beside the installed client and returns what it printed. */
	private JsonNode run(String apiKey) throws Exception {
		Files.copy(Path.of("src", "test", "node", "ts-client", "resources.mjs"), INSTALLED.resolve("resources.mjs"),
				StandardCopyOption.REPLACE_EXISTING);
		Path out = Files.createTempFile(INSTALLED, "resources-", ".json");
		Path err = INSTALLED.resolve(out.getFileName() + ".log");
		ProcessBuilder builder = new ProcessBuilder("node", "resources.mjs").directory(INSTALLED.toFile())
			.redirectOutput(out.toFile())
			.redirectError(err.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		builder.environment().put("MCP_URL", "http://127.0.0.1:" + this.port + "/mcp");
		builder.environment().put("MCP_API_KEY", apiKey);
		builder.environment().put("MCP_URI", "orders://o-3");
		builder.environment().put("MCP_PROMPT", "summarize_order");
		builder.environment().put("MCP_TEMPLATE", "orders://{orderId}");
		Process node = builder.start();
		try {
			if (!node.waitFor(60, TimeUnit.SECONDS)) {
				fail("The TypeScript client did not finish within 60 s. Its stderr: " + Files.readString(err));
			}
		}
		finally {
			node.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
			node.destroyForcibly();
		}
		String printed = Files.readString(out).strip();
		assertThat(printed).as("what the client printed; its stderr: %s", Files.readString(err)).startsWith("{");
		return JSON.readTree(printed);
	}

}
