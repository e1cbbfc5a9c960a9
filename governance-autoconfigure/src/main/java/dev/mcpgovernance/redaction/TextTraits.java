package dev.mcpgovernance.redaction;

/**
 * What one pass over a string tells about it: enough for each {@link Detector} to rule itself out
 * before its regular expression runs. Only ASCII digits count, as {@code \d} in the detectors (no
 * {@code UNICODE_CHARACTER_CLASS}) matches nothing else.
 *
 * @param digits how many characters {@code 0}–{@code 9}
 * @param hyphens how many {@code -}
 * @param at whether there is an {@code @}
 * @param dot whether there is a {@code .}
 * @param plus whether there is a {@code +}
 */
record TextTraits(int digits, int hyphens, boolean at, boolean dot, boolean plus) {

	static TextTraits of(String text) {
		int digits = 0;
		int hyphens = 0;
		boolean at = false;
		boolean dot = false;
		boolean plus = false;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c >= '0' && c <= '9') {
				digits++;
			}
			else if (c == '-') {
				hyphens++;
			}
			else if (c == '@') {
				at = true;
			}
			else if (c == '.') {
				dot = true;
			}
			else if (c == '+') {
				plus = true;
			}
		}
		return new TextTraits(digits, hyphens, at, dot, plus);
	}

}
