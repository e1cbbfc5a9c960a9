package dev.mcpgovernance.discovery;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.identity.ProcessCallerSource;
import dev.mcpgovernance.security.GovernanceTransportAutoConfiguration;
import dev.mcpgovernance.resource.CallerResourceView;
import dev.mcpgovernance.resource.GovernanceResourceAutoConfiguration;
import dev.mcpgovernance.resource.ResourceRequestGate;
import dev.mcpgovernance.session.McpSessionListener;
import dev.mcpgovernance.session.StreamableSessions;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.ToolCallGovernor;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpServerTransportProviderBase;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;

import org.springframework.ai.mcp.server.webmvc.autoconfigure.McpServerSseWebMvcAutoConfiguration;
import org.springframework.ai.mcp.server.webmvc.autoconfigure.McpServerStatelessWebMvcAutoConfiguration;
import org.springframework.ai.mcp.server.webmvc.autoconfigure.McpServerStreamableHttpWebMvcAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerStatelessAutoConfiguration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Per-caller tool listing (always) and progressive discovery (with
 * {@code mcp.governance.discovery.mode=progressive}). Spring AI's server takes its transport by
 * interface; a {@link Primary @Primary} decorator of whichever transport exists (the starter's, Spring
 * AI's STDIO one, or the application's) sits in front of it, so every answer passes through the
 * {@link CallerToolView}.
 */
@AutoConfiguration(after = { GovernanceToolAutoConfiguration.class, GovernanceResourceAutoConfiguration.class,
		GovernanceTransportAutoConfiguration.class,
		McpServerStreamableHttpWebMvcAutoConfiguration.class, McpServerStatelessWebMvcAutoConfiguration.class,
		McpServerSseWebMvcAutoConfiguration.class, McpServerAutoConfiguration.class,
		McpServerStatelessAutoConfiguration.class })
@ConditionalOnClass(McpServerFeatures.class)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(GovernanceDiscoveryProperties.class)
public class GovernanceDiscoveryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public ToolCatalog toolCatalog(ObjectProvider<List<McpServerFeatures.SyncToolSpecification>> statefulTools,
			ObjectProvider<List<McpStatelessServerFeatures.SyncToolSpecification>> statelessTools,
			GovernedToolRegistry registry, GovernanceProperties properties, ObjectProvider<DynamicToolSource> dynamic,
			ObjectProvider<McpSyncServer> server, ObjectProvider<McpStatelessSyncServer> statelessServer) {
		return new ToolCatalog(statefulTools, statelessTools, registry, properties.getExposure(), dynamic, server,
				statelessServer);
	}

	@Bean
	@ConditionalOnMissingBean
	public ToolDiscovery toolDiscovery(ToolCatalog catalog, ToolCallGovernor governor,
			GovernanceDiscoveryProperties properties) {
		return new ToolDiscovery(catalog, governor, properties.getMaxResults(), properties.getMaxSuggestions());
	}

	@Bean
	@ConditionalOnMissingBean
	public CallerToolView callerToolView(ToolCallGovernor governor, GovernanceDiscoveryProperties properties,
			ObjectProvider<ToolDiscovery> discovery, ObjectProvider<DynamicToolSource> dynamic,
			ObjectProvider<ProcessCallerSource> processCaller, ObjectProvider<CallerResourceView> resources) {
		// Both looked up on the first initialize (the gateway is created after this view), their text on each.
		Supplier<ToolDiscovery> toolDiscovery = SingletonSupplier.of(discovery::getObject);
		Supplier<List<DynamicToolSource>> sources = SingletonSupplier.of(() -> dynamic.orderedStream().toList());
		return new CallerToolView(governor, properties.getMode(), () -> toolDiscovery.get().instructions(),
				() -> sources.get()
					.stream()
					.map(DynamicToolSource::instructions)
					.filter(StringUtils::hasText)
					.collect(Collectors.joining("\n\n")),
				processCaller, resources.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	public UnknownToolCalls unknownToolCalls(ToolCatalog catalog, ToolCallGovernor governor, CallerToolView view) {
		return new UnknownToolCalls(catalog, governor, view);
	}

	// The decorated transport stays a bean of its own (its routes, its lifecycle): no second close here.
	@Bean(destroyMethod = "")
	@Primary
	@ConditionalOnBean(McpServerTransportProviderBase.class)
	@ConditionalOnMissingBean
	public CallerScopedTransportProvider callerScopedTransportProvider(ListableBeanFactory beans, CallerToolView view,
			UnknownToolCalls unknownTools, ObjectProvider<McpSessionListener> sessions,
			ObjectProvider<ResourceRequestGate> gate, ObjectProvider<CallerResourceView> resources,
			ObjectProvider<McpSyncServer> server, ObjectProvider<StreamableSessions> answerable) {
		return CallerScopedTransportProvider.of(single(beans, McpServerTransportProviderBase.class), view,
				unknownTools, sessions.getIfAvailable(() -> McpSessionListener.NONE), gate.getIfAvailable(),
				new CallerListChanges(view, resources.getIfAvailable(), server), answerable.getIfAvailable());
	}

	@Bean(destroyMethod = "")
	@Primary
	@ConditionalOnBean(McpStatelessServerTransport.class)
	@ConditionalOnMissingBean
	public CallerScopedStatelessTransport callerScopedStatelessTransport(ListableBeanFactory beans,
			CallerToolView view, UnknownToolCalls unknownTools, ObjectProvider<ResourceRequestGate> gate) {
		return new CallerScopedStatelessTransport(single(beans, McpStatelessServerTransport.class), view,
				unknownTools, gate.getIfAvailable());
	}

	@Bean
	@ConditionalOnProperty(prefix = GovernanceDiscoveryProperties.PREFIX, name = "mode", havingValue = "progressive")
	@ConditionalOnMissingBean
	public MetaTools metaTools(ToolDiscovery discovery, ToolCatalog catalog, CallerToolView view,
			ObjectProvider<McpSyncServer> server, ObjectProvider<McpStatelessSyncServer> statelessServer) {
		return new MetaTools(discovery, catalog, view, server, statelessServer);
	}

	/** The one transport bean that is not the decorator itself (by name, so the decorator is not created twice). */
	private static <T> T single(ListableBeanFactory beans, Class<T> type) {
		List<String> names = Arrays.stream(beans.getBeanNamesForType(type, false, false))
			.filter((name) -> !beans.isTypeMatch(name, CallerScopedTransportProvider.class)
					&& !beans.isTypeMatch(name, CallerScopedStatelessTransport.class))
			.toList();
		if (names.size() != 1) {
			throw new IllegalStateException("Expected one MCP transport bean of type " + type.getSimpleName()
					+ " to scope tool listings per caller, found " + names);
		}
		return beans.getBean(names.get(0), type);
	}

}
