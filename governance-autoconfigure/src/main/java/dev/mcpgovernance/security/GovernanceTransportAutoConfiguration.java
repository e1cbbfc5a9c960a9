package dev.mcpgovernance.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.identity.CallerIdentityContextExtractor;
import io.modelcontextprotocol.json.jackson.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.transport.WebMvcSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.WebMvcStatelessServerTransport;
import io.modelcontextprotocol.server.transport.WebMvcStreamableServerTransportProvider;

import org.springframework.ai.mcp.server.autoconfigure.McpServerSseWebMvcAutoConfiguration;
import org.springframework.ai.mcp.server.autoconfigure.McpServerStatelessWebMvcAutoConfiguration;
import org.springframework.ai.mcp.server.autoconfigure.McpServerStreamableHttpWebMvcAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerObjectMapperAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerStatelessAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerStdioDisabledCondition;
import org.springframework.ai.mcp.server.common.autoconfigure.properties.McpServerSseProperties;
import org.springframework.ai.mcp.server.common.autoconfigure.properties.McpServerStreamableHttpProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Spring AI's WebMVC transports, built with a context extractor that carries the verified caller
 * into every MCP request, and their routes (Spring AI's SSE configuration backs off entirely once a
 * transport exists). Spring AI's own transport beans back off because these exist; a user who
 * defines a transport bean must add {@link CallerIdentityContextExtractor} to it, or every governed
 * tool refuses the call (fail closed).
 */
@AutoConfiguration(after = McpServerObjectMapperAutoConfiguration.class,
		before = { McpServerStreamableHttpWebMvcAutoConfiguration.class, McpServerStatelessWebMvcAutoConfiguration.class,
				McpServerSseWebMvcAutoConfiguration.class })
@ConditionalOnClass(WebMvcStreamableServerTransportProvider.class)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
public class GovernanceTransportAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public CallerIdentityContextExtractor callerIdentityContextExtractor() {
		return new CallerIdentityContextExtractor();
	}

	@Configuration(proxyBeanMethods = false)
	@Conditional({ McpServerStdioDisabledCondition.class, McpServerAutoConfiguration.EnabledStreamableServerCondition.class })
	@EnableConfigurationProperties(McpServerStreamableHttpProperties.class)
	static class StreamableTransportConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WebMvcStreamableServerTransportProvider webMvcStreamableServerTransportProvider(
				@Qualifier("mcpServerObjectMapper") ObjectMapper objectMapper, McpServerStreamableHttpProperties properties,
				CallerIdentityContextExtractor contextExtractor) {
			return WebMvcStreamableServerTransportProvider.builder()
				.jsonMapper(new JacksonMcpJsonMapper(objectMapper))
				.mcpEndpoint(properties.getMcpEndpoint())
				.keepAliveInterval(properties.getKeepAliveInterval())
				.disallowDelete(properties.isDisallowDelete())
				.contextExtractor(contextExtractor)
				.build();
		}

		@Bean
		@ConditionalOnMissingBean(name = "webMvcStreamableServerRouterFunction")
		RouterFunction<ServerResponse> webMvcStreamableServerRouterFunction(WebMvcStreamableServerTransportProvider transport) {
			return transport.getRouterFunction();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional({ McpServerStdioDisabledCondition.class,
			McpServerStatelessAutoConfiguration.EnabledStatelessServerCondition.class })
	@EnableConfigurationProperties(McpServerStreamableHttpProperties.class)
	static class StatelessTransportConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WebMvcStatelessServerTransport webMvcStatelessServerTransport(
				@Qualifier("mcpServerObjectMapper") ObjectMapper objectMapper, McpServerStreamableHttpProperties properties,
				CallerIdentityContextExtractor contextExtractor) {
			return WebMvcStatelessServerTransport.builder()
				.jsonMapper(new JacksonMcpJsonMapper(objectMapper))
				.messageEndpoint(properties.getMcpEndpoint())
				.contextExtractor(contextExtractor)
				.build();
		}

		@Bean
		@ConditionalOnMissingBean(name = "webMvcStatelessServerRouterFunction")
		RouterFunction<ServerResponse> webMvcStatelessServerRouterFunction(WebMvcStatelessServerTransport transport) {
			return transport.getRouterFunction();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional({ McpServerStdioDisabledCondition.class, McpServerAutoConfiguration.EnabledSseServerCondition.class })
	@EnableConfigurationProperties(McpServerSseProperties.class)
	static class SseTransportConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WebMvcSseServerTransportProvider webMvcSseServerTransportProvider(
				@Qualifier("mcpServerObjectMapper") ObjectMapper objectMapper, McpServerSseProperties properties,
				CallerIdentityContextExtractor contextExtractor) {
			return WebMvcSseServerTransportProvider.builder()
				.jsonMapper(new JacksonMcpJsonMapper(objectMapper))
				.baseUrl(properties.getBaseUrl())
				.sseEndpoint(properties.getSseEndpoint())
				.messageEndpoint(properties.getSseMessageEndpoint())
				.keepAliveInterval(properties.getKeepAliveInterval())
				.contextExtractor(contextExtractor)
				.build();
		}

		@Bean
		@ConditionalOnMissingBean(name = "webMvcSseServerRouterFunction")
		RouterFunction<ServerResponse> webMvcSseServerRouterFunction(WebMvcSseServerTransportProvider transport) {
			return transport.getRouterFunction();
		}

	}

}
