package dev.mcpgovernance.it.oauth;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/** Tokens no honest authorization server mints, made with Nimbus as an attacker would. */
final class ForgedTokens {

	private ForgedTokens() {
	}

	/** Claims like the server's own tokens: right issuer and audience, valid now for five minutes. */
	static JWTClaimsSet.Builder claims(TestAuthorizationServer server, String... scopes) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().issuer(server.issuer())
			.subject("forger")
			.audience(TestAuthorizationServer.RESOURCE)
			.claim("client_id", "forger")
			.claim("scope", String.join(" ", scopes))
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
	}

	/** Signed with the server's real RSA key: only the claims can make it fail. */
	static String signedByTheServer(TestAuthorizationServer server, JWTClaimsSet claims) throws Exception {
		return rs256(server.rsaKey(), server.rsaKey().getKeyID(), claims);
	}

	/** Signed by a key of the attacker's, under the server's key id. */
	static String signedByAnUnknownKey(TestAuthorizationServer server, JWTClaimsSet claims) throws Exception {
		RSAKey attackerKey = new RSAKeyGenerator(2048).generate();
		return rs256(attackerKey, server.rsaKey().getKeyID(), claims);
	}

	/** {@code alg: none}, no signature at all. */
	static String unsigned(JWTClaimsSet claims) {
		return new PlainJWT(claims).serialize();
	}

	/**
	 * The key-confusion attack: HS256 with the server's public RSA key (as published, DER encoded)
	 * as the HMAC secret, hoping the verifier uses whatever key it has with whatever alg the token names.
	 */
	static String hs256WithThePublicKey(TestAuthorizationServer server, JWTClaimsSet claims) throws Exception {
		byte[] secret = server.rsaKey().toRSAPublicKey().getEncoded();
		return sign(new MACSigner(secret), new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(server.rsaKey().getKeyID())
			.type(JOSEObjectType.JWT)
			.build(), claims);
	}

	private static String rs256(RSAKey key, String keyId, JWTClaimsSet claims) throws Exception {
		return sign(new RSASSASigner(key),
				new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).type(JOSEObjectType.JWT).build(), claims);
	}

	private static String sign(JWSSigner signer, JWSHeader header, JWTClaimsSet claims) throws Exception {
		SignedJWT jwt = new SignedJWT(header, claims);
		jwt.sign(signer);
		return jwt.serialize();
	}

}
