package dev.mcpgovernance.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.CallerIdentityContextExtractor;
import dev.mcpgovernance.identity.ProcessCallerSource;
import dev.mcpgovernance.resource.CallerResourceView;
import dev.mcpgovernance.tool.ToolCallGovernor;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.InitializeResult;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse.JSONRPCError;
import io.modelcontextprotocol.spec.McpSchema.ListToolsResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * What one caller is shown: the {@code tools/list} answer cut down to the tools the caller may call
 * (in progressive mode: to the meta-tools), the resource, resource template and prompt lists cut
 * down to what it may read ({@link CallerResourceView}), and the server instructions: the gateway's upstreams
 * and, in progressive mode, the domains and the workflow. The transports' decorators hand every
 * answer the server sends through {@link #rewrite}, together with the caller of the request it
 * answers.
 */
class CallerToolView {

	private final ToolCallGovernor governor;

	private final DiscoveryMode mode;

	private final Supplier<String> instructions;

	private final Supplier<String> sourceInstructions;

	private final Supplier<ProcessCallerSource> processCaller;

	private final CallerResourceView resources;

	/**
	 * @param instructions the progressive mode's instructions, asked for on each {@code initialize}
	 * @param sourceInstructions what the run-time tool sources (the gateway's upstreams) add to the
	 * instructions, asked for on each {@code initialize}; {@code null} or blank for nothing
	 * @param resources what cuts the resource, template and prompt lists down per caller; {@code null}
	 * when they are not governed (then they pass as the server sends them)
	 */
	public CallerToolView(ToolCallGovernor governor, DiscoveryMode mode, Supplier<String> instructions,
			Supplier<String> sourceInstructions, ObjectProvider<ProcessCallerSource> processCaller,
			CallerResourceView resources) {
		this.resources = resources;
		this.governor = governor;
		this.mode = mode;
		this.instructions = instructions;
		this.sourceInstructions = sourceInstructions;
		this.processCaller = SingletonSupplier.of(() -> processCaller.getIfAvailable(() -> Optional::empty));
	}

	/** The caller of a request: from the transport context, or the process's caller on STDIO. */
	public CallerIdentity callerOf(McpTransportContext context) {
		CallerIdentity caller = (context != null) ? CallerIdentityContextExtractor.callerOf(context) : null;
		return (caller != null) ? caller : this.processCaller.get().caller().orElse(null);
	}

	/**
	 * The tools of a listing this caller may see, as the execution hooks leave them; nothing without
	 * a verified caller.
	 */
	public List<Tool> visible(List<Tool> tools, CallerIdentity caller) {
		if (caller == null) {
			return List.of();
		}
		List<Tool> permitted = (this.mode == DiscoveryMode.PROGRESSIVE)
				// refresh_registry only to those who may call it, like any other tool.
				? tools.stream()
					.filter((tool) -> MetaTools.NAMES.contains(tool.name())
							|| (MetaTools.REFRESH_REGISTRY.equals(tool.name()) && caller.holds(MetaTools.REFRESH_SCOPE)))
					.toList()
				: tools.stream().filter((tool) -> this.governor.permits(tool.name(), caller)).toList();
		return this.governor.afterList(caller, permitted);
	}

	/** Whether {@link #rewrite} changes this message, so a decorator can pass others through untouched. */
	public boolean rewrites(McpSchema.JSONRPCMessage message) {
		return message instanceof JSONRPCResponse response
				&& (response.result() instanceof ListToolsResult || response.result() instanceof InitializeResult
						|| fixedText(response.error()) != null
						|| (this.resources != null && this.resources.lists(response.result())));
	}

	/**
	 * A server answer as the caller of its request must see it. The SDK builds the error for a
	 * failed request from the exception ({@code e.getMessage()} and the messages of its causes as
	 * data) and the method-not-found error from the method asked for; both go out with a fixed text
	 * and no data, so neither an exception's text nor the caller's input comes back.
	 */
	public McpSchema.JSONRPCMessage rewrite(McpSchema.JSONRPCMessage message, McpTransportContext context) {
		if (!(message instanceof JSONRPCResponse response)) {
			return message;
		}
		String fixed = fixedText(response.error());
		if (fixed != null) {
			return new JSONRPCResponse(response.jsonrpc(), response.id(), null,
					new JSONRPCError(response.error().code(), fixed, null));
		}
		if (response.result() instanceof ListToolsResult list) {
			ListToolsResult visible = new ListToolsResult(visible(list.tools(), callerOf(context)), list.nextCursor(),
					list.meta());
			return new JSONRPCResponse(response.jsonrpc(), response.id(), visible, response.error());
		}
		if (this.resources != null && this.resources.lists(response.result())) {
			return new JSONRPCResponse(response.jsonrpc(), response.id(),
					this.resources.visible(response.result(), callerOf(context)), response.error());
		}
		if (response.result() instanceof InitializeResult initialize) {
			return new JSONRPCResponse(response.jsonrpc(), response.id(), withInstructions(initialize), response.error());
		}
		return message;
	}

	private static String fixedText(JSONRPCError error) {
		if (error == null) {
			return null;
		}
		return switch (error.code()) {
			case McpSchema.ErrorCodes.INTERNAL_ERROR -> "Internal error";
			case McpSchema.ErrorCodes.METHOD_NOT_FOUND -> "Method not found";
			default -> null;
		};
	}

	/**
	 * The initialize answer with the server's own instructions first, then what the run-time tool
	 * sources say (the gateway's upstreams), then in progressive mode the discovery instructions.
	 * Composed anew for every session, so a new session sees upstreams added or removed since.
	 */
	public InitializeResult withInstructions(InitializeResult result) {
		String own = result.instructions();
		List<String> parts = new ArrayList<>();
		if (StringUtils.hasText(own)) {
			parts.add(own);
		}
		String sources = this.sourceInstructions.get();
		if (StringUtils.hasText(sources)) {
			parts.add(sources);
		}
		if (this.mode == DiscoveryMode.PROGRESSIVE) {
			parts.add(this.instructions.get());
		}
		String instructions = String.join("\n\n", parts);
		if (instructions.isEmpty() || instructions.equals(own)) {
			return result;
		}
		return new InitializeResult(result.protocolVersion(), result.capabilities(), result.serverInfo(), instructions,
				result.meta());
	}

}
