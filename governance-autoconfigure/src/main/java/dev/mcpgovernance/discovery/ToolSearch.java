package dev.mcpgovernance.discovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Deterministic ranking of tools for a search and of names for a "did you mean": token matches
 * over name, domain and description, edit distance for typos. Same input, same order: an agent that
 * repeats a search gets the same answer.
 */
final class ToolSearch {

	private ToolSearch() {
	}

	/** The tools matching a free-text query, best first (ties by name). */
	static List<CatalogTool> search(Collection<CatalogTool> tools, String query, int limit) {
		List<String> terms = tokens(query);
		String whole = String.join("_", terms);
		List<Scored> hits = new ArrayList<>();
		for (CatalogTool tool : tools) {
			int score = score(tool, terms);
			if (tool.name().toLowerCase(Locale.ROOT).equals(whole)) {
				score += 20;
			}
			if (score > 0) {
				hits.add(new Scored(tool.name(), score, tool));
			}
		}
		return hits.stream()
			.sorted(Comparator.comparingInt(Scored::score).reversed().thenComparing(Scored::name))
			.limit(limit)
			.map(Scored::tool)
			.toList();
	}

	/** Names close to one that matched nothing: a shared word or a small edit distance, closest first. */
	static List<String> suggestions(Collection<CatalogTool> tools, String name, int limit) {
		String wanted = name.toLowerCase(Locale.ROOT);
		List<String> wantedTokens = tokens(name);
		List<Scored> close = new ArrayList<>();
		for (CatalogTool tool : tools) {
			int distance = distance(wanted, tool.name().toLowerCase(Locale.ROOT));
			boolean sharesWord = tokens(tool.name()).stream()
				.anyMatch((token) -> wantedTokens.stream().anyMatch((term) -> term.length() >= 3 && similar(term, token)));
			if (sharesWord || distance <= Math.max(2, wanted.length() / 3)) {
				close.add(new Scored(tool.name(), distance, tool));
			}
		}
		return close.stream()
			.sorted(Comparator.comparingInt(Scored::score).thenComparing(Scored::name))
			.limit(limit)
			.map(Scored::name)
			.toList();
	}

	private static int score(CatalogTool tool, List<String> terms) {
		List<String> nameTokens = tokens(tool.name());
		List<String> descriptionTokens = tokens(tool.tool().description());
		int score = 0;
		for (String term : terms) {
			if (term.length() < 2) {
				continue;
			}
			if (nameTokens.contains(term)) {
				score += 6;
			}
			else if (nameTokens.stream().anyMatch((token) -> prefixOf(term, token))) {
				score += 4;
			}
			else if (nameTokens.stream().anyMatch((token) -> similar(term, token))) {
				score += 3;
			}
			if (tool.domain().equals(term)) {
				score += 3;
			}
			if (descriptionTokens.contains(term)) {
				score += 2;
			}
			else if (descriptionTokens.stream().anyMatch((token) -> prefixOf(term, token))) {
				score += 1;
			}
		}
		return score;
	}

	private static boolean prefixOf(String term, String token) {
		return term.length() >= 3 && token.length() >= 3 && (token.startsWith(term) || term.startsWith(token));
	}

	/** Equal, or a typo away: one edit for words of four letters or more, two from seven. */
	private static boolean similar(String term, String token) {
		if (term.equals(token)) {
			return true;
		}
		int allowed = (Math.min(term.length(), token.length()) >= 7) ? 2 : (Math.min(term.length(), token.length()) >= 4) ? 1 : 0;
		return allowed > 0 && Math.abs(term.length() - token.length()) <= allowed && distance(term, token) <= allowed;
	}

	/** Lower-case words of a name or text: split at non-letters and at camelCase humps. */
	static List<String> tokens(String text) {
		if (text == null) {
			return List.of();
		}
		String spaced = text.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
		List<String> tokens = new ArrayList<>();
		for (String token : spaced.split("[^a-z0-9]+")) {
			if (!token.isEmpty()) {
				tokens.add(token);
			}
		}
		return tokens;
	}

	/** Levenshtein distance; names are short, so the two-row table costs nothing. */
	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	private record Scored(String name, int score, CatalogTool tool) {
	}

}
