package dev.mcpgovernance.identity.oauth;

import java.text.ParseException;

import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;

/**
 * OAuth access tokens that are JWTs, as {@code Authorization: Bearer <jwt>}, verified locally with
 * the trusted issuers' keys. API keys ({@code sk_…}) are left alone; so are other bearer tokens when
 * some issuer introspects opaque tokens ({@link OpaqueTokenCredentialKind}), and otherwise they are
 * refused as malformed JWTs. The token travels in the transport context only so that a connector can
 * exchange it (RFC 8693); its callers can step up.
 */
public class JwtCredentialKind extends AccessTokenCredentialKind {

	/** After API keys. */
	public static final int ORDER = 300;

	private final boolean jwtsOnly;

	/**
	 * @param jwtsOnly whether to claim only bearer tokens that parse as JWTs, leaving the others to
	 * token introspection
	 */
	public JwtCredentialKind(JwtAuthenticator authenticator, boolean jwtsOnly) {
		super("oauth", ORDER, authenticator);
		this.jwtsOnly = jwtsOnly;
	}

	/** Whether a bearer token has the shape of a JWT (signed or encrypted); says nothing of its validity. */
	public static boolean isJwt(String token) {
		try {
			JWTParser.parse(token);
			return true;
		}
		catch (ParseException ex) {
			return false;
		}
	}

	@Override
	public String presentedCredential(HttpServletRequest request) {
		String token = bearerTokenOtherThanApiKey(request);
		return (token != null && (!this.jwtsOnly || isJwt(token))) ? token : null;
	}

}
