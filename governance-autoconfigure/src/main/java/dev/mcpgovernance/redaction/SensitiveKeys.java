package dev.mcpgovernance.redaction;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Key names whose values are always redacted, as case-insensitive globs: {@code *} matches any run
 * of characters, {@code ?} exactly one, everything else stands for itself ({@code *_token} matches
 * {@code ACCESS_TOKEN} and {@code refresh_token}, not {@code tokenizer}).
 */
public final class SensitiveKeys {

	/**
	 * The built-in globs. Chosen to catch credentials and direct personal identifiers under their
	 * usual names while leaving ordinary fields ({@code id}, {@code name}, {@code status}) alone.
	 */
	public static final List<String> DEFAULTS = List.of(
			// credentials
			"password", "*password*", "passwd", "*passwd*", "pwd", "secret", "*secret*", "token", "*_token",
			"*-token", "access*token", "refresh*token", "id*token", "auth*token", "bearer", "api_key", "api-key",
			"apikey", "*_api_key", "*apikey", "x-api-key", "authorization", "proxy-authorization", "cookie",
			"set-cookie", "session_id", "sessionid", "private_key", "*private*key*", "credential", "credentials",
			// personal data
			"email", "*_email", "e-mail", "email_address", "emailaddress", "phone", "*_phone", "phone_number",
			"phonenumber", "mobile", "ssn", "social_security_number", "card_number", "cardnumber", "*_card_number",
			"credit_card", "creditcard", "credit_card_number", "pan", "cvv", "cvc", "iban", "tax_id", "date_of_birth",
			"dob", "passport_number");

	private final List<String> globs;

	private final Pattern pattern;

	private SensitiveKeys(List<String> globs) {
		this.globs = globs;
		this.pattern = globs.isEmpty() ? null : Pattern.compile(String.join("|", globs.stream().map(SensitiveKeys::toRegex).toList()),
				Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
	}

	/**
	 * @param globs key globs; blank entries are refused
	 * @throws IllegalArgumentException naming the blank entry's position
	 */
	public static SensitiveKeys of(Collection<String> globs) {
		List<String> copy = List.copyOf(globs);
		for (int i = 0; i < copy.size(); i++) {
			if (copy.get(i).isBlank()) {
				throw new IllegalArgumentException("Sensitive key glob #" + i + " is blank");
			}
		}
		return new SensitiveKeys(copy);
	}

	/** These globs and the given ones. */
	public SensitiveKeys plus(Collection<String> more) {
		if (more.isEmpty()) {
			return this;
		}
		List<String> all = new java.util.ArrayList<>(this.globs);
		all.addAll(more);
		return of(all);
	}

	public boolean matches(String key) {
		return this.pattern != null && this.pattern.matcher(key).matches();
	}

	public List<String> globs() {
		return this.globs;
	}

	private static String toRegex(String glob) {
		StringBuilder regex = new StringBuilder("(?:");
		StringBuilder literal = new StringBuilder();
		for (char c : glob.trim().toLowerCase(Locale.ROOT).toCharArray()) {
			if (c == '*' || c == '?') {
				if (!literal.isEmpty()) {
					regex.append(Pattern.quote(literal.toString()));
					literal.setLength(0);
				}
				regex.append((c == '*') ? ".*" : ".");
			}
			else {
				literal.append(c);
			}
		}
		if (!literal.isEmpty()) {
			regex.append(Pattern.quote(literal.toString()));
		}
		return regex.append(')').toString();
	}

}
