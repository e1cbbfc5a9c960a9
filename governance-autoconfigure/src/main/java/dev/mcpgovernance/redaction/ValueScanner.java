package dev.mcpgovernance.redaction;

import java.util.List;

/**
 * Applies value patterns to a string, in order, each to the output of the one before. Most strings in
 * a result hold no sensitive value, and running every pattern's regular expression over every string
 * is what redaction used to spend its time on; so one pass over the string first works out its
 * {@link TextTraits}, and a built-in {@link Detector} whose match is impossible with those traits is
 * skipped (an e-mail address needs an {@code @}, a card number 13 digits…). Skipping never changes the
 * result: a detector is skipped only when its pattern would have returned the string unchanged. Patterns
 * of your own always run. Immutable and thread-safe.
 */
final class ValueScanner {

	private final Step[] steps;

	ValueScanner(List<ValuePattern> patterns) {
		this.steps = patterns.stream().map(Step::of).toArray(Step[]::new);
	}

	/** The text with every pattern applied; the very same string when nothing matched. */
	String redact(String text) {
		String result = text;
		TextTraits traits = null;
		for (Step step : this.steps) {
			if (step.detector != null) {
				if (traits == null) {
					traits = TextTraits.of(result);
				}
				if (!step.detector.mayOccurIn(traits)) {
					continue;
				}
			}
			String redacted = step.pattern.redact(result);
			if (redacted != result) {
				// The replacement changed the text, so the traits must be worked out again.
				result = redacted;
				traits = null;
			}
		}
		return result;
	}

	/**
	 * @param pattern a value pattern
	 * @param detector the built-in detector the pattern is, whose pre-check applies; {@code null} for a
	 * pattern of your own, which always runs
	 */
	private record Step(ValuePattern pattern, Detector detector) {

		static Step of(ValuePattern pattern) {
			for (Detector detector : Detector.values()) {
				// The very instance, not an equal one: only then is its pre-check known to fit.
				if (detector.pattern() == pattern) {
					return new Step(pattern, detector);
				}
			}
			return new Step(pattern, null);
		}

	}

}
