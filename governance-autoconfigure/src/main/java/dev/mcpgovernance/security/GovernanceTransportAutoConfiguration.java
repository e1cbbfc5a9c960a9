package dev.mcpgovernance.security;

import java.time.Duration;

import tools.jackson.databind.json.JsonMapper;
import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.identity.CallerIdentityContextExtractor;
import dev.mcpgovernance.session.GovernanceSessionProperties;
import dev.mcpgovernance.session.StreamableSessions;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcSseServerTransportProvider;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStatelessServerTransport;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStreamableServerTransportProvider;

import org.springframework.ai.mcp.server.webmvc.autoconfigure.McpServerSseWebMvcAutoConfiguration;
import org.springframework.ai.mcp.server.webmvc.autoconfigure.McpServerStatelessWebMvcAutoConfiguration;
import org.springframework.ai.mcp.server.webmvc.autoconfigure.McpServerStreamableHttpWebMvcAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerJsonMapperAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerStatelessAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerStdioDisabledCondition;
import org.springframework.ai.mcp.server.common.autoconfigure.properties.McpServerSseProperties;
import org.springframework.ai.mcp.server.common.autoconfigure.properties.McpServerStreamableHttpProperties;
import org.springframework.beans.factory.ObjectProvider;
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
 * transport exists), whose refusals go out as JSON-RPC errors, not as serialized exceptions. Spring
 * AI's own transport beans back off because these exist; a user who defines a transport bean must add
 * {@link CallerIdentityContextExtractor} to it, or every governed tool refuses the call (fail closed).
 */
@AutoConfiguration(after = McpServerJsonMapperAutoConfiguration.class,
		before = { McpServerStreamableHttpWebMvcAutoConfiguration.class, McpServerStatelessWebMvcAutoConfiguration.class,
				McpServerSseWebMvcAutoConfiguration.class })
@ConditionalOnClass(WebMvcStreamableServerTransportProvider.class)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
public class GovernanceTransportAutoConfiguration {

	/** How many times max-total the streamable transport may hold, ended sessions awaiting eviction included. */
	static final long TRANSPORT_CAP_FACTOR = 4;

	@Bean
	@ConditionalOnMissingBean
	public CallerIdentityContextExtractor callerIdentityContextExtractor() {
		return new CallerIdentityContextExtractor();
	}

	@Configuration(proxyBeanMethods = false)
	@Conditional({ McpServerStdioDisabledCondition.class, McpServerAutoConfiguration.EnabledStreamableServerCondition.class })
	@EnableConfigurationProperties({ McpServerStreamableHttpProperties.class, GovernanceSessionProperties.class })
	static class StreamableTransportConfiguration {

		/** The transport built here, whose requests the starter may answer itself; not an application's own. */
		private WebMvcStreamableServerTransportProvider built;

		@Bean
		@ConditionalOnMissingBean
		StreamableSessions streamableSessions(GovernanceSessionProperties sessions) {
			return new StreamableSessions(sessions.getIdleTimeout());
		}

		// The transport's own idle eviction and session cap follow the governance session limits, so
		// that a session the registry ends does not outlive it in the transport by more than one idle period.
		@Bean
		@ConditionalOnMissingBean
		WebMvcStreamableServerTransportProvider webMvcStreamableServerTransportProvider(
				@Qualifier("mcpServerJsonMapper") JsonMapper objectMapper, McpServerStreamableHttpProperties properties,
				GovernanceSessionProperties sessions, CallerIdentityContextExtractor contextExtractor) {
			Duration keepAlive = properties.getKeepAliveInterval();
			if (keepAlive != null && sessions.getIdleTimeout().compareTo(keepAlive) <= 0) {
				throw new GovernanceConfigurationException(GovernanceSessionProperties.PREFIX + ".idle-timeout ("
						+ sessions.getIdleTimeout() + ") is not longer than the keep-alive interval (" + keepAlive
						+ "): a client answering every ping would still lose its session.",
						"Set " + GovernanceSessionProperties.PREFIX
								+ ".idle-timeout longer than spring.ai.mcp.server.streamable-http.keep-alive-interval, or shorten the interval.");
			}
			this.built = WebMvcStreamableServerTransportProvider.builder()
				.jsonMapper(new ParsedBodyJsonMapper(objectMapper))
				.mcpEndpoint(properties.getMcpEndpoint())
				.keepAliveInterval(properties.getKeepAliveInterval())
				.disallowDelete(properties.isDisallowDelete())
				// Longer than the sessions' own by the interval at which a session's requests the starter
				// answers itself still reach the transport (StreamableSessions), so that the transport never
				// evicts a session in use; the registry ends an idle one after exactly the idle timeout.
				.sessionIdleTimeout(StreamableSessions.transportIdleTimeout(sessions.getIdleTimeout()))
				// The registry enforces max-total and answers the refusal; sessions it has ended stay in the
				// transport's map until the transport's own idle eviction (up to two idle periods), so the
				// transport's cap only guards against a registry that stopped counting.
				.maxSessions(TRANSPORT_CAP_FACTOR * sessions.getMaxTotal())
				.contextExtractor(contextExtractor)
				.build();
			return this.built;
		}

		// A transport bean of the application's own may put more into the transport context than the
		// caller, so only the starter's own transport has its requests answered on their own thread.
		@Bean
		@ConditionalOnMissingBean(name = "webMvcStreamableServerRouterFunction")
		RouterFunction<ServerResponse> webMvcStreamableServerRouterFunction(WebMvcStreamableServerTransportProvider transport,
				ObjectProvider<StreamableSessions> sessions, @Qualifier("mcpServerJsonMapper") JsonMapper objectMapper,
				CallerIdentityContextExtractor contextExtractor) {
			RouterFunction<ServerResponse> routes = transport.getRouterFunction().filter(new McpErrorResponseFilter());
			StreamableSessions answerable = sessions.getIfAvailable();
			if (transport != this.built || answerable == null) {
				return routes;
			}
			return routes.filter(new InlineRequestAnswers(answerable, new ParsedBodyJsonMapper(objectMapper), contextExtractor));
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
				@Qualifier("mcpServerJsonMapper") JsonMapper objectMapper, McpServerStreamableHttpProperties properties,
				CallerIdentityContextExtractor contextExtractor) {
			return WebMvcStatelessServerTransport.builder()
				.jsonMapper(new ParsedBodyJsonMapper(objectMapper))
				.messageEndpoint(properties.getMcpEndpoint())
				.contextExtractor(contextExtractor)
				.build();
		}

		@Bean
		@ConditionalOnMissingBean(name = "webMvcStatelessServerRouterFunction")
		RouterFunction<ServerResponse> webMvcStatelessServerRouterFunction(WebMvcStatelessServerTransport transport) {
			return transport.getRouterFunction().filter(new McpErrorResponseFilter());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional({ McpServerStdioDisabledCondition.class, McpServerAutoConfiguration.EnabledSseServerCondition.class })
	@EnableConfigurationProperties(McpServerSseProperties.class)
	static class SseTransportConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WebMvcSseServerTransportProvider webMvcSseServerTransportProvider(
				@Qualifier("mcpServerJsonMapper") JsonMapper objectMapper, McpServerSseProperties properties,
				CallerIdentityContextExtractor contextExtractor) {
			return WebMvcSseServerTransportProvider.builder()
				.jsonMapper(new ParsedBodyJsonMapper(objectMapper))
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
			return transport.getRouterFunction().filter(new McpErrorResponseFilter());
		}

	}

}
