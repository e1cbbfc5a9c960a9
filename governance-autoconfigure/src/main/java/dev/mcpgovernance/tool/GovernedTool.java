package dev.mcpgovernance.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts a tool method ({@code @Tool} or {@code @McpTool}) under governance: the caller must hold
 * scope {@code domain:resource:action} (wildcards allowed in the grant, never here), and every
 * failure comes back as a {@link ToolError}.
 *
 * <pre>
 * &#64;McpTool(name = "cancel_order", description = "Cancel an order")
 * &#64;GovernedTool(domain = "orders", resource = "order", action = "cancel")
 * public Order cancel(String orderId) { … }
 * </pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface GovernedTool {

	/** The domain of the required scope; empty means {@code mcp.governance.domain}. */
	String domain() default "";

	/** The resource the tool touches, e.g. {@code order}. */
	String resource();

	/** What the tool does to the resource, e.g. {@code read}, {@code create}, {@code cancel}. */
	String action();

	/** Whether calls of this tool are written to the audit trail. */
	boolean audit() default true;

	/**
	 * More keys whose values are redacted from this tool's results, as case-insensitive globs
	 * (e.g. {@code customer_note}, {@code *_internal}), on top of {@code mcp.governance.redaction}'s.
	 */
	String[] redact() default {};

	/**
	 * Calls of this tool each caller may make, e.g. {@code 10/min}; empty for none.
	 * {@code mcp.governance.rate-limit.tools[<required scope>]} overrides it.
	 */
	String rateLimit() default "";

	/**
	 * Calls of this tool all callers together may make, e.g. {@code 100/min}; empty for none.
	 * {@code mcp.governance.rate-limit.global-tools[<required scope>]} overrides it.
	 */
	String globalRateLimit() default "";

	/**
	 * The tool's own "every source is down" exceptions: a handler failure of one of these types
	 * (or caused by one) becomes the {@code source_unavailable} error, like
	 * {@link SourceUnavailableException}. Their messages are never shown.
	 */
	Class<? extends Throwable>[] sourceUnavailable() default {};

}
