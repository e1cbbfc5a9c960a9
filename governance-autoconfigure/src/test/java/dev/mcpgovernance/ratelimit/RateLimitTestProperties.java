package dev.mcpgovernance.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code name=value} pairs split at the last {@code =}: per-tool limits are keyed by scopes, whose
 * colons {@code TestPropertyValues} would take for the separator.
 */
final class RateLimitTestProperties {

	private RateLimitTestProperties() {
	}

	static Map<String, Object> parse(String... pairs) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (String pair : pairs) {
			int split = pair.lastIndexOf('=');
			map.put(pair.substring(0, split), pair.substring(split + 1));
		}
		return map;
	}

}
