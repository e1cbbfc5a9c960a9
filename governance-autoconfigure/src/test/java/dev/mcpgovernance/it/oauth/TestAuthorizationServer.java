package dev.mcpgovernance.it.oauth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A real Spring Authorization Server on its own random port, in its own application context, with
 * a fresh RSA and EC key pair served from its JWKS endpoint. Tokens come from its token endpoint
 * (client credentials); the keys are exposed so that tests can forge the tokens an attacker would.
 */
public final class TestAuthorizationServer implements AutoCloseable {

	/** The audience every client's tokens carry, except {@link #ELSEWHERE_CLIENT}'s. */
	public static final String RESOURCE = "https://mcp.test/mcp";

	/** Its tokens carry the scopes asked for, an {@code aud} of RESOURCE, a {@code name} and {@code client_id}. */
	public static final String ORDERS_CLIENT = "orders-agent";

	/** Like ORDERS_CLIENT, but signed with the EC key (ES256). */
	public static final String EC_CLIENT = "ec-agent";

	/** Its tokens are minted for another server. */
	public static final String ELSEWHERE_CLIENT = "elsewhere-agent";

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final ObjectMapper JSON = new ObjectMapper();

	private final RSAKey rsaKey;

	private final ECKey ecKey;

	private final ConfigurableApplicationContext context;

	private final String issuer;

	private TestAuthorizationServer(RSAKey rsaKey, ECKey ecKey, ConfigurableApplicationContext context) {
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
			ConfigurableApplicationContext context = new SpringApplicationBuilder(Server.class)
				.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
						"spring.jmx.enabled=false")
				.initializers((ctx) -> ctx.getBeanFactory().registerSingleton("jwkSource", new ImmutableJWKSet<>(keys)))
				.run();
			return new TestAuthorizationServer(rsa, ec, context);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The issuer identifier: derived by the server from the request, as tokens from it carry. */
	public String issuer() {
		return this.issuer;
	}

	public RSAKey rsaKey() {
		return this.rsaKey;
	}

	public ECKey ecKey() {
		return this.ecKey;
	}

	/** An access token from the token endpoint, client credentials grant, asking for the scopes given. */
	public String token(String clientId, String... scopes) throws Exception {
		String basic = Base64.getEncoder()
			.encodeToString((clientId + ":" + secretOf(clientId)).getBytes(StandardCharsets.UTF_8));
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.issuer + "/oauth2/token"))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString("grant_type=client_credentials&scope=" + String.join("%20", scopes)))
			.build();
		HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("Token endpoint answered " + response.statusCode() + ": " + response.body());
		}
		return JSON.readTree(response.body()).get("access_token").asText();
	}

	private static String secretOf(String clientId) {
		return "secret-of-" + clientId;
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@ImportAutoConfiguration({ ServletWebServerFactoryAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
			WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class })
	static class Server {

		@Bean
		SecurityFilterChain authorizationServerChain(HttpSecurity http) throws Exception {
			OAuth2AuthorizationServerConfigurer authorizationServer = OAuth2AuthorizationServerConfigurer
				.authorizationServer();
			http.securityMatcher(authorizationServer.getEndpointsMatcher())
				.with(authorizationServer, Customizer.withDefaults())
				.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.csrf((csrf) -> csrf.ignoringRequestMatchers(authorizationServer.getEndpointsMatcher()));
			return http.build();
		}

		@Bean
		RegisteredClientRepository registeredClients() {
			return new InMemoryRegisteredClientRepository(client(ORDERS_CLIENT), client(EC_CLIENT),
					client(ELSEWHERE_CLIENT));
		}

		@Bean
		AuthorizationServerSettings authorizationServerSettings() {
			return AuthorizationServerSettings.builder().build();
		}

		@Bean
		OAuth2TokenCustomizer<JwtEncodingContext> accessTokenCustomizer() {
			return (context) -> {
				if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
					return;
				}
				String clientId = context.getRegisteredClient().getClientId();
				context.getClaims()
					.audience(List.of(ELSEWHERE_CLIENT.equals(clientId) ? "https://elsewhere.example/mcp" : RESOURCE))
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
						"profile")))
				.build();
		}

	}

}
