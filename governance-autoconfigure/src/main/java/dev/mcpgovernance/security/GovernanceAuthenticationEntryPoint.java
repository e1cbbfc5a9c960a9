package dev.mcpgovernance.security;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.mcpgovernance.http.JsonResponses;
import dev.mcpgovernance.tool.ToolErrorCode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers an unauthenticated MCP request with 401 and an RFC 6750 challenge that points to the
 * RFC 9728 document: no {@code error} but the scopes governed tools need when no credential came,
 * {@code invalid_token} when one was refused.
 */
public class GovernanceAuthenticationEntryPoint implements AuthenticationEntryPoint {

	private final ProtectedResourceMetadata metadata;

	private final RefusedToolCallReporter refusals;

	/**
	 * @param refusals told of a refused {@code tools/call}, for the audit trail; may be {@code null}
	 */
	public GovernanceAuthenticationEntryPoint(ProtectedResourceMetadata metadata, RefusedToolCallReporter refusals) {
		this.metadata = metadata;
		this.refusals = refusals;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
			throws IOException {
		StringBuilder challenge = new StringBuilder("Bearer");
		String message;
		if (failure instanceof InvalidCredentialsException) {
			challenge.append(" error=\"invalid_token\", error_description=\"")
				.append(quoteSafe(failure.getMessage()))
				.append("\",");
			message = failure.getMessage();
		}
		else {
			message = "Authentication required: send an access token or API key as 'Authorization: Bearer …' "
					+ "(an API key may also come as 'X-API-Key').";
		}
		challenge.append(" resource_metadata=\"").append(this.metadata.metadataUrl(request)).append('"');
		List<String> scopes = this.metadata.scopesSupported();
		if (!(failure instanceof InvalidCredentialsException) && !scopes.isEmpty()) {
			challenge.append(", scope=\"").append(String.join(" ", scopes)).append('"');
		}
		if (this.refusals != null) {
			this.refusals.report(request, null, ToolErrorCode.UNAUTHENTICATED);
		}
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge.toString());
		JsonResponses.writeError(response, HttpStatus.UNAUTHORIZED.value(), "unauthenticated", message);
	}

	private static String quoteSafe(String text) {
		return text.replace("\\", "").replace("\"", "'");
	}

}
