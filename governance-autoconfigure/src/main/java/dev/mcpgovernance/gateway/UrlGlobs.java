package dev.mcpgovernance.gateway;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * URL globs such as {@code https://*.mcp.example.com/*}: {@code *} and {@code ?} as in tool-name
 * globs ({@link Globs}), except that in the scheme-and-host part ({@code https://host:port}) they never match a
 * {@code /}, so {@code https://*.example.com/*} cannot match {@code https://evil.test/x.example.com/}.
 * A glob without a path ({@code https://*.example.com}) allows every path. The URL is compared as
 * {@code scheme://host[:port]path}, scheme and host in lower case.
 */
final class UrlGlobs {

	private UrlGlobs() {
	}

	static boolean anyMatches(List<String> globs, URI url) {
		String text = normalized(url);
		return globs.stream().anyMatch((glob) -> compile(glob).matcher(text).matches());
	}

	/** {@code scheme://host[:port]path}: what the admin API shows and globs are matched against. */
	static String normalized(URI url) {
		return url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getHost().toLowerCase(Locale.ROOT)
				+ ((url.getPort() != -1) ? ":" + url.getPort() : "") + ((url.getRawPath() != null) ? url.getRawPath() : "");
	}

	private static Pattern compile(String glob) {
		int scheme = glob.indexOf("://");
		int pathStart = (scheme >= 0) ? glob.indexOf('/', scheme + 3) : -1;
		String authority = (pathStart >= 0) ? glob.substring(0, pathStart) : glob;
		// Without a path the glob names hosts, and every path on them.
		String path = (pathStart >= 0) ? glob.substring(pathStart) : "*";
		return Pattern.compile(Globs.regex(authority.toLowerCase(Locale.ROOT), "[^/]*", "[^/]")
				+ Globs.regex(path, ".*", "."));
	}

}
