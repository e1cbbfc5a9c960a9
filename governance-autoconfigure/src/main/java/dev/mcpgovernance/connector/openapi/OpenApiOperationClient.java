package dev.mcpgovernance.connector.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.adapter.TransientSourceException;
import dev.mcpgovernance.outbound.ServiceFailureException;
import dev.mcpgovernance.tool.GovernanceContext;
import dev.mcpgovernance.tool.InvalidInput;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolErrorException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.unit.DataSize;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriUtils;

/**
 * The one place an OpenAPI operation is called over HTTP: it builds the request from the
 * arguments (path parameters percent-encoded as whole segments, so {@code ../admin} stays a value
 * and is never followed as a path), sends it with the connector's credential, and reads the
 * answer within a size limit. Redirects are not followed (they would carry the credential
 * elsewhere). A 3xx or 4xx answer is an {@code upstream_error} carrying the status only; a 5xx
 * answer and an API that cannot be reached are exceptions for the adapter resilience around the
 * call (502, 503, 504 and I/O errors transient), which the
 * {@link dev.mcpgovernance.outbound.RemoteCalls} of {@link OpenApiConnectors} turn into
 * {@code upstream_error} and {@code source_unavailable}.
 */
class OpenApiOperationClient {

	private static final Log logger = LogFactory.getLog(OpenApiOperationClient.class);

	private final String connector;

	private final String baseUrl;

	private final RestClient restClient;

	private final ObjectMapper objectMapper;

	private final long maxResponseBytes;

