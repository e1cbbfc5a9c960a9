package dev.mcpgovernance.identity;

import jakarta.servlet.http.HttpServletRequest;

/** How the built-in kinds read their credentials from HTTP headers, and the refusal they share. */
public final class HttpCredentials {

	/** Header carrying an API key; an API key may also come as {@code Authorization: Bearer sk_…}. */
	public static final String API_KEY_HEADER = "X-API-Key";

	private static final String AUTHORIZATION = "Authorization";

	private static final String BEARER_PREFIX = "Bearer ";

	private HttpCredentials() {
	}

	/** The token of an {@code Authorization: Bearer …} header, trimmed, or {@code null}. */
	public static String bearerToken(HttpServletRequest request) {
		String authorization = request.getHeader(AUTHORIZATION);
		if (authorization == null
				|| !authorization.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
			return null;
		}
		return authorization.substring(BEARER_PREFIX.length()).trim();
	}

	/**
	 * The refusal of a request with more than one {@code Authorization} or {@code X-API-Key} header,
	 * or with different credentials in the two, or {@code null}: picking one of them silently would let
	 * a caller choose whose scopes a request runs with.
	 */
	public static String moreThanOneCredential(HttpServletRequest request) {
		if (count(request, AUTHORIZATION) > 1 || count(request, API_KEY_HEADER) > 1) {
			return "Send one credential: this request has more than one Authorization or X-API-Key header.";
		}
		String apiKey = request.getHeader(API_KEY_HEADER);
		String authorization = request.getHeader(AUTHORIZATION);
		if (apiKey != null && authorization != null && !apiKey.trim().equals(bearerToken(request))) {
			return "Send one credential: this request carries different ones in Authorization and X-API-Key.";
		}
		return null;
	}

	/** Whether the request carries an {@code Authorization} or {@code X-API-Key} header. */
	public static boolean hasAuthorizationOrApiKey(HttpServletRequest request) {
		return request.getHeader(AUTHORIZATION) != null || request.getHeader(API_KEY_HEADER) != null;
	}

	/** How many headers of this name the request has. */
	public static int count(HttpServletRequest request, String header) {
		int count = 0;
		for (var values = request.getHeaders(header); values.hasMoreElements(); values.nextElement()) {
			count++;
		}
		return count;
	}

}
