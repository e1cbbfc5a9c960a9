package dev.mcpgovernance.discovery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.mcpgovernance.Exposure;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.ProcessCallerSource;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.resource.CallerResourceView;
import dev.mcpgovernance.resource.GovernedResourceRegistrar;
import dev.mcpgovernance.resource.GovernedResourceRegistry;
import dev.mcpgovernance.resource.ResourceGovernor;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.session.McpSessionListener;
import dev.mcpgovernance.tool.GovernedToolRegistrar;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.ToolCallGovernor;
import dev.mcpgovernance.tool.ToolCallLimiter;
import dev.mcpgovernance.tool.ToolCallObserver;
import dev.mcpgovernance.tool.ToolErrorClassifier;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On STDIO the one session's caller is the process's (its API key): a real MCP server on the STDIO
 * transport (over pipes) behind the caller-scoped decorator tells the client of a resource list
 * change only when the process's caller may read what changed.
 */
@Timeout(30)
class StdioListChangedTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

	private McpSyncServer server;

	private OutputStream toServer;

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.closeGracefully();
		}
	}

	@Test
	void theProcessCallerIsToldOnlyOfChangesToWhatItMayRead() throws Exception {
		start(new CallerIdentity("stdio-key", "stdio-owner", null, ScopeSet.parse(List.of("inventory:item:read")), null,
				Transport.STDIO));
		addResource("live://shared");
		assertThat(nextListChanged()).as("told of a resource it may read").isTrue();
		addResource("live://secret");
		addResource("live://shared-again");
		assertThat(nextListChanged()).as("told of the second resource it may read").isTrue();
		// The stream is ordered: a notification of the secret resource would have come before.
		assertThat(nextListChanged()).as("no third notification").isFalse();
	}

	@Test
	void withoutAProcessCallerNothingIsTold() throws Exception {
		start(null);
		addResource("live://shared");
		assertThat(nextListChanged()).isFalse();
	}

	private void start(CallerIdentity processCaller) throws Exception {
		PipedOutputStream clientOut = new PipedOutputStream();
		PipedInputStream serverIn = new PipedInputStream(clientOut, 1 << 16);
		PipedOutputStream serverOut = new PipedOutputStream();
		BufferedReader fromServer = new BufferedReader(
				new InputStreamReader(new PipedInputStream(serverOut, 1 << 16), StandardCharsets.UTF_8));
		this.toServer = clientOut;
		Thread reader = new Thread(() -> {
			try {
				String line;
				while ((line = fromServer.readLine()) != null) {
					this.lines.add(line);
				}
			}
			catch (IOException ex) {
				// The server's side closed: the test is over.
			}
		}, "stdio-list-changed-reader");
		reader.setDaemon(true);
		reader.start();

		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("processCaller", (ProcessCallerSource) () -> Optional.ofNullable(processCaller));
		GovernedToolRegistry tools = new GovernedToolRegistry(new GovernedToolRegistrar(), "test");
		tools.afterSingletonsInstantiated();
		ToolCallGovernor toolGovernor = new ToolCallGovernor(tools, new ToolErrorClassifier(), Exposure.DENY_UNGOVERNED,
				ToolCallLimiter.NONE, null, List.of(), ToolCallObserver.NONE, List.of());
		GovernedResourceRegistry resources = new GovernedResourceRegistry(new GovernedResourceRegistrar(), "test",
				Map.of("live://shared", "inventory:item:read", "live://shared-again", "inventory:item:read",
						"live://secret", "orders:secret:read"),
				Map.of());
		resources.afterSingletonsInstantiated();
		CallerResourceView resourceView = new CallerResourceView(new ResourceGovernor(resources,
				new ToolErrorClassifier(), Exposure.DENY_UNGOVERNED, ToolCallLimiter.NONE, null, List.of(),
				ToolCallObserver.NONE, List.of()));
		CallerToolView view = new CallerToolView(toolGovernor, DiscoveryMode.DIRECT, () -> "", () -> null,
				beans.getBeanProvider(ProcessCallerSource.class), resourceView);
		CallerScopedTransportProvider transport = CallerScopedTransportProvider.of(
				new StdioServerTransportProvider(McpJsonDefaults.getMapper(), serverIn, serverOut), view,
				new UnknownToolCalls(null, toolGovernor, view), McpSessionListener.NONE, null,
				new CallerListChanges(view, resourceView, beans.getBeanProvider(McpSyncServer.class)), null);
		this.server = McpServer.sync((io.modelcontextprotocol.spec.McpServerTransportProvider) transport)
			.capabilities(ServerCapabilities.builder().resources(false, true).build())
			.build();
		beans.addBean("server", this.server);
		send(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", Map.of("protocolVersion", "2025-06-18",
				"capabilities", Map.of(), "clientInfo", Map.of("name", "stdio-test", "version", "1"))));
		assertThat(this.lines.poll(10, TimeUnit.SECONDS)).as("answer to initialize").contains("\"id\":1");
		send(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
		// A first request of the session, so that what its caller is shown is known before any change.
		send(Map.of("jsonrpc", "2.0", "id", 2, "method", "resources/list", "params", Map.of()));
		assertThat(this.lines.poll(10, TimeUnit.SECONDS)).as("answer to resources/list").contains("\"id\":2");
	}

	private void addResource(String uri) {
		this.server.addResource(new SyncResourceSpecification(Resource.builder().uri(uri).name(uri).build(),
				(exchange, request) -> new ReadResourceResult(List.of())));
	}

	/** Whether a resource list change comes within a second. */
	private boolean nextListChanged() throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
		while (System.nanoTime() < deadline) {
			String line = this.lines.poll(100, TimeUnit.MILLISECONDS);
			if (line != null && JSON.readTree(line).path("method").asString("").equals("notifications/resources/list_changed")) {
				return true;
			}
		}
		return false;
	}

	private void send(Map<String, Object> message) throws Exception {
		this.toServer.write((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
		this.toServer.flush();
	}

}
