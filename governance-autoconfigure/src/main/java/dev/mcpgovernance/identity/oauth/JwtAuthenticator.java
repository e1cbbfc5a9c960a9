package dev.mcpgovernance.identity.oauth;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.nimbusds.jwt.JWTParser;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Turns a presented JWT access token into a {@link CallerIdentity}. The unverified {@code iss}
 * only picks which trusted issuer's decoder verifies the token; everything the identity is made
 * of comes from a verified token. Rejection reasons are safe to show: they never quote the token.
 */
public class JwtAuthenticator implements AccessTokenAuthenticator {

	private static final Log logger = LogFactory.getLog(JwtAuthenticator.class);

	private final Map<String, TrustedIssuer> issuers = new LinkedHashMap<>();

	/** Issuers whose metadata or keys could not be fetched at the last try: logged once per outage. */
	private final Set<String> unreachable = ConcurrentHashMap.newKeySet();

	private final Duration clockSkew;

	/**
	 * @param clockSkew how long past its {@code exp} the decoders still accept a token, so that
	 * the caller's end of validity is when it is really refused
	 */
	public JwtAuthenticator(List<TrustedIssuer> issuers, Duration clockSkew) {
		issuers.forEach((issuer) -> this.issuers.put(issuer.issuer(), issuer));
		this.clockSkew = clockSkew;
	}

	/** The issuer identifiers of the trusted authorization servers, for the RFC 9728 document. */
	@Override
	public List<String> issuers() {
		return List.copyOf(this.issuers.keySet());
	}

	@Override
	public AuthenticationOutcome authenticate(String token) {
		String claimedIssuer;
		try {
			claimedIssuer = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
		}
		catch (ParseException ex) {
			return new AuthenticationOutcome.Rejected("The access token is not a well-formed JWT");
		}
		TrustedIssuer issuer = (claimedIssuer != null) ? this.issuers.get(claimedIssuer) : null;
		if (issuer == null) {
			return new AuthenticationOutcome.Rejected("The access token's issuer is not trusted");
		}
		Jwt verified;
		try {
			verified = issuer.decoder().decode(token);
		}
		catch (JwtValidationException ex) {
			return new AuthenticationOutcome.Rejected("The access token is not valid: " + ex.getErrors()
				.stream()
				.map(OAuth2Error::getDescription)
				.collect(Collectors.joining("; ")));
		}
		catch (BadJwtException ex) {
			return new AuthenticationOutcome.Rejected(
					"The access token's signature or algorithm is not accepted by this server");
		}
		catch (JwtException | JwtDecoderInitializationException ex) {
			// Fail closed: the issuer's metadata or keys could not be fetched, so nothing can be verified.
			if (this.unreachable.add(issuer.issuer())) {
				logger.warn("OAuth issuer " + issuer.issuer() + " cannot be reached (" + ex.getClass().getSimpleName()
						+ "): its access tokens are refused with 401 until its metadata and keys can be fetched "
						+ "again. Logged once per outage.");
			}
			return new AuthenticationOutcome.Rejected("The access token cannot be verified at the moment");
		}
		if (this.unreachable.remove(issuer.issuer())) {
			logger.info("OAuth issuer " + issuer.issuer() + " can be reached again.");
		}
		AuthenticationOutcome outcome = issuer.mapping().toCaller(issuer.issuer(), verified);
		if (outcome instanceof AuthenticationOutcome.Authenticated authenticated && verified.getExpiresAt() != null) {
			return new AuthenticationOutcome.Authenticated(
					authenticated.identity().withValidUntil(verified.getExpiresAt().plus(this.clockSkew)));
		}
		return outcome;
	}

}
