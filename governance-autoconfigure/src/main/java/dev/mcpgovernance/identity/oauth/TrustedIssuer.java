package dev.mcpgovernance.identity.oauth;

import java.util.Objects;

import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * An authorization server whose access tokens this server accepts.
 *
 * @param issuer its issuer identifier, as in the tokens' {@code iss} claim and in the RFC 9728 document
 * @param decoder verifies signature, algorithm, issuer, audience and validity period of its tokens
 * @param mapping turns a verified token's claims into a caller
 */
public record TrustedIssuer(String issuer, JwtDecoder decoder, JwtCallerMapping mapping) {

	public TrustedIssuer {
		Objects.requireNonNull(issuer, "issuer");
		Objects.requireNonNull(decoder, "decoder");
		Objects.requireNonNull(mapping, "mapping");
	}

}