	public OpenApiOperationClient(String connector, String baseUrl, Duration connectTimeout, Duration readTimeout,
			DataSize maxResponseSize, ObjectMapper objectMapper) {
		this.connector = connector;
		this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
		HttpClient http = HttpClient.newBuilder()
			.connectTimeout(connectTimeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(http);
		requestFactory.setReadTimeout(readTimeout);
		this.restClient = RestClient.builder().requestFactory(requestFactory).build();
		this.objectMapper = objectMapper;
		this.maxResponseBytes = maxResponseSize.toBytes();
	}

	/**
	 * @param operation the operation to call
	 * @param arguments the caller's arguments, already checked against the operation's schema
	 * @param authorization adds the connector's credential to the request
	 * @throws ToolErrorException {@code upstream_error} for a 3xx or 4xx answer
	 * @throws ServiceFailureException for a 5xx answer (inside a {@link TransientSourceException} for 502, 503, 504)
	 * @throws ResourceAccessException when the API cannot be reached or does not answer in time
	 * @throws InvalidInput for an argument that cannot be sent as its parameter
	 */
	public UpstreamResponse call(OperationTool operation, Map<String, Object> arguments,
			Consumer<HttpHeaders> authorization) {
		Map<String, Object> given = (arguments != null) ? arguments : Map.of();
		URI uri = uri(operation, given);
		byte[] body = body(operation, given);
		try {
			RestClient.RequestBodySpec request = this.restClient.method(operation.method())
				.uri(uri)
				.accept(MediaType.APPLICATION_JSON)
				.headers((headers) -> {
					headerParameters(operation, given, headers);
					// The execution hooks' headers: after the parameters, before the credential.
					GovernanceContext.outboundHeaders().forEach(headers::set);
					// Last, so that no parameter can stand in for the credential.
					authorization.accept(headers);
				});
			if (body != null) {
				request.contentType(MediaType.APPLICATION_JSON).body(body);
			}
			return request.exchange((req, response) -> {
				int status = response.getStatusCode().value();
				if (status >= 300) {
					// The upstream body and headers may hold internals; the caller gets the status only.
					logger.info("Connector '" + this.connector + "' operation " + operation.operationId()
							+ " answered with status " + status);
					throw failure(operation, status);
				}
				return new UpstreamResponse(status, response.getHeaders().getContentType(), read(response.getBody()));
			});
		}
		catch (ResourceAccessException ex) {
			// Left to the resilience layer: an I/O error is retried, a timeout counts as a failure.
			logger.warn("Connector '" + this.connector + "' could not reach its API for " + operation.operationId() + " ("
					+ ex.getClass().getSimpleName() + ")");
			throw ex;
		}
	}

	// A 3xx/4xx is the caller's (not a failure of the API); 502/503/504 are worth retrying; other 5xx are not.
	private RuntimeException failure(OperationTool operation, int status) {
		ToolError error = new ToolError(ToolErrorCode.UPSTREAM_ERROR,
				"The " + this.connector + " API answered " + operation.toolName() + " with status " + status + ".",
				Map.of("status", status));
		if (status < 500) {
			return new ToolErrorException(error);
		}
		ServiceFailureException answered = new ServiceFailureException(error);
		return (status == 502 || status == 503 || status == 504)
				? new TransientSourceException("Upstream answered " + status, answered) : answered;
	}

	private byte[] read(InputStream body) throws IOException {
		byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, this.maxResponseBytes + 1));
		if (bytes.length > this.maxResponseBytes) {
			throw new ToolErrorException(new ToolError(ToolErrorCode.UPSTREAM_ERROR,
					"The " + this.connector + " API answered with more data than this server passes back.",
					Map.of("max_bytes", this.maxResponseBytes)));
		}
		return bytes;
	}

	private URI uri(OperationTool operation, Map<String, Object> arguments) {
		String path = operation.pathTemplate();
		StringBuilder query = new StringBuilder();
		for (OperationTool.Parameter parameter : operation.parameters()) {
			Object value = arguments.get(parameter.name());
			if (value == null) {
				continue;
			}
			if (parameter.in() == OperationTool.Location.PATH) {
				path = path.replace("{" + parameter.name() + "}", pathSegment(parameter.name(), value));
			}
			else if (parameter.in() == OperationTool.Location.QUERY) {
				List<?> values = (value instanceof List<?> list) ? list : List.of(value);
				for (Object item : values) {
					query.append(query.isEmpty() ? '?' : '&')
						.append(UriUtils.encodeQueryParam(parameter.name(), StandardCharsets.UTF_8))
						.append('=')
						.append(UriUtils.encodeQueryParam(scalar(parameter.name(), item), StandardCharsets.UTF_8));
				}
			}
		}
		return URI.create(this.baseUrl + path + query);
	}

	private static String pathSegment(String name, Object value) {
		String text = scalar(name, value);
		if (text.isEmpty()) {
			throw new InvalidInput(name, "Argument '" + name + "' must not be empty.");
		}
		String encoded = UriUtils.encodePathSegment(text, StandardCharsets.UTF_8);
		// "." and ".." are legal in a segment yet mean "here" and "up": encode them so no one resolves them.
		return (encoded.equals(".") || encoded.equals("..")) ? encoded.replace(".", "%2E") : encoded;
	}

	private static void headerParameters(OperationTool operation, Map<String, Object> arguments, HttpHeaders headers) {
		for (OperationTool.Parameter parameter : operation.parameters()) {
			Object value = arguments.get(parameter.name());
			if (parameter.in() != OperationTool.Location.HEADER || value == null) {
				continue;
			}
			String text = scalar(parameter.name(), value);
			if (text.chars().anyMatch((c) -> c < 0x20 || c == 0x7f)) {
				throw new InvalidInput(parameter.name(),
						"Argument '" + parameter.name() + "' must not contain control characters.");
			}
			headers.set(parameter.name(), text);
		}
	}

	private static String scalar(String name, Object value) {
		if (value instanceof String || value instanceof Number || value instanceof Boolean) {
			return String.valueOf(value);
		}
		throw new InvalidInput(name, "Argument '" + name + "' must be a single value.");
	}

	private byte[] body(OperationTool operation, Map<String, Object> arguments) {
		Object body = arguments.get(OperationTool.BODY);
		if (!operation.hasBody() || body == null) {
			return null;
		}
		try {
			return this.objectMapper.writeValueAsBytes(body);
		}
		catch (JacksonException ex) {
			throw new InvalidInput(OperationTool.BODY, "Argument 'body' cannot be sent as JSON.");
		}
	}

	/**
	 * A successful answer of the API.
	 *
	 * @param status the HTTP status (2xx)
	 * @param contentType its content type, or {@code null}
	 * @param body the body, possibly empty
	 */
	public record UpstreamResponse(int status, MediaType contentType, byte[] body) {
	}

}
