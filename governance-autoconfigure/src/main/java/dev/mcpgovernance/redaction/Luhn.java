package dev.mcpgovernance.redaction;

/** The Luhn (mod 10) check that every payment card number passes. */
final class Luhn {

	private Luhn() {
	}

	/** @param digits digits only */
	static boolean isValid(CharSequence digits) {
		int sum = 0;
		boolean doubled = false;
		for (int i = digits.length() - 1; i >= 0; i--) {
			int digit = digits.charAt(i) - '0';
			if (doubled) {
				digit *= 2;
				if (digit > 9) {
					digit -= 9;
				}
			}
			sum += digit;
			doubled = !doubled;
		}
		return sum % 10 == 0;
	}

}
