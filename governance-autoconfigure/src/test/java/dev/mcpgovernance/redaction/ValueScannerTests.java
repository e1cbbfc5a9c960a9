package dev.mcpgovernance.redaction;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pre-checks that let most strings skip a detector's regular expression must never skip a string
 * the detector would change. Checked over a corpus of edge cases (each value alone, at either end of a
 * string, at the minimum length a detector accepts, one digit short of it, in unicode and very long
 * text) and of seeded random strings built from pieces of sensitive values, mutated.
 */
class ValueScannerTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final List<String> CORPUS = new ArrayList<>();

	/** The default redactor, which pre-checks its detectors. */
	private final Redactor redactor = Redactor.withDefaults();

	/**
	 * The same patterns, but copies that the scanner cannot recognise as built-in detectors, so every
	 * regular expression runs on every string: what redaction did before the pre-checks.
	 */
	private final Redactor withoutPreChecks = new Redactor(SensitiveKeys.of(SensitiveKeys.DEFAULTS),
			List.of(Detector.values()).stream().map(ValueScannerTests::copyOf).toList(), JSON);

	@BeforeAll
	static void buildCorpus() {
		List<String> values = List.of(
				// the shortest value each detector accepts, and values one character short
				"a@b.cc", "a@b.c", "a@bcc", "ab.cc", "4222222222222", "422222222222", "123-45-6789", "123-45-678",
				"12345-6789", "+12345678", "+1234567", "+1 (2) 345678", "(415) 555-2671", "415-555-2671",
				"415.555.2671", "415 555 2671", "41-5555-2671",
				// common formats
				"alice.smith+orders@example.co.uk", "x@example.com", "4111111111111111", "4111 1111 1111 1111",
				"4111-1111-1111-1111", "3782 822463 10005", "6011-0009-9013-9424", "5500 0000 0000 0004",
				"+44 20 7946 0958", "+49 (30) 123456", "+1 415 555 2671", "+14155552671",
				// look-alikes
				"4111111111111112", "1718000000000", "2024-01-15", "2024-01-15T10:00:00Z", "10.0.0.1", "v1.2.3",
				"000-12-3456", "666-12-3456", "123-00-4567", "123-45-0000", "4155552671", "123-456-7890", "a@b",
				"user@localhost", "@example.com", "x@.com");
		for (String value : values) {
			CORPUS.add(value);
			CORPUS.add("see " + value);
			CORPUS.add(value + " ok");
			CORPUS.add("(" + value + ")");
			CORPUS.add("é " + value + " 日本");
			CORPUS.add("😀" + value + "😀");
			CORPUS.add("x".repeat(5_000) + " " + value);
			CORPUS.add(value + " " + "lorem ipsum ".repeat(500));
			CORPUS.add(value + "," + value);
		}
		// Digits and signs that look like ASCII ones but are not what \d, '@' or '+' match.
		CORPUS.addAll(List.of("", " ", "٤١١١١١١١١١١١١١١١", "４１１１１１１１１１１１１１１１", "alice＠example.com",
				"＋44 20 7946 0958", "１２３-４５-６７８９", "e\u0301@example.com", "\u00A0x@example.com\u00A0"));
		Random random = new Random(20261204L);
		for (int i = 0; i < 20_000; i++) {
			CORPUS.add(randomText(random));
		}
	}

	@Test
	void noPreCheckRulesOutAStringItsDetectorChanges() {
		Map<Detector, Integer> changed = new EnumMap<>(Detector.class);
		Map<Detector, Integer> skipped = new EnumMap<>(Detector.class);
		for (String text : CORPUS) {
			TextTraits traits = TextTraits.of(text);
			for (Detector detector : Detector.values()) {
				boolean mayOccur = detector.mayOccurIn(traits);
				if (!detector.pattern().redact(text).equals(text)) {
					assertThat(mayOccur).as("%s pre-check on \"%s\" (%s)", detector, text, traits).isTrue();
					changed.merge(detector, 1, Integer::sum);
				}
				if (!mayOccur) {
					skipped.merge(detector, 1, Integer::sum);
				}
			}
		}
		// The corpus is only a proof if every detector both finds values in it and is skipped on it.
		for (Detector detector : Detector.values()) {
			assertThat(changed.getOrDefault(detector, 0)).as("strings %s changes", detector).isGreaterThan(1_000);
			assertThat(skipped.getOrDefault(detector, 0)).as("strings %s skips", detector).isGreaterThan(1_000);
		}
	}

	@Test
	void textIsRedactedExactlyAsByEveryPatternInTurn() {
		for (String text : CORPUS) {
			String expected = text;
			for (Detector detector : Detector.values()) {
				expected = detector.pattern().redact(expected);
			}
			String redacted = this.redactor.redactText(text);

			if (!text.startsWith("{") && !text.startsWith("[")) {
				assertThat(redacted).as("\"%s\"", text).isEqualTo(expected);
			}
			assertThat(redacted).isEqualTo(this.withoutPreChecks.redactText(text));
			if (expected.equals(text)) {
				assertThat(redacted).isSameAs(text);
			}
		}
	}

	@Test
	void jsonTreesAndJavaValuesAreRedactedAsWithoutPreChecks() throws Exception {
		Random random = new Random(42L);
		for (int i = 0; i + 3 < CORPUS.size(); i += 4) {
			// Corpus strings as keys and values, nested, as a number where they are digits, and as JSON text.
			ObjectNode tree = JsonNodeFactory.instance.objectNode();
			tree.put(CORPUS.get(i), CORPUS.get(i + 1));
			tree.putObject("nested").putArray(CORPUS.get(i + 2)).add(CORPUS.get(i + 3)).addObject().put("note", CORPUS.get(i));
			String digits = CORPUS.get(i + 1).replaceAll("\\D", "");
			if (!digits.isEmpty() && digits.length() <= 18) {
				tree.put("n", Long.parseLong(digits));
			}
			tree.put("json", JSON.writeValueAsString(Map.of("inner", CORPUS.get(i + 2))));
			Map<String, Object> map = new LinkedHashMap<>();
			map.put(CORPUS.get(i + 3), List.of(CORPUS.get(i), Map.of("k" + random.nextInt(10), CORPUS.get(i + 2))));
			map.put("password", CORPUS.get(i + 1));

			assertThat(this.redactor.redact(tree)).isEqualTo(this.withoutPreChecks.redact(tree));
			assertThat(this.redactor.redactText(JSON.writeValueAsString(tree)))
				.isEqualTo(this.withoutPreChecks.redactText(JSON.writeValueAsString(tree)));
			assertThat(this.redactor.redact(map)).isEqualTo(this.withoutPreChecks.redact(map));
		}
	}

	@Test
	void aDetectorSeesTheTextAsAnEarlierPatternLeftIt() {
		// The original text has no '@'; the first pattern's replacement brings one in.
		Redactor redactor = new Redactor(SensitiveKeys.of(List.of()),
				List.of(ValuePattern.of("x@example.com", Pattern.compile(" at ")), Detector.EMAIL.pattern()), JSON);

		assertThat(redactor.redactText("write to alice at home")).isEqualTo("write to alice[REDACTED:[REDACTED:email]]home");
	}

	@Test
	void keysAreJudgedAlikeEveryTimeTheyAreMet() {
		Map<String, Object> input = Map.of("customer_note", "likes cats", "alice@example.com", 1, "api_key", "k-1");

		for (int i = 0; i < 3; i++) {
			JsonNode redacted = this.redactor.redact(input);
			assertThat(redacted.get("customer_note").asString()).isEqualTo("likes cats");
			assertThat(redacted.has("alice@example.com")).isFalse();
			assertThat(redacted.get("[REDACTED:email]").asInt()).isEqualTo(1);
			assertThat(redacted.get("api_key").asString()).isEqualTo(Redactor.REDACTED);
		}
		// A key the parent judged harmless is sensitive for a derived redactor.
		assertThat(this.redactor.withAdditionalKeys(List.of("customer_note")).redact(input).get("customer_note").asString())
			.isEqualTo(Redactor.REDACTED);
	}

	@Test
	void aKeyMetBeforeStillGoesThroughPatternsWhoseCheckChanges() {
		Set<String> blocked = ConcurrentHashMap.newKeySet();
		Redactor redactor = new Redactor(SensitiveKeys.of(SensitiveKeys.DEFAULTS),
				List.of(new ValuePattern("customer", Pattern.compile("C-\\d+"), blocked::contains)), JSON);
		Map<String, Object> byCustomer = Map.of("C-17", "gold");

		assertThat(redactor.redact(byCustomer).has("C-17")).isTrue();
		blocked.add("C-17");
		assertThat(redactor.redact(byCustomer).has("C-17")).isFalse();
		assertThat(redactor.redact(byCustomer).get("[REDACTED:customer]").asString()).isEqualTo("gold");
	}

	@Test
	void keysBeyondThoseRememberedAreStillJudged() {
		Map<String, Object> many = new LinkedHashMap<>();
		for (int i = 0; i < 3_000; i++) {
			many.put("field_" + i, "v");
			many.put("k" + i + "_token", "secret-" + i);
		}
		many.put("x".repeat(100) + "_password", "long-key-secret");

		JsonNode redacted = this.redactor.redact(many);
		JsonNode again = this.redactor.redact(many);

		assertThat(again).isEqualTo(redacted);
		assertThat(redacted.get("field_2999").asString()).isEqualTo("v");
		assertThat(redacted.get("k2999_token").asString()).isEqualTo(Redactor.REDACTED);
		assertThat(redacted.get("x".repeat(100) + "_password").asString()).isEqualTo(Redactor.REDACTED);
	}

	private static ValuePattern copyOf(Detector detector) {
		ValuePattern pattern = detector.pattern();
		return new ValuePattern(pattern.name(), pattern.pattern(), pattern.check());
	}

	private static final String[] PIECES = { " ", "-", ".", "+", "(", ")", "@", ",", "_", "/", ":", "\n", "é", "日本", "😀",
			"٣", "３", "＠", "\u00A0", "e\u0301", "order", "call", "SKU", "tok", "example", "com", "{", "}", "\"" };

	/** A few pieces: runs of digits (often passing Luhn), e-mail and phone shapes, separators, unicode. */
	private static String randomText(Random random) {
		StringBuilder text = new StringBuilder();
		int pieces = 1 + random.nextInt(6);
		for (int p = 0; p < pieces; p++) {
			switch (random.nextInt(7)) {
				case 0 -> text.append(digits(random, 1 + random.nextInt(20)));
				case 1 -> text.append(grouped(luhn(random, 12 + random.nextInt(9)), random));
				case 2 -> text.append(ssn(random));
				case 3 -> text.append(phone(random));
				case 4 -> text.append(email(random));
				default -> text.append(PIECES[random.nextInt(PIECES.length)]);
			}
		}
		// Break the shapes now and then: one character dropped or one inserted.
		if (random.nextInt(3) == 0 && text.length() > 1) {
			text.deleteCharAt(random.nextInt(text.length()));
		}
		if (random.nextInt(3) == 0) {
			text.insert(random.nextInt(text.length() + 1), PIECES[random.nextInt(PIECES.length)]);
		}
		return text.toString();
	}

	private static String digits(Random random, int length) {
		StringBuilder digits = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			digits.append((char) ('0' + random.nextInt(10)));
		}
		return digits.toString();
	}

	/** Digits whose last one makes them pass the Luhn check, starting 2 to 6 as card numbers do. */
	private static String luhn(Random random, int length) {
		String body = (char) ('2' + random.nextInt(5)) + digits(random, length - 2);
		for (char check = '0'; check <= '9'; check++) {
			if (Luhn.isValid(body + check)) {
				return body + check;
			}
		}
		throw new IllegalStateException("one of ten check digits always fits");
	}

	private static String grouped(String digits, Random random) {
		if (random.nextBoolean()) {
			return digits;
		}
		String separator = random.nextBoolean() ? " " : "-";
		StringBuilder grouped = new StringBuilder();
		int i = 0;
		while (i < digits.length()) {
			int group = Math.min(digits.length() - i, 3 + random.nextInt(4));
			grouped.append((i > 0) ? separator : "").append(digits, i, i + group);
			i += group;
		}
		return grouped.toString();
	}

	private static String ssn(Random random) {
		return digits(random, 3) + "-" + digits(random, 2) + "-" + digits(random, 4);
	}

	private static String phone(Random random) {
		return switch (random.nextInt(4)) {
			case 0 -> "+" + (1 + random.nextInt(9)) + digits(random, random.nextInt(3)) + " " + digits(random, 2 + random.nextInt(4))
					+ " " + digits(random, 3 + random.nextInt(4));
			case 1 -> "(" + (2 + random.nextInt(8)) + digits(random, 2) + ") " + (2 + random.nextInt(8)) + digits(random, 2) + "-"
					+ digits(random, 4);
			case 2 -> {
				String separator = String.valueOf("-. ".charAt(random.nextInt(3)));
				yield (2 + random.nextInt(8)) + digits(random, 2) + separator + (2 + random.nextInt(8)) + digits(random, 2)
						+ separator + digits(random, 4);
			}
			default -> "+" + digits(random, 7 + random.nextInt(9));
		};
	}

	private static String email(Random random) {
		String[] locals = { "a", "alice.smith", "x+y", "bob_1", "é", "a%b" };
		String[] domains = { "b.cc", "example.com", "mail.example.co.uk", "localhost", "ex-ample.org", "x.c" };
		return locals[random.nextInt(locals.length)] + "@" + domains[random.nextInt(domains.length)];
	}

}
