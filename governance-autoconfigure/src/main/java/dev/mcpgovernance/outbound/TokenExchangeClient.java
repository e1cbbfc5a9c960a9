package dev.mcpgovernance.outbound;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolErrorException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * The RFC 8693 token exchange at the authorization server's token endpoint: this server
 * authenticates as its own client ({@code client_secret_basic}) and presents the caller's access
 * token as the subject, asking for a token for one audience. Neither token is ever logged.
 */
public class TokenExchangeClient {

	static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";

	static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

	private static final Log logger = LogFactory.getLog(TokenExchangeClient.class);

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	private final RestClient restClient;

	private final Clock clock;

	/**
	 * @param tokenUri the token endpoint
	 * @param clientId this server's client id at the authorization server
	 * @param clientSecret its secret
	 * @param timeout connect and read timeout
	 */
	public TokenExchangeClient(URI tokenUri, String clientId, String clientSecret, Duration timeout, Clock clock) {
		// Never follow a redirect: it would carry the caller's token to wherever it points.
		HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(http);
		requestFactory.setReadTimeout(timeout);
		this.restClient = RestClient.builder()
			.requestFactory(requestFactory)
			.baseUrl(tokenUri.toString())
			.defaultHeaders((headers) -> headers.setBasicAuth(clientId, clientSecret))
			.build();
		this.clock = clock;
	}

	/**
	 * @param subjectToken the caller's access token
	 * @param audience the downstream API
	 * @param scopes the scopes asked for, none to let the authorization server decide
	 * @throws ToolErrorException {@code forbidden} when the exchange is refused,
	 * {@code source_unavailable} when the authorization server cannot be reached
	 */
	public ExchangedToken exchange(String subjectToken, String audience, List<String> scopes) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("grant_type", GRANT_TYPE);
		form.add("subject_token", subjectToken);
		form.add("subject_token_type", ACCESS_TOKEN_TYPE);
		form.add("requested_token_type", ACCESS_TOKEN_TYPE);
		form.add("audience", audience);
		if (!scopes.isEmpty()) {
			form.add("scope", String.join(" ", scopes));
		}
		try {
			return this.restClient.post()
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.accept(MediaType.APPLICATION_JSON)
				.body(form)
				.exchange((request, response) -> {
					if (!response.getStatusCode().is2xxSuccessful()) {
						// Only the RFC 6749 error code is logged: the description may echo request details.
						logger.warn("Token exchange for audience '" + audience + "' refused with status "
								+ response.getStatusCode().value() + " (" + errorCode(response.bodyTo(JSON_OBJECT)) + ")");
						throw refused(audience);
					}
					return toToken(response.bodyTo(JSON_OBJECT), audience);
				});
		}
		catch (ResourceAccessException ex) {
			logger.warn("Token exchange for audience '" + audience + "' failed: authorization server unreachable");
			throw new ToolErrorException(new ToolError(ToolErrorCode.SOURCE_UNAVAILABLE,
					"The authorization server could not be reached to obtain a token for this tool.", Map.of()));
		}
	}

	private ExchangedToken toToken(Map<String, Object> body, String audience) {
		if (body == null || !(body.get("access_token") instanceof String token) || token.isEmpty()) {
			throw refused(audience);
		}
		// Without expires_in the token is kept only briefly: a guess must not outlive it.
		long expiresIn = (body.get("expires_in") instanceof Number number) ? number.longValue() : 60;
		return new ExchangedToken(token, this.clock.instant().plusSeconds(expiresIn));
	}

	private static String errorCode(Map<String, Object> body) {
		Object error = (body != null) ? body.get("error") : null;
		return (error instanceof String code && code.matches("[a-z_]{1,64}")) ? code : "no error code";
	}

	private static ToolErrorException refused(String audience) {
		return new ToolErrorException(new ToolError(ToolErrorCode.FORBIDDEN,
				"The authorization server refused to issue a token for " + audience + " on the caller's behalf.",
				Map.of("audience", audience)));
	}

}
