package dev.mcpgovernance.tool;

import java.util.List;
import java.util.Objects;

import dev.mcpgovernance.identity.CallerIdentity;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.Tool;

/**
 * Code of the application's own around every governed tool call, local and upstream alike, and
 * every resource read and prompt get ({@link ToolInvocation#kind()} says which). Beans of this type
 * are applied in {@link org.springframework.core.annotation.Order @Order}. Every method has a no-op
 * default, so a hook implements only what it needs.
 * <p>
 * The governor stays in charge: hooks run after authentication, scope, rate-limit and argument
 * checks; a transformed result is still redacted; a hook that throws ends the call with
 * {@code internal_error} (fail closed), and only its type is logged.
 */
public interface ToolExecutionHook {

	/**
	 * Before the handler runs: {@link Decision#proceed()}, or {@link Decision#deny(String)} to refuse
	 * the call with {@code forbidden}. May add {@link ToolInvocation#outboundHeaders() outbound headers}.
	 * The first hook that denies ends the call; later hooks do not run.
	 */
	default Decision beforeExecute(ToolInvocation invocation) {
		return Decision.proceed();
	}

	/**
	 * After a successful handler, before redaction: the result to pass on, possibly transformed.
	 * Each hook receives the previous hook's result. {@code null} or an error result ends the call
	 * with {@code internal_error}.
	 */
	default CallToolResult afterExecute(ToolInvocation invocation, CallToolResult result) {
		return result;
	}

	/**
	 * After a successful {@code resources/read}, before redaction: the contents to pass on, possibly
	 * transformed, like {@link #afterExecute}. {@code null} ends the read with {@code internal_error}.
	 */
	default ReadResourceResult afterRead(ToolInvocation invocation, ReadResourceResult result) {
		return result;
	}

	/**
	 * After a successful {@code prompts/get}, before redaction: the messages to pass on, possibly
	 * transformed, like {@link #afterExecute}. {@code null} ends the get with {@code internal_error}.
	 */
	default GetPromptResult afterGet(ToolInvocation invocation, GetPromptResult result) {
		return result;
	}

	/**
	 * A call ended with {@code error}, whatever refused or failed it. Observe only: the caller gets
	 * {@code error} whatever this method does, and an exception thrown here is logged and ignored.
	 */
	default void onError(ToolInvocation invocation, ToolError error) {
	}

	/**
	 * The tools a {@code tools/list} answer shows {@code caller}, after governance removed the ones
	 * the caller may not call. A hook may only remove tools: whatever it returns is intersected (by
	 * name) with {@code tools}. Hiding a tool does not forbid calling it; deny in
	 * {@link #beforeExecute} for that.
	 */
	default List<Tool> afterList(CallerIdentity caller, List<Tool> tools) {
		return tools;
	}

	/**
	 * The resources a {@code resources/list} answer shows {@code caller}, like {@link #afterList}:
	 * only removing (intersected by URI).
	 */
	default List<Resource> afterListResources(CallerIdentity caller, List<Resource> resources) {
		return resources;
	}

	/**
	 * The templates a {@code resources/templates/list} answer shows {@code caller}, like
	 * {@link #afterList}: only removing (intersected by URI template).
	 */
	default List<ResourceTemplate> afterListResourceTemplates(CallerIdentity caller, List<ResourceTemplate> templates) {
		return templates;
	}

	/**
	 * The prompts a {@code prompts/list} answer shows {@code caller}, like {@link #afterList}: only
	 * removing (intersected by name).
	 */
	default List<Prompt> afterListPrompts(CallerIdentity caller, List<Prompt> prompts) {
		return prompts;
	}

	/** What {@link #beforeExecute} decides. */
	sealed interface Decision {

		static Decision proceed() {
			return Proceed.INSTANCE;
		}

		/**
		 * @param message shown to the caller in the {@code forbidden} error; write it for the
		 * caller (no argument values, no internals)
		 */
		static Decision deny(String message) {
			return new Deny(message);
		}

		/** The call goes on. */
		enum Proceed implements Decision {

			INSTANCE

		}

		/** The call is refused with {@code forbidden} and {@code message}. */
		record Deny(String message) implements Decision {

			public Deny {
				Objects.requireNonNull(message, "message");
			}

		}

	}

}
