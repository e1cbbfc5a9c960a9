package dev.mcpgovernance.resource;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;

import org.springframework.ai.mcp.customizer.McpSyncServerCustomizer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** A governed server with the {@link OrderResources}, offering resource subscriptions. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(OrderResources.class)
public class ResourceTestApplication {

	// Spring AI 2.0.1 declares resources without subscribe; an application that offers it says so here.
	@Bean
	McpSyncServerCustomizer subscriptions() {
		return (McpServer.SyncSpecification<?> server) -> server.capabilities(ServerCapabilities.builder()
			.tools(true)
			.resources(true, true)
			.prompts(true)
			.completions()
			.build());
	}

}
