package dev.mcpgovernance.redaction;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTests {

	private static final String EMAIL = "alice.smith+orders@example.co.uk";

	private static final String CARD = "4111111111111111";

	private static final String SSN = "123-45-6789";

	private static final String PHONE = "+44 20 7946 0958";

	private static final String PASSWORD = "hunter2-correct-horse";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Redactor redactor = Redactor.withDefaults();

	/** Fails when any of the secrets survived anywhere in the serialized tree. */
	private static void assertNothingLeaks(JsonNode redacted, String... secrets) throws Exception {
		String json = JSON.writeValueAsString(redacted);
		for (String secret : secrets) {
			assertThat(json).as("serialized redaction").doesNotContain(secret);
		}
	}

	@Nested
	class SensitiveKeysAtAnyDepth {

		@Test
		void nestedMapsInListsInMaps() throws Exception {
			Map<String, Object> input = Map.of("orders", List.of(Map.of("id", "ord_1", "customer",
					Map.of("name", "Alice", "contact", List.of(Map.of("password", PASSWORD, "api_key", "k-42-secret"))))));

			JsonNode redacted = Redactor.withDefaults().redact(input);

			assertNothingLeaks(redacted, PASSWORD, "k-42-secret");
			JsonNode contact = redacted.at("/orders/0/customer/contact/0");
			assertThat(contact.get("password").asString()).isEqualTo(Redactor.REDACTED);
			assertThat(contact.get("api_key").asString()).isEqualTo(Redactor.REDACTED);
			assertThat(redacted.at("/orders/0/id").asString()).isEqualTo("ord_1");
			assertThat(redacted.at("/orders/0/customer/name").asString()).isEqualTo("Alice");
		}

		@ParameterizedTest
		@ValueSource(strings = { "PassWord", "PASSWORD", "ACCESS_TOKEN", "refresh_token", "accessToken", "clientSecret",
				"DB_PASSWORD_OLD", "Authorization", "X-Api-Key", "Email", "SSN", "card_number", "cardNumber",
				"github_token" })
		void keysInAnyCase(String key) throws Exception {
			JsonNode redacted = RedactorTests.this.redactor.redact(Map.of(key, "v4lue-that-must-go", "status", "ok"));

			assertNothingLeaks(redacted, "v4lue-that-must-go");
			assertThat(redacted.get("status").asString()).isEqualTo("ok");
		}

		@ParameterizedTest
		@ValueSource(strings = { "id", "name", "status", "tokenizer", "total", "description", "emailVerified" })
		void ordinaryKeysStay(String key) {
			assertThat(RedactorTests.this.redactor.redact(Map.of(key, "plain value")).get(key).asString())
				.isEqualTo("plain value");
		}

		@Test
		void wholeObjectsAndNumbersUnderASensitiveKeyGo() throws Exception {
			JsonNode redacted = RedactorTests.this.redactor
				.redact(Map.of("credentials", Map.of("user", "bob", "pin", 1234), "ssn", 123456789));

			assertThat(redacted.get("credentials").asString()).isEqualTo(Redactor.REDACTED);
			assertThat(redacted.get("ssn").asString()).isEqualTo(Redactor.REDACTED);
			assertNothingLeaks(redacted, "bob", "123456789");
		}

		@Test
		void recordsAndPojos() throws Exception {
			Customer customer = new Customer("c_1", new Contact(EMAIL, "(415) 555-2671"), "s3cr3t-pw");
			Account account = new Account();
			account.setOwner(customer);
			account.setAccessToken("tok-abcdef");

			JsonNode redacted = RedactorTests.this.redactor.redact(account);

			assertNothingLeaks(redacted, EMAIL, "555-2671", "s3cr3t-pw", "tok-abcdef", "ignored-by-jackson");
			assertThat(redacted.at("/owner/id").asString()).isEqualTo("c_1");
			assertThat(redacted.has("internalNote")).isFalse();
		}

		@Test
		void arraysOfObjectsAndPrimitives() throws Exception {
			Object[] rows = { Map.of("token", "t-1-secret"), new Contact(EMAIL, null), new long[] { 4111111111111111L, 42 } };

			JsonNode redacted = RedactorTests.this.redactor.redact(rows);

			assertNothingLeaks(redacted, "t-1-secret", EMAIL, CARD);
			assertThat(redacted.get(2).get(1).asLong()).isEqualTo(42);
			assertThat(redacted.get(1).get("phone").isNull()).isTrue();
		}

		@Test
		void bytesHoldingText() throws Exception {
			byte[] json = ("{\"user\":{\"Password\":\"" + PASSWORD + "\"},\"note\":\"mail " + EMAIL + "\"}")
				.getBytes(StandardCharsets.UTF_8);
			byte[] text = ("call " + PHONE + " or pay with 4111-1111-1111-1111").getBytes(StandardCharsets.UTF_8);

			JsonNode redacted = RedactorTests.this.redactor.redact(Map.of("body", json, "text", text, "binary",
					new byte[] { (byte) 0xC3, (byte) 0x28, 0x00, (byte) 0xFF }));

			assertNothingLeaks(redacted, PASSWORD, EMAIL, "7946", "4111-1111");
			assertThat(redacted.get("body").asString()).contains("[REDACTED]").contains("[REDACTED:email]");
			assertThat(redacted.get("text").asString()).isEqualTo("call [REDACTED:phone] or pay with [REDACTED:card]");
			assertThat(redacted.get("binary").asString()).isEqualTo("[REDACTED:binary]");
		}

		@Test
		void jsonInsideAStringIsRedactedAsJson() throws Exception {
			String payload = "{\"refresh_token\":\"rt-99-secret\",\"ok\":true}";

			JsonNode redacted = RedactorTests.this.redactor.redact(Map.of("payload", payload));

			assertNothingLeaks(redacted, "rt-99-secret");
			assertThat(JSON.readTree(redacted.get("payload").asString()).get("ok").asBoolean()).isTrue();
		}

		@Test
		void sensitiveValuesUsedAsKeys() throws Exception {
			JsonNode redacted = RedactorTests.this.redactor
				.redact(Map.of(EMAIL, 3, "bob@example.org", 4, "plain", 5));

			assertNothingLeaks(redacted, EMAIL, "bob@example.org");
			assertThat(redacted.size()).isEqualTo(3);
			assertThat(redacted.get("plain").asInt()).isEqualTo(5);
		}

	}

	@Nested
	class ValuePatterns {

		@ParameterizedTest
		@ValueSource(strings = { "4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111",
				"5500 0000 0000 0004", "3782 822463 10005", "378282246310005", "6011-0009-9013-9424" })
		void cardNumbersInAnyCommonFormat(String card) {
			assertThat(RedactorTests.this.redactor.redactText("paid with " + card + ", thanks"))
				.isEqualTo("paid with [REDACTED:card], thanks");
		}

		@ParameterizedTest
		@ValueSource(strings = { "4111111111111112", "1718000000000", "1718000000000123", "12345678",
				"9780306406157", "2024-01-15", "v1.2.3", "order 20240115 item 17" })
		void numbersThatAreNoCardStay(String text) {
			assertThat(RedactorTests.this.redactor.redactText(text)).isSameAs(text);
		}

		@Test
		void cardNumberStoredAsANumber() throws Exception {
			JsonNode redacted = RedactorTests.this.redactor.redact(JSON.readTree("{\"pay\":4111111111111111,\"n\":4111111111111112}"));

			assertThat(redacted.get("pay").asString()).isEqualTo("[REDACTED:card]");
			assertThat(redacted.get("n").asLong()).isEqualTo(4111111111111112L);
		}

		@ParameterizedTest
		@ValueSource(strings = { "+14155552671", "+1 415 555 2671", "+44 20 7946 0958", "+49 (30) 123456",
				"(415) 555-2671", "415-555-2671", "415.555.2671", "415 555 2671" })
		void phoneNumbers(String phone) {
			assertThat(RedactorTests.this.redactor.redactText("call " + phone + " today"))
				.isEqualTo("call [REDACTED:phone] today");
		}

		@ParameterizedTest
		@ValueSource(strings = { "4155552671", "10.0.0.1", "192.168.100.200", "version 2.415.555", "+1", "+12 34",
				"2024-01-15T10:00:00Z", "tel 123-456-7890" })
		void phoneLookalikesStay(String text) {
			assertThat(RedactorTests.this.redactor.redactText(text)).isSameAs(text);
		}

		@Test
		void emailsAndSsns() {
			assertThat(RedactorTests.this.redactor.redactText("From " + EMAIL + ", SSN " + SSN + "."))
				.isEqualTo("From [REDACTED:email], SSN [REDACTED:ssn].");
			assertThat(RedactorTests.this.redactor.redactText("build 000-12-3456 and a@b")).isEqualTo("build 000-12-3456 and a@b");
		}

		@Test
		void userPatternsAndTheirNames() {
			Redactor custom = new Redactor(SensitiveKeys.of(List.of()),
					List.of(ValuePattern.of("employee-id", Pattern.compile("EMP-\\d{6}")),
							ValuePattern.of("only-empty-matches", Pattern.compile("z*"))),
					new ObjectMapper());

			assertThat(custom.redactText("by EMP-004211 on 2024")).isEqualTo("by [REDACTED:employee-id] on 2024");
			assertThat(custom.redactText("password " + EMAIL)).isEqualTo("password " + EMAIL);
		}

		@Test
		void redactingTwiceChangesNothingMore() {
			String once = RedactorTests.this.redactor.redactText("mail " + EMAIL + " card " + CARD + " ssn " + SSN);

			assertThat(RedactorTests.this.redactor.redactText(once)).isSameAs(once);
		}

	}

	@Nested
	class SafeToCall {

		@Test
		void selfReferencingMapAndListEndWithoutOverflow() throws Exception {
			Map<String, Object> map = new HashMap<>();
			List<Object> list = new ArrayList<>();
			map.put("self", map);
			map.put("list", list);
			map.put("email", EMAIL);
			list.add(list);
			list.add(map);
			list.add("pay " + CARD);

			JsonNode redacted = RedactorTests.this.redactor.redact(map);

			assertNothingLeaks(redacted, EMAIL, CARD);
			assertThat(redacted.get("self").asString()).isEqualTo("[REDACTED:cycle]");
			assertThat(redacted.at("/list/0").asString()).isEqualTo("[REDACTED:cycle]");
			assertThat(redacted.at("/list/1").asString()).isEqualTo("[REDACTED:cycle]");
			assertThat(redacted.at("/list/2").asString()).isEqualTo("pay [REDACTED:card]");
		}

		@Test
		void cyclicBeanEnds() throws Exception {
			Node a = new Node();
			Node b = new Node();
			a.setNext(b);
			b.setNext(a);
			a.setSecret("cycle-secret");

			JsonNode redacted = RedactorTests.this.redactor.redact(a);

			assertNothingLeaks(redacted, "cycle-secret");
			assertThat(redacted.at("/next/next").asString()).isEqualTo("[REDACTED:cycle]");
		}

		@Test
		void sharedButAcyclicValuesAreRedactedInBothPlaces() throws Exception {
			Map<String, Object> shared = Map.of("password", PASSWORD, "kind", "shared");

			JsonNode redacted = RedactorTests.this.redactor.redact(List.of(shared, shared));

			assertNothingLeaks(redacted, PASSWORD);
			assertThat(redacted.at("/0/kind").asString()).isEqualTo("shared");
			assertThat(redacted.at("/1/kind").asString()).isEqualTo("shared");
		}

		@Test
		void veryDeepNestingIsCutNotOverflowed() throws Exception {
			Map<String, Object> root = new LinkedHashMap<>();
			Map<String, Object> current = root;
			for (int i = 0; i < 100_000; i++) {
				Map<String, Object> next = new LinkedHashMap<>();
				current.put("n", next);
				current = next;
			}
			current.put("email", EMAIL);

			JsonNode redacted = RedactorTests.this.redactor.redact(root);

			assertThat(redacted.toString()).contains("[REDACTED:too-deep]").doesNotContain(EMAIL);
		}

		@Test
		void theOriginalIsUnchanged() throws Exception {
			Map<String, Object> inner = new LinkedHashMap<>(Map.of("password", PASSWORD, "email", EMAIL));
			List<Object> rows = new ArrayList<>(List.of(inner, "card " + CARD));
			Map<String, Object> input = new LinkedHashMap<>(Map.of("rows", rows));
			String before = JSON.writeValueAsString(input);
			JsonNode tree = JSON.readTree(before);

			RedactorTests.this.redactor.redact(input);
			JsonNode redactedTree = RedactorTests.this.redactor.redact(tree);

			assertThat(JSON.writeValueAsString(input)).isEqualTo(before);
			assertThat(JSON.writeValueAsString(tree)).isEqualTo(before);
			assertThat(redactedTree).isNotSameAs(tree);
			assertNothingLeaks(redactedTree, PASSWORD, EMAIL, CARD);
		}

		@Test
		void cleanTreesComeBackAsTheSameInstance() throws Exception {
			JsonNode clean = JSON.readTree("{\"id\":\"ord_1\",\"items\":[{\"sku\":\"A-1\",\"qty\":2}],\"total\":12.5}");
			String cleanText = "{\"id\": \"ord_1\",   \"note\": \"spacing kept\"}";

			assertThat(RedactorTests.this.redactor.redact(clean)).isSameAs(clean);
			assertThat(RedactorTests.this.redactor.redactText(cleanText)).isSameAs(cleanText);
		}

		@Test
		void additionalKeysApplyOnlyToTheDerivedRedactor() {
			Redactor perTool = RedactorTests.this.redactor.withAdditionalKeys(List.of("customer_note", "*_internal"));
			Map<String, Object> input = Map.of("customer_note", "likes cats", "Margin_INTERNAL", 0.3, "id", "o1");

			assertThat(perTool.redact(input).get("customer_note").asString()).isEqualTo(Redactor.REDACTED);
			assertThat(perTool.redact(input).get("Margin_INTERNAL").asString()).isEqualTo(Redactor.REDACTED);
			assertThat(perTool.redact(input).get("id").asString()).isEqualTo("o1");
			assertThat(RedactorTests.this.redactor.redact(input).get("customer_note").asString()).isEqualTo("likes cats");
		}

		@Test
		void usesTheGivenObjectMapperForScalars() {
			Redactor redactor = new Redactor(SensitiveKeys.of(SensitiveKeys.DEFAULTS), List.of(),
					JsonMapper.builder().findAndAddModules().disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS).build());

			assertThat(redactor.redact(Map.of("on", LocalDate.of(2024, 1, 15))).get("on").asString())
				.isEqualTo("2024-01-15");
		}

	}

	record Contact(String email, String phone) {
	}

	record Customer(String id, Contact contact, String password) {
	}

	static class Account {

		private Customer owner;

		private String accessToken;

		public Customer getOwner() {
			return this.owner;
		}

		public void setOwner(Customer owner) {
			this.owner = owner;
		}

		public String getAccessToken() {
			return this.accessToken;
		}

		public void setAccessToken(String accessToken) {
			this.accessToken = accessToken;
		}

		@JsonIgnore
		public String getInternalNote() {
			return "ignored-by-jackson";
		}

	}

	static class Node {

		private Node next;

		private String secret;

		public Node getNext() {
			return this.next;
		}

		public void setNext(Node next) {
			this.next = next;
		}

		public String getSecret() {
			return this.secret;
		}

		public void setSecret(String secret) {
			this.secret = secret;
		}

	}

}
