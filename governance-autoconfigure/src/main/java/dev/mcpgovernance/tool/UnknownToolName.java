package dev.mcpgovernance.tool;

/**
 * How a tool name the server does not have is recorded (audit trail, metrics, logs): by its shape,
 * never its text. The caller chose that text freely, so it can carry anything (an e-mail address, a
 * customer's name, a token) that a redaction pattern need not catch. A name the server has was
 * chosen by the application and is recorded as it is.
 * <p>
 * The shape is {@code unknown-tool(length=<code points>,chars=<class>)}, the class being
 * {@code name} (only the characters of MCP tool names: letters, digits, {@code _ - .}),
 * {@code ascii} (other printable ASCII, such as {@code @} or a space) or {@code other} (anything
 * else). A name that is missing or not a string is {@code unknown-tool(missing)} or
 * {@code unknown-tool(not-a-string)}. Parentheses and {@code =} are not in the MCP tool-name
 * alphabet, so no real tool is recorded the same way.
 */
public final class UnknownToolName {

	private static final String PREFIX = "unknown-tool(";

	private UnknownToolName() {
	}

	/** The recorded form of a requested name the server does not have: its shape. */
	public static String of(Object requested) {
		if (requested == null) {
			return PREFIX + "missing)";
		}
		if (!(requested instanceof String name)) {
			return PREFIX + "not-a-string)";
		}
		return PREFIX + "length=" + name.codePointCount(0, name.length()) + ",chars=" + characters(name) + ")";
	}

	/** Whether {@code toolName} is such a shape rather than a tool's name. */
	public static boolean isShape(String toolName) {
		return toolName != null && toolName.startsWith(PREFIX);
	}

	private static String characters(String name) {
		String characters = "name";
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c < 0x20 || c > 0x7e) {
				return "other";
			}
			if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
				characters = "ascii";
			}
		}
		return characters;
	}

}
