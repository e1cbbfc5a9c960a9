package dev.mcpgovernance.it.oauth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.security.Principal;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenClaimsContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A real Spring Authorization Server on its own random port, in its own application context, with
 * a fresh RSA and EC key pair served from its JWKS endpoint. Tokens come from its token endpoint
 * (client credentials); the keys are exposed so that tests can forge the tokens an attacker would.
 */
public final class TestAuthorizationServer implements AutoCloseable {

	/** The audience every client's tokens carry, except {@link #ELSEWHERE_CLIENT}'s and {@link #GATEWAY_CLIENT}'s. */
	public static final String RESOURCE = "https://mcp.test/mcp";

	/** Its tokens carry the scopes asked for, an {@code aud} of RESOURCE, a {@code name} and {@code client_id}. */
	public static final String ORDERS_CLIENT = "orders-agent";

	/** Like ORDERS_CLIENT, but signed with the EC key (ES256). */
	public static final String EC_CLIENT = "ec-agent";

	/** Its tokens are minted for another server. */
	public static final String ELSEWHERE_CLIENT = "elsewhere-agent";

	/** A gateway's own service identity: its tokens carry an {@code aud} of {@link #UPSTREAM_RESOURCE}. */
	public static final String GATEWAY_CLIENT = "gateway-service";

	/** The audience of an upstream MCP server behind a gateway, itself a resource server. */
	public static final String UPSTREAM_RESOURCE = "https://upstream.test/mcp";

	/** The MCP server as a client: it may exchange a caller's token (RFC 8693) for {@link #DOWNSTREAM_SCOPE}. */
	public static final String EXCHANGE_CLIENT = "mcp-server";

	/** The scope a downstream API's exchanged tokens carry. */
	public static final String DOWNSTREAM_SCOPE = "pets.read";

	/** Like ORDERS_CLIENT, but its tokens are opaque (reference tokens), known only to the introspection endpoint. */
	public static final String OPAQUE_CLIENT = "opaque-agent";

	/** Like OPAQUE_CLIENT, but its tokens are minted for another server. */
	public static final String OPAQUE_ELSEWHERE_CLIENT = "opaque-elsewhere-agent";

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final ObjectMapper JSON = new ObjectMapper();

	private final RSAKey rsaKey;

	private final ECKey ecKey;

	private final ConfigurableApplicationContext context;

	private final String issuer;

	private final AtomicInteger tokenExchanges;

	private final AtomicInteger introspections;

