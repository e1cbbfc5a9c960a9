package dev.mcpgovernance.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Tool-name globs: {@code *} any run of characters, {@code ?} one character, everything else literal. */
final class Globs {

	private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

	private static final Map<String, Pattern> CASELESS_PATTERNS = new ConcurrentHashMap<>();

	private Globs() {
	}

	static boolean matches(String glob, String name) {
		return name != null && PATTERNS.computeIfAbsent(glob, Globs::compile).matcher(name).matches();
	}

	/** For deny globs: a tool named {@code Delete_customer} must not slip past {@code delete_*}. */
	static boolean matchesIgnoringCase(String glob, String name) {
		return name != null && CASELESS_PATTERNS.computeIfAbsent(glob, Globs::compileIgnoringCase).matcher(name).matches();
	}

	private static Pattern compile(String glob) {
		return Pattern.compile(regex(glob, ".*", "."));
	}

	private static Pattern compileIgnoringCase(String glob) {
		return Pattern.compile(regex(glob, ".*", "."), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
	}

	/**
	 * The regular expression of a glob, with {@code star} and {@code one} as what {@code *} and
	 * {@code ?} stand for (URL globs keep them inside one host), everything else quoted.
	 */
	static String regex(String glob, String star, String one) {
		StringBuilder regex = new StringBuilder();
		StringBuilder literal = new StringBuilder();
		for (char c : glob.toCharArray()) {
			if (c == '*' || c == '?') {
				regex.append(Pattern.quote(literal.toString())).append((c == '*') ? star : one);
				literal.setLength(0);
			}
			else {
				literal.append(c);
			}
		}
		return regex.append(Pattern.quote(literal.toString())).toString();
	}

}
