package dev.mcpgovernance.connector.openapi;

import java.util.Map;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.GovernanceProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * OpenAPI connectors configured without swagger-parser on the class path: the starter no longer
 * brings it, so rather than starting without the connectors' tools, start-up stops and says what to add.
 */
@AutoConfiguration
@ConditionalOnMissingClass("io.swagger.v3.parser.OpenAPIV3Parser")
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@Conditional(SwaggerParserMissingAutoConfiguration.ConnectorsConfiguredCondition.class)
public class SwaggerParserMissingAutoConfiguration {

	private static final String CONNECTORS = OpenApiConnectorProperties.PREFIX + ".connectors";

	@Bean
	@ConditionalOnMissingBean(name = "openApiConnectors")
	Object openApiConnectors() {
		throw new GovernanceConfigurationException(
				"OpenAPI connectors are configured (" + CONNECTORS + ".*), but swagger-parser is not on the class path.",
				"Add io.swagger.parser.v3:swagger-parser-v3 to the application's dependencies, or remove the connectors.");
	}

	/** At least one connector is configured. */
	static class ConnectorsConfiguredCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Binder binder = Binder.get(context.getEnvironment());
			boolean configured = configured(binder, CONNECTORS)
					|| configured(binder, OpenApiConnectorProperties.MOVED_CONNECTORS);
			return configured ? ConditionOutcome.match("OpenAPI connectors are configured")
					: ConditionOutcome.noMatch("no OpenAPI connector is configured");
		}

		private static boolean configured(Binder binder, String key) {
			return binder.bind(key, Bindable.mapOf(String.class, Object.class))
				.map(Map::isEmpty)
				.map((empty) -> !empty)
				.orElse(false);
		}

	}

}
