package dev.mcpgovernance.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.mcpgovernance.http.GovernedRequestFilter;
import dev.mcpgovernance.http.JsonResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Checks an authenticated MCP request at the transport level before its body is read, as the MCP
 * transport specification and the TypeScript reference server do: a path the configured protocol does
 * not serve is 404, a method it does not serve there 405 with {@code Allow}, a POST body that is not
 * {@code application/json} in UTF-8 (or any request naming a wildcard or unreadable type) 415, and an {@code Accept} that cannot be read or does not
 * list what the answer may be (a POST to the streamable endpoint: both {@code application/json} and
 * {@code text/event-stream}; a GET: {@code text/event-stream}) 406. Each gets a JSON-RPC error, so
 * the transport never sees a request it would answer with a framework error.
 */
final class TransportRequestFilter extends GovernedRequestFilter {

	/** Longer {@code Accept} headers are refused unread: no MCP client sends one near this size. */
	static final int MAX_ACCEPT_LENGTH = 1024;

	/** The request's {@code Accept} types as parsed here, for {@link InlineRequestAnswers} not to parse them again. */
	static final String ACCEPT_ATTRIBUTE = TransportRequestFilter.class.getName() + ".accept";

	private final RequestMatcher mcpEndpoints;

	private final McpEndpoints.ServedMethods servedMethods;

	/** Whether the primary endpoint takes POSTs answered as a stream or as JSON (streamable HTTP, stateless). */
	private final boolean primaryTakesPosts;

	/**
	 * The last {@code Accept} values that passed, with their types: a client sends the same ones on
	 * every request, and parsing them was a few percent of a governed call (issue 23).
	 */
	private volatile ParsedAccept lastAccept;

	/** The last {@code Content-Type} found to be JSON in UTF-8, for the same reason. */
	private volatile String lastJsonContentType;

	TransportRequestFilter(McpEndpoints endpoints) {
		this.mcpEndpoints = endpoints.mcpRequestMatcher();
		this.servedMethods = endpoints.servedMethods();
		this.primaryTakesPosts = endpoints.served()
			.getOrDefault(endpoints.primaryPath(), Set.of())
			.contains(HttpMethod.POST);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.mcpEndpoints.matches(request)) {
			chain.doFilter(request, response);
			return;
		}
		Set<HttpMethod> served = this.servedMethods.of(request);
		if (served.isEmpty()) {
			JsonResponses.writeTransportError(response, HttpStatus.NOT_FOUND.value(), null);
			return;
		}
		HttpMethod method = HttpMethod.valueOf(request.getMethod());
		if (!served.contains(method)) {
			response.setHeader(HttpHeaders.ALLOW,
					served.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", ")));
			JsonResponses.writeTransportError(response, HttpStatus.METHOD_NOT_ALLOWED.value(), null);
			return;
		}
		String contentType = request.getContentType();
		boolean contentTypeValid = HttpMethod.POST.equals(method) ? isJson(contentType)
				: (contentType == null || isConcrete(contentType));
		if (!contentTypeValid) {
			JsonResponses.writeTransportError(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE.value(), null);
			return;
		}
		if (!acceptable(request, method)) {
			JsonResponses.writeTransportError(response, HttpStatus.NOT_ACCEPTABLE.value(), null);
			return;
		}
		chain.doFilter(request, response);
	}

	private boolean isJson(String contentType) {
		if (contentType != null && contentType.equals(this.lastJsonContentType)) {
			return true;
		}
		boolean json = isJsonInUtf8(contentType);
		if (json) {
			this.lastJsonContentType = contentType;
		}
		return json;
	}

	private static boolean isJsonInUtf8(String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return type.getType().equals("application") && type.getSubtype().equals("json")
					&& (type.getParameter("charset") == null || StandardCharsets.UTF_8.equals(type.getCharset()));
		}
		catch (IllegalArgumentException ex) {
			// InvalidMediaTypeException: not a media type at all.
			return false;
		}
	}

	/**
	 * A body-less request may name a type, but not one Spring MVC refuses to read into its headers (a
	 * wildcard such as {@code *}{@code /*} fails there with an exception, not a refusal).
	 */
	private static boolean isConcrete(String contentType) {
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return !type.isWildcardType() && !type.isWildcardSubtype();
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * What the answer may be: an event stream for a GET; JSON or an event stream for a POST to the
	 * streamable endpoint (the one serving GET or POST alone, not the legacy SSE message endpoint,
	 * whose answer is an empty 202 and which the legacy protocol leaves free).
	 */
	private boolean acceptable(HttpServletRequest request, HttpMethod method) {
		List<String> values = Collections.list(request.getHeaders(HttpHeaders.ACCEPT));
		ParsedAccept last = this.lastAccept;
		List<MediaType> types;
		if (last != null && last.values().equals(values)) {
			types = last.types();
		}
		else {
			types = parseAccept(values);
			if (types == null) {
				return false;
			}
			this.lastAccept = new ParsedAccept(List.copyOf(values), types);
		}
		request.setAttribute(ACCEPT_ATTRIBUTE, types);
		if (HttpMethod.GET.equals(method)) {
			return lists(types, MediaType.TEXT_EVENT_STREAM);
		}
		if (HttpMethod.POST.equals(method) && this.primaryTakesPosts) {
			return lists(types, MediaType.APPLICATION_JSON) && lists(types, MediaType.TEXT_EVENT_STREAM);
		}
		return true;
	}

	/** The types, or {@code null} when the values are too long or not media types. */
	private static List<MediaType> parseAccept(List<String> values) {
		if (String.join(",", values).length() > MAX_ACCEPT_LENGTH) {
			return null;
		}
		try {
			return List.copyOf(MediaType.parseMediaTypes(values));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/** Whether the type is listed by name, as the transports check it (a wildcard does not count). */
	private static boolean lists(List<MediaType> types, MediaType type) {
		for (MediaType listed : types) {
			if (listed.getType().equalsIgnoreCase(type.getType())
					&& listed.getSubtype().equalsIgnoreCase(type.getSubtype())) {
				return true;
			}
		}
		return false;
	}

	private record ParsedAccept(List<String> values, List<MediaType> types) {
	}

}
