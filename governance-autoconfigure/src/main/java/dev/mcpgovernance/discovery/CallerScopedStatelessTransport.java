package dev.mcpgovernance.discovery;

import java.util.List;

import dev.mcpgovernance.resource.ResourceRequestGate;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import reactor.core.publisher.Mono;

/**
 * Puts a {@link CallerToolView} between the stateless MCP server and its transport: the server hands
 * its request handler to the transport, and this decorator wraps it so that each request passes
 * {@link UnknownToolCalls} and the {@link ResourceRequestGate} (which may refuse a completion) first
 * and each answer passes through the view with the transport context of its request.
 */
class CallerScopedStatelessTransport implements McpStatelessServerTransport {

	private final McpStatelessServerTransport delegate;

	private final CallerToolView view;

	private final UnknownToolCalls unknownTools;

	private final ResourceRequestGate gate;

	/**
	 * @param gate what refuses completions the caller may not make; {@code null} for none
	 */
	public CallerScopedStatelessTransport(McpStatelessServerTransport delegate, CallerToolView view,
			UnknownToolCalls unknownTools, ResourceRequestGate gate) {
		this.delegate = delegate;
		this.view = view;
		this.unknownTools = unknownTools;
		this.gate = gate;
	}

	@Override
	public void setMcpHandler(McpStatelessServerHandler handler) {
		this.delegate.setMcpHandler(new McpStatelessServerHandler() {

			@Override
			public Mono<McpSchema.JSONRPCResponse> handleRequest(McpTransportContext context,
					McpSchema.JSONRPCRequest request) {
				CallerScopedStatelessTransport.this.unknownTools.inspect(request, context);
				ResourceRequestGate gate = CallerScopedStatelessTransport.this.gate;
				McpSchema.JSONRPCResponse refusal = (gate != null) ? gate.refusal(null, request, context) : null;
				if (refusal != null) {
					return Mono.just(refusal);
				}
				return handler.handleRequest(context, request)
					.map((response) -> (McpSchema.JSONRPCResponse) CallerScopedStatelessTransport.this.view
						.rewrite(response, context));
			}

			@Override
			public Mono<Void> handleNotification(McpTransportContext context, McpSchema.JSONRPCNotification notification) {
				return handler.handleNotification(context, notification);
			}

		});
	}

	@Override
	public void close() {
		this.delegate.close();
	}

	@Override
	public Mono<Void> closeGracefully() {
		return this.delegate.closeGracefully();
	}

	@Override
	public List<String> protocolVersions() {
		return this.delegate.protocolVersions();
	}

}