	private TestAuthorizationServer(RSAKey rsaKey, ECKey ecKey, ConfigurableApplicationContext context,
			AtomicInteger tokenExchanges, AtomicInteger introspections) {
		this.tokenExchanges = tokenExchanges;
		this.introspections = introspections;
		this.rsaKey = rsaKey;
		this.ecKey = ecKey;
		this.context = context;
		this.issuer = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	public static TestAuthorizationServer start() {
		try {
			RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
			ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-" + UUID.randomUUID()).generate();
			JWKSet keys = new JWKSet(List.of(rsa, ec));
			AtomicInteger tokenExchanges = new AtomicInteger();
			AtomicInteger introspections = new AtomicInteger();
			ConfigurableApplicationContext context = new SpringApplicationBuilder(Server.class)
				.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
						"spring.jmx.enabled=false")
				.initializers((ctx) -> {
					ctx.getBeanFactory().registerSingleton("jwkSource", new ImmutableJWKSet<>(keys));
					ctx.getBeanFactory().registerSingleton("tokenExchanges", tokenExchanges);
					ctx.getBeanFactory().registerSingleton("introspections", introspections);
				})
				.run();
			return new TestAuthorizationServer(rsa, ec, context, tokenExchanges, introspections);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The issuer identifier: derived by the server from the request, as tokens from it carry. */
	public String issuer() {
		return this.issuer;
	}

	/** How many tokens this server has issued by token exchange. */
	public int tokenExchanges() {
		return this.tokenExchanges.get();
	}

	/** How many requests its introspection endpoint (RFC 7662) has had. */
	public int introspections() {
		return this.introspections.get();
	}

	/** Its introspection endpoint, which {@link #EXCHANGE_CLIENT} (the MCP server as a client) may call. */
	public String introspectionUri() {
		return this.issuer + "/oauth2/introspect";
	}

	/** Revokes a token (RFC 7009), as the client it was issued to. */
	public void revoke(String clientId, String token) throws Exception {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(this.issuer + "/oauth2/revoke"))
			.header("Authorization", "Basic " + basic(clientId))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("token=" + token))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("Revocation endpoint answered " + response.statusCode());
		}
	}

	private static String basic(String clientId) {
		return Base64.getEncoder().encodeToString((clientId + ":" + secretOf(clientId)).getBytes(StandardCharsets.UTF_8));
	}

	/** The client secret of a registered client. */
	public static String secretOf(String clientId) {
		return "secret-of-" + clientId;
	}

	public RSAKey rsaKey() {
		return this.rsaKey;
	}

	public ECKey ecKey() {
		return this.ecKey;
	}

	/** An access token from the token endpoint, client credentials grant, asking for the scopes given. */
	public String token(String clientId, String... scopes) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.issuer + "/oauth2/token"))
			.header("Authorization", "Basic " + basic(clientId))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString("grant_type=client_credentials&scope=" + String.join("%20", scopes)))
			.build();
		HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("Token endpoint answered " + response.statusCode() + ": " + response.body());
		}
		return JSON.readTree(response.body()).get("access_token").asString();
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@ImportAutoConfiguration({ TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
			WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class })
	static class Server {

		@Bean
		SecurityFilterChain authorizationServerChain(HttpSecurity http) throws Exception {
			OAuth2AuthorizationServerConfigurer authorizationServer = new OAuth2AuthorizationServerConfigurer();
			http.securityMatcher(authorizationServer.getEndpointsMatcher())
				.with(authorizationServer, Customizer.withDefaults())
				.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.csrf((csrf) -> csrf.ignoringRequestMatchers(authorizationServer.getEndpointsMatcher()));
			return http.build();
		}

		@Bean
		RegisteredClientRepository registeredClients() {
			RegisteredClient exchange = RegisteredClient.withId(EXCHANGE_CLIENT)
				.clientId(EXCHANGE_CLIENT)
				.clientSecret("{noop}" + secretOf(EXCHANGE_CLIENT))
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.authorizationGrantType(AuthorizationGrantType.TOKEN_EXCHANGE)
				.scope(DOWNSTREAM_SCOPE)
				.build();
			return new InMemoryRegisteredClientRepository(client(ORDERS_CLIENT), client(EC_CLIENT),
					client(ELSEWHERE_CLIENT), client(GATEWAY_CLIENT), exchange, opaque(OPAQUE_CLIENT),
					opaque(OPAQUE_ELSEWHERE_CLIENT));
		}

		private static RegisteredClient opaque(String clientId) {
			return RegisteredClient.from(client(clientId))
				.tokenSettings(TokenSettings.builder().accessTokenFormat(OAuth2TokenFormat.REFERENCE).build())
				.build();
		}

		/** Counts the introspection endpoint's requests. */
		@Bean
		OncePerRequestFilter introspectionCounter(AtomicInteger introspections) {
			return new OncePerRequestFilter() {

				@Override
				protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
						FilterChain chain) throws ServletException, IOException {
					if (request.getRequestURI().endsWith("/oauth2/introspect")) {
						introspections.incrementAndGet();
					}
					chain.doFilter(request, response);
				}

			};
		}

		/** Opaque tokens carry the same claims as the JWTs: an audience, a name and the client id. */
		@Bean
		OAuth2TokenCustomizer<OAuth2TokenClaimsContext> opaqueTokenCustomizer() {
			return (context) -> {
				String clientId = context.getRegisteredClient().getClientId();
				context.getClaims()
					.audience(List.of(OPAQUE_ELSEWHERE_CLIENT.equals(clientId) ? "https://elsewhere.example/mcp" : RESOURCE))
					.claim("name", "Agent " + clientId)
					.claim("client_id", clientId);
			};
		}

		/**
		 * Spring Authorization Server exchanges (RFC 8693) only tokens whose authorization records a
		 * principal, as a user's token from the authorization-code flow does; its client-credentials
		 * tokens do not. This records the client as the principal, so the tests' client-credentials
		 * tokens stand in for a user's.
		 */
		@Bean
		OAuth2AuthorizationService authorizationService() {
			InMemoryOAuth2AuthorizationService delegate = new InMemoryOAuth2AuthorizationService();
			return new OAuth2AuthorizationService() {

				@Override
				public void save(OAuth2Authorization authorization) {
					if (authorization.getAttribute(Principal.class.getName()) == null) {
						authorization = OAuth2Authorization.from(authorization)
							.attribute(Principal.class.getName(), UsernamePasswordAuthenticationToken
								.authenticated(authorization.getPrincipalName(), null, List.of()))
							.build();
					}
					delegate.save(authorization);
				}

				@Override
				public void remove(OAuth2Authorization authorization) {
					delegate.remove(authorization);
				}

				@Override
				public OAuth2Authorization findById(String id) {
					return delegate.findById(id);
				}

				@Override
				public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
					return delegate.findByToken(token, tokenType);
				}

			};
		}

		@Bean
		AuthorizationServerSettings authorizationServerSettings() {
			return AuthorizationServerSettings.builder().build();
		}

		@Bean
		OAuth2TokenCustomizer<JwtEncodingContext> accessTokenCustomizer(AtomicInteger tokenExchanges) {
			return (context) -> {
				if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
					return;
				}
				if (context.getAuthorizationGrant() instanceof OAuth2TokenExchangeAuthenticationToken exchange) {
					// An exchanged token is for the downstream audience asked for, on the subject's behalf.
					tokenExchanges.incrementAndGet();
					context.getClaims().audience(List.copyOf(exchange.getAudiences()));
					return;
				}
				String clientId = context.getRegisteredClient().getClientId();
				context.getClaims()
					.audience(List.of(switch (clientId) {
						case ELSEWHERE_CLIENT -> "https://elsewhere.example/mcp";
						case GATEWAY_CLIENT -> UPSTREAM_RESOURCE;
						default -> RESOURCE;
					}))
					.claim("name", "Agent " + clientId)
					// RFC 9068 names the client; the server's own client-credentials tokens do not.
					.claim("client_id", clientId);
				if (EC_CLIENT.equals(clientId)) {
					context.getJwsHeader().algorithm(SignatureAlgorithm.ES256);
				}
			};
		}

		private static RegisteredClient client(String clientId) {
			return RegisteredClient.withId(clientId)
				.clientId(clientId)
				.clientSecret("{noop}" + secretOf(clientId))
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
				.scopes((scopes) -> scopes.addAll(List.of("orders:order:read", "orders:order:cancel", "inventory:item:read",
						"petstore:pet:read", "tickets:ticket:open", "profile")))
				.build();
		}

	}

}
