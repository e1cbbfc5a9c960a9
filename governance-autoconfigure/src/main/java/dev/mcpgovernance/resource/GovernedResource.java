package dev.mcpgovernance.resource;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts an {@code @McpResource} method (a fixed resource or a URI template) under governance: reading
 * it, subscribing to it and completing its template's variables require scope
 * {@code domain:resource:action}; callers without it do not see it in {@code resources/list} or
 * {@code resources/templates/list}; every read is audited with the URI template and the shape of
 * the URI's variables, never their values; the contents are redacted.
 *
 * <pre>
 * &#64;McpResource(uri = "orders://{orderId}", name = "order")
 * &#64;GovernedResource(domain = "orders", resource = "order")
 * public String order(String orderId) { … }
 * </pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface GovernedResource {

	/** The domain of the required scope; empty means {@code mcp.governance.domain}. */
	String domain() default "";

	/** The resource of the required scope, e.g. {@code order}. */
	String resource();

	/** The action of the required scope; reading is what a resource offers, so {@code read}. */
	String action() default "read";

	/** Whether reads of this resource are written to the audit trail. */
	boolean audit() default true;

	/**
	 * More keys whose values are redacted from this resource's contents, as case-insensitive globs,
	 * on top of {@code mcp.governance.redaction}'s.
	 */
	String[] redact() default {};

	/** Reads each caller may make, e.g. {@code 10/min}; empty for none. */
	String rateLimit() default "";

	/** Reads all callers together may make, e.g. {@code 100/min}; empty for none. */
	String globalRateLimit() default "";

}
