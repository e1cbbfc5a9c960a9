package dev.mcpgovernance.identity.oauth;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * Turns a presented opaque access token into a {@link CallerIdentity} by asking the trusted issuers'
 * introspection endpoints (RFC 7662), in the configured order, until one knows it as active. The
 * answer must name this server in {@code aud} and, when it names an issuer, the endpoint's own; its
 * claims then map to a caller as a JWT's would. Answers are kept for a short while (never beyond the
 * token's {@code exp}), keyed by the token's SHA-256 rather than the token. An endpoint that cannot be
 * asked is never a pass: unless another endpoint knows the token, it is refused until one answers.
 */
public class OpaqueTokenAuthenticator implements AccessTokenAuthenticator {

	private static final Log logger = LogFactory.getLog(OpaqueTokenAuthenticator.class);

	private final List<IntrospectingIssuer> issuers;

	private final Duration clockSkew;

	private final Clock clock;

	private final Cache<String, AuthenticationOutcome> answers;

	/** Issuers whose introspection endpoint failed at the last try: logged once per outage. */
	private final Set<String> unreachable = ConcurrentHashMap.newKeySet();

	/**
	 * @param clockSkew how far the authorization server's clock may drift when exp and nbf are checked
	 * @param cacheTtl how long an answer is reused for the same token
	 */
	public OpaqueTokenAuthenticator(List<IntrospectingIssuer> issuers, Duration clockSkew, Duration cacheTtl,
			int cacheMaxSize, Clock clock) {
		this.issuers = List.copyOf(issuers);
		this.clockSkew = clockSkew;
		this.clock = clock;
		// Maintenance on the calling thread: handed to the common pool, it woke a pool thread every few calls (issue 23).
		this.answers = Caffeine.newBuilder()
			.executor(Runnable::run)
			.maximumSize(cacheMaxSize)
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.expireAfter(new UntilValid(cacheTtl, clock))
			.build();
	}

	/** The issuer identifiers of the authorization servers whose tokens are introspected. */
	@Override
	public List<String> issuers() {
		return this.issuers.stream().map(IntrospectingIssuer::issuer).toList();
	}

	@Override
	public AuthenticationOutcome authenticate(String token) {
		String key = digest(token);
		AuthenticationOutcome cached = this.answers.getIfPresent(key);
		if (cached != null) {
			return cached;
		}
		boolean unavailable = false;
		for (IntrospectingIssuer issuer : this.issuers) {
			Map<String, Object> claims;
			try {
				claims = issuer.introspector().introspect(token).getAttributes();
			}
			catch (BadOpaqueTokenException ex) {
				// Not active at this endpoint; it may be another issuer's.
				recovered(issuer);
				continue;
			}
			catch (RuntimeException ex) {
				// Fail closed: unreachable, refused our credentials, or answered something else than RFC 7662.
				unavailable = true;
				if (this.unreachable.add(issuer.issuer())) {
					logger.warn("Token introspection at " + issuer.issuer() + " failed (" + ex.getClass().getSimpleName()
							+ "): opaque access tokens only it knows are refused with 401 until it answers again. "
							+ "Logged once per outage.");
				}
				continue;
			}
			recovered(issuer);
			AuthenticationOutcome outcome = verify(issuer, claims);
			this.answers.put(key, outcome);
			return outcome;
		}
		if (unavailable) {
			return new AuthenticationOutcome.Rejected("The access token cannot be verified at the moment");
		}
		AuthenticationOutcome inactive = new AuthenticationOutcome.Rejected("The access token is not active");
		this.answers.put(key, inactive);
		return inactive;
	}

	private void recovered(IntrospectingIssuer issuer) {
		if (this.unreachable.remove(issuer.issuer())) {
			logger.info("Token introspection at " + issuer.issuer() + " answers again.");
		}
	}

	/** The endpoint vouches for the token; whether it was issued for this server, and now, is ours to check. */
	private AuthenticationOutcome verify(IntrospectingIssuer issuer, Map<String, Object> claims) {
		Object iss = claims.get(OAuth2TokenIntrospectionClaimNames.ISS);
		if (iss != null && !issuer.issuer().equals(iss.toString())) {
			return new AuthenticationOutcome.Rejected("The access token's issuer is not trusted");
		}
		Object audience = claims.get(OAuth2TokenIntrospectionClaimNames.AUD);
		boolean forThisServer = (audience instanceof Collection<?> values) ? values.contains(issuer.audience())
				: issuer.audience().equals(audience);
		if (!forThisServer) {
			return new AuthenticationOutcome.Rejected("The access token was not issued for this server (aud)");
		}
		Instant now = this.clock.instant();
		Instant expiresAt = instant(claims.get(OAuth2TokenIntrospectionClaimNames.EXP));
		if (expiresAt != null && now.isAfter(expiresAt.plus(this.clockSkew))) {
			return new AuthenticationOutcome.Rejected("The access token has expired");
		}
		Instant notBefore = instant(claims.get(OAuth2TokenIntrospectionClaimNames.NBF));
		if (notBefore != null && now.plus(this.clockSkew).isBefore(notBefore)) {
			return new AuthenticationOutcome.Rejected("The access token is not valid yet");
		}
		AuthenticationOutcome outcome = issuer.mapping().toCaller("opaque", issuer.issuer(), claims);
		if (outcome instanceof AuthenticationOutcome.Authenticated authenticated && expiresAt != null) {
			return new AuthenticationOutcome.Authenticated(
					authenticated.identity().withValidUntil(expiresAt.plus(this.clockSkew)));
		}
		return outcome;
	}

	private static Instant instant(Object value) {
		return (value instanceof Instant instant) ? instant
				: (value instanceof Number seconds) ? Instant.ofEpochSecond(seconds.longValue()) : null;
	}

	private static String digest(String token) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	/**
	 * An authorization server whose opaque tokens this server introspects.
	 *
	 * @param issuer its issuer identifier; an answer that names another is refused
	 * @param introspector asks its introspection endpoint, authenticated as this server
	 * @param audience what the answer's {@code aud} must contain: this server (RFC 8707)
	 * @param mapping turns the answer's claims into a caller, as for the issuer's JWTs
	 */
	public record IntrospectingIssuer(String issuer, OpaqueTokenIntrospector introspector, String audience,
			JwtCallerMapping mapping) {

		public IntrospectingIssuer {
			Objects.requireNonNull(issuer, "issuer");
			Objects.requireNonNull(introspector, "introspector");
			Objects.requireNonNull(audience, "audience");
			Objects.requireNonNull(mapping, "mapping");
		}

	}

	/** An answer is kept for the cache's time to live, and a caller no longer than its token is valid. */
	private record UntilValid(Duration ttl, Clock clock) implements Expiry<String, AuthenticationOutcome> {

		@Override
		public long expireAfterCreate(String key, AuthenticationOutcome outcome, long currentTime) {
			Duration keep = this.ttl;
			if (outcome instanceof AuthenticationOutcome.Authenticated authenticated
					&& authenticated.identity().validUntil() != null) {
				Duration left = Duration.between(this.clock.instant(), authenticated.identity().validUntil());
				keep = left.isNegative() ? Duration.ZERO : (left.compareTo(keep) < 0) ? left : keep;
			}
			return keep.toNanos();
		}

		@Override
		public long expireAfterUpdate(String key, AuthenticationOutcome outcome, long currentTime, long currentDuration) {
			return expireAfterCreate(key, outcome, currentTime);
		}

		@Override
		public long expireAfterRead(String key, AuthenticationOutcome outcome, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}
