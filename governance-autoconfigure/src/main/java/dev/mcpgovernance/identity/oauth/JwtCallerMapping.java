package dev.mcpgovernance.identity.oauth;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Transport;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.mcpgovernance.scope.MalformedScopeException;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.scope.ScopeSet;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.util.StringUtils;

/**
 * How the claims of one issuer's verified access tokens (JWTs, or the answers of its token
 * introspection endpoint) become a {@link CallerIdentity}. Only
 * scopes and who the caller is come from the token; the rate limit comes from the server's own
 * configuration, by owner or client id.
 *
 * @param ownerClaim claim holding the stable owner id, e.g. {@code sub}
 * @param labelClaims claims tried in turn for a human-readable name
 * @param tenantClaim claim holding the tenant, or {@code null} for none; when set, a token without it is refused
 * @param scopeClaims claims holding granted scopes, each a space-separated string or an array
 * @param rateLimitRpm requests per minute for this issuer's callers, or {@code null} for the server default
 * @param rateLimits requests per minute by owner id or client id, ahead of {@code rateLimitRpm}
 */
public record JwtCallerMapping(String ownerClaim, List<String> labelClaims, String tenantClaim, List<String> scopeClaims,
		Integer rateLimitRpm, Map<String, Integer> rateLimits) {

	/** Claims naming the OAuth client: RFC 9068, then OpenID Connect's authorized party, then Entra v1. */
	private static final List<String> CLIENT_CLAIMS = List.of("client_id", "azp", "appid");

	public JwtCallerMapping {
		labelClaims = List.copyOf(labelClaims);
		scopeClaims = List.copyOf(scopeClaims);
		rateLimits = Map.copyOf(rateLimits);
	}

	/** The caller of a verified token, or a rejection when a claim the mapping needs is missing. */
	public AuthenticationOutcome toCaller(String issuer, Jwt token) {
		return toCaller("jwt", issuer, token.getClaims());
	}

	/**
	 * The caller of verified claims (a JWT's, or a token introspection's answer), or a rejection when
	 * a claim the mapping needs is missing.
	 * @param keyIdPrefix names the kind of token in the caller's key id, e.g. {@code jwt}
	 */
	public AuthenticationOutcome toCaller(String keyIdPrefix, String issuer, Map<String, Object> claims) {
		String owner = text(claims, this.ownerClaim);
		if (owner == null) {
			return new AuthenticationOutcome.Rejected("The access token has no '" + this.ownerClaim + "' claim");
		}
		String tenant = null;
		if (this.tenantClaim != null) {
			tenant = text(claims, this.tenantClaim);
			if (tenant == null) {
				return new AuthenticationOutcome.Rejected("The access token has no '" + this.tenantClaim + "' claim");
			}
		}
		String client = firstText(claims, CLIENT_CLAIMS);
		// One key id per client registration, not per token: it groups a client's calls in the audit trail.
		String keyId = keyIdPrefix + ":" + issuer + ((client != null) ? "#" + client : "");
		return new AuthenticationOutcome.Authenticated(new CallerIdentity(keyId, owner, firstText(claims, this.labelClaims),
				scopes(claims), rateLimit(owner, client), Transport.HTTP, tenant));
	}

	private Integer rateLimit(String owner, String client) {
		Integer byOwner = this.rateLimits.get(owner);
		if (byOwner != null) {
			return byOwner;
		}
		Integer byClient = (client != null) ? this.rateLimits.get(client) : null;
		return (byClient != null) ? byClient : this.rateLimitRpm;
	}

	/** Every governance scope in the scope claims; other values (openid, profile…) grant nothing here. */
	private ScopeSet scopes(Map<String, Object> claims) {
		Set<Scope> scopes = new LinkedHashSet<>();
		for (String claim : this.scopeClaims) {
			Object value = claims.get(claim);
			Collection<?> values = (value instanceof Collection<?> collection) ? collection
					: (value instanceof String text) ? List.of(text.trim().split("\\s+")) : List.of();
			for (Object scope : values) {
				parse(scope).ifPresent(scopes::add);
			}
		}
		return new ScopeSet(scopes);
	}

	private static Optional<Scope> parse(Object value) {
		if (!(value instanceof String text) || text.isBlank()) {
			return Optional.empty();
		}
		try {
			return Optional.of(Scope.parse(text));
		}
		catch (MalformedScopeException ex) {
			return Optional.empty();
		}
	}

	private static String firstText(Map<String, Object> claims, List<String> names) {
		for (String claim : names) {
			String value = text(claims, claim);
			if (value != null) {
				return value;
			}
		}
		return null;
	}

	private static String text(Map<String, Object> claims, String claim) {
		Object value = claims.get(claim);
		return (value instanceof String text && StringUtils.hasText(text)) ? text : null;
	}

}
