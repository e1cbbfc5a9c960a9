package dev.mcpgovernance.gateway;

import java.util.Map;
import java.util.Optional;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.InboundAccessToken;
import dev.mcpgovernance.outbound.RemoteCalls;
import dev.mcpgovernance.tool.GovernanceContext;
import dev.mcpgovernance.tool.SourceUnavailableException;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolErrorException;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

import org.springframework.http.HttpHeaders;

/**
 * Forwards the calls of exposed upstream tools, and the reads, gets and completions of upstream
 * resources, templates and prompts, to their upstream, on the {@link RemoteCalls} path (the
 * upstream's breaker, retry and time limit). An upstream that cannot be reached is
 * {@code source_unavailable}, an error it reports is {@code upstream_error}, and neither carries
 * anything of the upstream's text.
 */
final class UpstreamCalls implements UpstreamResources.Forwarder {

	private final UpstreamRegistry upstreams;

	private final RemoteCalls remoteCalls;

	UpstreamCalls(UpstreamRegistry upstreams, RemoteCalls remoteCalls) {
		this.upstreams = upstreams;
		this.remoteCalls = remoteCalls;
	}

	/**
	 * One call of an exposed tool by a caller with a session: on the caller's own upstream session,
	 * so that the upstream's progress, log messages and elicitation requests reach this caller and
	 * no other.
	 * @param tool the tool, {@code null} when it is no longer exposed
	 */
	CallToolResult call(String exposedName, ExposedTool tool, McpSchema.CallToolRequest request,
			McpSyncServerExchange exchange) {
		return call(exposedName, tool, request.arguments(), exchange.transportContext(), exchange,
				request.progressToken());
	}

	/**
	 * One call of an exposed tool without a way back to the caller (a stateless server): nothing is forwarded.
	 * @param tool the tool, {@code null} when it is no longer exposed
	 */
	CallToolResult call(String exposedName, ExposedTool tool, Map<String, Object> arguments,
			McpTransportContext context) {
		return call(exposedName, tool, arguments, context, null, null);
	}

	/** One call of an exposed tool, inside the governor (the caller is checked, the call audited). */
	private CallToolResult call(String exposedName, ExposedTool tool, Map<String, Object> arguments,
			McpTransportContext context, McpSyncServerExchange exchange, Object progressToken) {
		Upstream upstream = (tool != null) ? this.upstreams.get(tool.domain()) : null;
		if (upstream == null) {
			// Removed between the server's dispatch and now.
			throw new SourceUnavailableException("Upstream tool '" + exposedName + "' was removed");
		}
		CallToolResult result = onCallerSession(upstream, context, exchange, progressToken,
				(target, headers, upstreamToken) -> target.call(tool.originalName(), arguments, headers, upstreamToken),
				"tool");
		if (result == null || Boolean.TRUE.equals(result.isError())) {
			throw upstreamError(tool.domain(), "tool");
		}
		return result;
	}

	@Override
	public McpSchema.ReadResourceResult read(String domain, String uri, McpSyncServerExchange exchange,
			McpTransportContext context) {
		return forward(domain, exchange, context, (target, headers, token) -> target.readResource(uri, headers));
	}

	@Override
	public McpSchema.GetPromptResult get(String domain, String name, Map<String, Object> arguments,
			McpSyncServerExchange exchange, McpTransportContext context) {
		return forward(domain, exchange, context, (target, headers, token) -> target.getPrompt(name, arguments, headers));
	}

	@Override
	public McpSchema.CompleteResult complete(String domain, McpSchema.CompleteRequest request,
			McpSyncServerExchange exchange, McpTransportContext context) {
		return forward(domain, exchange, context, (target, headers, token) -> target.complete(request, headers));
	}

	/**
	 * A read, get or completion of an upstream resource, template or prompt, inside the resource
	 * governor (the caller is checked, the request audited, the answer redacted there): like a tool
	 * call, with the caller's credential and on the caller's own upstream session.
	 */
	private <T> T forward(String domain, McpSyncServerExchange exchange, McpTransportContext context,
			CallerRequest<T> request) {
		Upstream upstream = this.upstreams.get(domain);
		if (upstream == null) {
			// Removed between the server's dispatch and now.
			throw new SourceUnavailableException("Upstream '" + domain + "' was removed");
		}
		return onCallerSession(upstream, context, exchange, null, request, "resource or prompt");
	}

	/**
	 * One request of a caller to an upstream, on the {@link RemoteCalls} path: with the caller's
	 * credential (the hooks' headers under it) and on the caller's own upstream session when there
	 * is one, so that what the upstream sees and sends back is bound to this caller and no other.
	 * Without one (no session on this server, or every caller session busy) the request takes the
	 * shared session, which forwards nothing.
	 * @param what what the caller asked for, for the error when the upstream answers with one
	 */
	private <T> T onCallerSession(Upstream upstream, McpTransportContext context, McpSyncServerExchange exchange,
			Object progressToken, CallerRequest<T> request, String what) {
		String domain = upstream.definition().domain();
		GovernanceContext.recordDataSource(upstream.definition().adapterName(), false);
		UpstreamClient client = upstream.client();
		if (client == null) {
			throw new SourceUnavailableException("Upstream '" + domain + "' is not connected");
		}
		CallerIdentity caller = GovernanceContext.caller().orElse(null);
		InboundAccessToken inbound = (context != null) ? InboundAccessToken.of(context) : null;
		return this.remoteCalls.call(client, () -> {
			HttpHeaders headers = new HttpHeaders();
			// The hooks' headers never stand in for a credential: the service's are skipped, the call's set after.
			GovernanceContext.outboundHeaders().forEach((name, value) -> {
				if (!upstream.serviceHeaders().containsHeader(name)) {
					headers.set(name, value);
				}
			});
			upstream.callAuthorizer().authorize(headers, caller, inbound);
			Optional<CallerSessions.Lease> lease = upstream.callerSession(caller, exchange, progressToken);
			UpstreamClient target = lease.map((held) -> held.session().client()).orElse(client);
			try {
				return request.send(target, headers, lease.map((held) -> held.call().upstreamToken()).orElse(null));
			}
			catch (McpError ex) {
				// The upstream answered with a JSON-RPC error (an unknown URI, say): its text stays here.
				throw upstreamError(domain, what);
			}
			catch (RuntimeException ex) {
				// A broken session is of no more use; the caller's next request opens a new one.
				lease.ifPresent((held) -> upstream.callerSessions().discard(held.session()));
				throw ex;
			}
			finally {
				lease.ifPresent(CallerSessions.Lease::end);
			}
		});
	}

	/** One request on an upstream session, with the caller's headers and the progress token the upstream is given. */
	@FunctionalInterface
	private interface CallerRequest<T> {

		T send(UpstreamClient target, HttpHeaders headers, String upstreamToken);

	}

	/** @param what what the caller asked for: {@code tool}, or {@code resource or prompt} */
	private static ToolErrorException upstreamError(String domain, String what) {
		return new ToolErrorException(new ToolError(ToolErrorCode.UPSTREAM_ERROR,
				"The upstream server behind this " + what + " reported an error.", Map.of("upstream", domain)));
	}

}
