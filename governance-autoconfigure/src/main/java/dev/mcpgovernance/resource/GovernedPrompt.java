package dev.mcpgovernance.resource;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts an {@code @McpPrompt} method under governance: getting the prompt and completing its
 * arguments require scope
 * {@code domain:resource:action}; callers without it do not see it in {@code prompts/list}; every
 * get is audited with the prompt name and the shape of its arguments, never their values; the
 * messages are redacted.
 *
 * <pre>
 * &#64;McpPrompt(name = "summarize_order")
 * &#64;GovernedPrompt(domain = "orders", resource = "order")
 * public GetPromptResult summarize(String orderId) { … }
 * </pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface GovernedPrompt {

	/** The domain of the required scope; empty means {@code mcp.governance.domain}. */
	String domain() default "";

	/** The resource of the required scope, e.g. {@code order}. */
	String resource();

	/** The action of the required scope; getting a prompt reads it, so {@code read}. */
	String action() default "read";

	/** Whether gets of this prompt are written to the audit trail. */
	boolean audit() default true;

	/**
	 * More keys whose values are redacted from this prompt's messages, as case-insensitive globs,
	 * on top of {@code mcp.governance.redaction}'s.
	 */
	String[] redact() default {};

	/** Gets each caller may make, e.g. {@code 10/min}; empty for none. */
	String rateLimit() default "";

	/** Gets all callers together may make, e.g. {@code 100/min}; empty for none. */
	String globalRateLimit() default "";

}
