package dev.mcpgovernance.security;

import dev.mcpgovernance.GovernanceProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * Leaves the application's other paths as they were before the starter brought Spring Security onto
 * the class path. Without it, an application with no security of its own would get Spring Boot's
 * default chain (a login on every path, Actuator included) only because the starter protects its MCP
 * endpoints. Where the application shows no sign of security of its own (no filter chain, no user
 * store, no {@code spring.security.user.*} or resource-server properties), it registers a chain
 * without filters for every path the starter's chains do not cover, ahead of Spring Boot's default
 * chains, which then back off; an application with security of its own keeps it, as before.
 */
@AutoConfiguration(beforeName = {
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SecurityFilterChain.class)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(prefix = GovernanceSecurityProperties.PREFIX, name = "leave-other-paths",
		matchIfMissing = true)
@Conditional(GovernanceOtherPathsAutoConfiguration.NoSecurityOfItsOwn.class)
public class GovernanceOtherPathsAutoConfiguration {

	/** Name of the chain that leaves the application's other paths alone. */
	public static final String CHAIN_NAME = "mcpGovernanceOtherPathsFilterChain";

	/**
	 * Matches every request, so it must come last: the starter's own chains (MCP endpoints, well-known
	 * documents, admin API) are ordered ahead of it.
	 */
	@Bean(name = CHAIN_NAME)
	@Order(Ordered.LOWEST_PRECEDENCE)
	@ConditionalOnMissingBean(name = CHAIN_NAME)
	SecurityFilterChain mcpGovernanceOtherPathsFilterChain() {
		return new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE);
	}

	/** Any sign that the application secures its paths itself. */
	static class NoSecurityOfItsOwn extends NoneNestedConditions {

		NoSecurityOfItsOwn() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBean(SecurityFilterChain.class)
		static class FilterChain {

		}

		@ConditionalOnBean(type = "org.springframework.security.core.userdetails.UserDetailsService")
		static class UserStore {

		}

		@ConditionalOnBean(type = "org.springframework.security.authentication.AuthenticationManager")
		static class AuthenticationManager {

		}

		@ConditionalOnBean(type = "org.springframework.security.oauth2.jwt.JwtDecoder")
		static class JwtDecoder {

		}

		@ConditionalOnProperty(prefix = "spring.security.user", name = "name")
		static class UserName {

		}

		@ConditionalOnProperty(prefix = "spring.security.user", name = "password")
		static class UserPassword {

		}

		@ConditionalOnProperty(prefix = "spring.security.oauth2.resourceserver.jwt", name = "issuer-uri")
		static class ResourceServerIssuer {

		}

		@ConditionalOnProperty(prefix = "spring.security.oauth2.resourceserver.jwt", name = "jwk-set-uri")
		static class ResourceServerJwkSet {

		}

		@ConditionalOnProperty(prefix = "spring.security.oauth2.resourceserver.jwt", name = "public-key-location")
		static class ResourceServerPublicKey {

		}

		@ConditionalOnProperty(prefix = "spring.security.oauth2.resourceserver.opaquetoken", name = "introspection-uri")
		static class ResourceServerIntrospection {

		}

	}

}
