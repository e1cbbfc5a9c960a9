package dev.mcpgovernance.redaction;

import java.util.regex.Pattern;

/**
 * The built-in value patterns. They are tuned to leave ordinary results alone, so each one asks for
 * the shape people actually write, not anything that could conceivably be such a value.
 * <p>
 * Each also has a pre-check on the string's {@link TextTraits}, so that most strings skip its regular
 * expression (see {@link ValueScanner}). A pre-check may let through strings without a match, never
 * the other way round: it only asks for characters that every accepted match contains.
 */
public enum Detector {

	/** E-mail addresses: {@code local@domain.tld}. */
	EMAIL(ValuePattern.of("email", Pattern.compile(
			"(?<![\\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}(?![\\w-])"))),

	/**
	 * Payment card numbers: 13 to 19 digits, either unbroken or in groups split by single spaces or
	 * dashes, starting with 2 to 6 (Mastercard, Amex, Diners, JCB, Visa, Discover, UnionPay, Maestro),
	 * and passing the Luhn check. Timestamps and most ids (which start otherwise or fail Luhn) stay.
	 */
	CARD(new ValuePattern("card",
			Pattern.compile("(?<![\\d.,-])[2-6](?:\\d{12,18}|\\d{3}(?:[ -]\\d{3,6}){2,4})(?![\\d.,]\\d|\\d)"),
			Detector::isCardNumber)),

	/** US social security numbers written {@code 123-45-6789} (dashes required; never 000, 666 or 9xx first). */
	SSN(ValuePattern.of("ssn",
			Pattern.compile("(?<![\\w-])(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?![\\w-])"))),

	/**
	 * Phone numbers: international ones starting with {@code +} and a country code (E.164, 8 to 15
	 * digits, optionally grouped by spaces, dots, dashes or an area code in parentheses), and US/NANP
	 * numbers with separators: {@code (415) 555-2671}, {@code 415-555-2671}, {@code 415.555.2671},
	 * {@code 415 555 2671}. Ten bare digits are not taken for a phone number: too many ids look like that.
	 */
	PHONE(new ValuePattern("phone", Pattern.compile("(?<![\\w+.-])(?:"
			+ "\\+[1-9]\\d{0,2}(?:[ .-]?(?:\\(\\d{1,4}\\)|\\d{1,5})){1,6}"
			+ "|\\([2-9]\\d{2}\\) ?[2-9]\\d{2}[-. ]\\d{4}"
			+ "|[2-9]\\d{2}([-. ])[2-9]\\d{2}\\1\\d{4})(?![\\w-]|\\.\\d)"), Detector::isPhoneNumber));

	private final ValuePattern pattern;

	Detector(ValuePattern pattern) {
		this.pattern = pattern;
	}

	public ValuePattern pattern() {
		return this.pattern;
	}

	/** {@code false} only when this detector finds nothing in a string with these traits. */
	boolean mayOccurIn(TextTraits traits) {
		return switch (this) {
			// The '@' and the '.' before the top-level domain.
			case EMAIL -> traits.at() && traits.dot();
			// The check accepts 13 to 19 digits only.
			case CARD -> traits.digits() >= 13;
			// The nine digits and two dashes of 123-45-6789.
			case SSN -> traits.digits() >= 9 && traits.hyphens() >= 2;
			// The check accepts 8 to 15 digits after a '+', otherwise exactly 10.
			case PHONE -> traits.digits() >= 10 || (traits.plus() && traits.digits() >= 8);
		};
	}

	private static boolean isCardNumber(String match) {
		String digits = digitsOf(match);
		return digits.length() >= 13 && digits.length() <= 19 && Luhn.isValid(digits);
	}

	private static boolean isPhoneNumber(String match) {
		int digits = digitsOf(match).length();
		return match.startsWith("+") ? digits >= 8 && digits <= 15 : digits == 10;
	}

	private static String digitsOf(String text) {
		StringBuilder digits = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c >= '0' && c <= '9') {
				digits.append(c);
			}
		}
		return digits.toString();
	}

}
