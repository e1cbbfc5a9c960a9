package dev.mcpgovernance.tool;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mcpgovernance.identity.CallerIdentity;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

/**
 * One tool call in progress on this thread: who is calling, which tool, the data source that
 * answered and the error the handler ended with, if any. The aspect records the error here because the MCP libraries between the
 * handler and the governor turn exceptions into plain text.
 */
final class GovernedCall {

	private final CallerIdentity caller;

	private final String toolName;

	private final String requestId;

	private ToolError error;

	private String dataSource;

	private CallToolResult result;

	private boolean cacheHit;

	private final Map<String, String> outboundHeaders = new LinkedHashMap<>();

	GovernedCall(CallerIdentity caller, String toolName, String requestId) {
		this.caller = caller;
		this.toolName = toolName;
		this.requestId = requestId;
	}

	CallerIdentity caller() {
		return this.caller;
	}

	String toolName() {
		return this.toolName;
	}

	String requestId() {
		return this.requestId;
	}

	/** Headers the execution hooks added for the upstream calls of this tool call. */
	Map<String, String> outboundHeaders() {
		return this.outboundHeaders;
	}

	ToolError error() {
		return this.error;
	}

	CallToolResult result() {
		return this.result;
	}

	void recordResult(CallToolResult result) {
		this.result = result;
	}

	String dataSource() {
		return this.dataSource;
	}

	boolean cacheHit() {
		return this.cacheHit;
	}

	void recordDataSource(String dataSource, boolean cacheHit) {
		// The last source to answer is the one whose data the caller gets.
		this.dataSource = dataSource;
		this.cacheHit = cacheHit;
	}

	void recordError(ToolError error) {
		// The first error is the real one; later ones come from the unwinding.
		if (this.error == null) {
			this.error = error;
		}
	}

}
