package dev.mcpgovernance.scope;

import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ScopeTests {

	@Nested
	class Parsing {

		@Test
		void parsesDomainResourceAndAction() {
			Scope scope = Scope.parse("orders:order:read");

			assertThat(scope).isEqualTo(new Scope("orders", "order", "read"));
			assertThat(scope.hasWildcard()).isFalse();
			assertThat(scope).hasToString("orders:order:read");
		}

		@Test
		void acceptsDigitsDotsDashesAndUnderscoresAfterTheFirstLetter() {
			assertThat(Scope.parse("crm-eu.v2:sales_order:re-open"))
				.isEqualTo(new Scope("crm-eu.v2", "sales_order", "re-open"));
		}

		@Test
		void acceptsWildcardResourceAndAction() {
			Scope scope = Scope.parse("orders:*:*");

			assertThat(scope.resource()).isEqualTo("*");
			assertThat(scope.action()).isEqualTo("*");
			assertThat(scope.hasWildcard()).isTrue();
		}

		@ParameterizedTest
		@ValueSource(strings = { "orders:order", "orders:order:read:extra", "orders::read", ":order:read",
				"orders:order:", "Orders:order:read", "orders:Order:read", "orders:order:READ", "orders: order:read",
				"orders:order:read ", "or ders:order:read", "*:order:read", "orders:ord*:read", "", "1orders:order:read" })
		void refusesMalformedScopesNamingTheText(String text) {
			assertThatExceptionOfType(MalformedScopeException.class).isThrownBy(() -> Scope.parse(text))
				.withMessageContaining("'" + text + "'")
				.satisfies((ex) -> assertThat(ex.scope()).isEqualTo(text));
		}

		@Test
		void explainsThatScopesAreLowerCase() {
			assertThatExceptionOfType(MalformedScopeException.class).isThrownBy(() -> Scope.parse("orders:Order:read"))
				.withMessageContaining("lower case");
		}

		@Test
		void explainsWhichPartIsEmpty() {
			assertThatExceptionOfType(MalformedScopeException.class).isThrownBy(() -> Scope.parse("orders::read"))
				.withMessageContaining("resource is empty");
		}

		@Test
		void refusesNull() {
			assertThatExceptionOfType(MalformedScopeException.class).isThrownBy(() -> Scope.parse(null));
		}

		@Test
		void requiredScopeRefusesWildcards() {
			assertThatExceptionOfType(MalformedScopeException.class)
				.isThrownBy(() -> Scope.required("orders", "*", "read"))
				.withMessageContaining("orders:*:read");
			assertThatExceptionOfType(MalformedScopeException.class)
				.isThrownBy(() -> Scope.required("orders", "order", "*"));
		}

		@Test
		void requiredScopeAcceptsAnExactScope() {
			assertThat(Scope.required("orders", "order", "read")).isEqualTo(Scope.parse("orders:order:read"));
		}

	}

	@Nested
	class Matching {

		private final Scope orderRead = Scope.required("orders", "order", "read");

		private final Scope orderCancel = Scope.required("orders", "order", "cancel");

		@Test
		void exactScopeCoversOnlyItself() {
			assertThat(Scope.parse("orders:order:read").covers(this.orderRead)).isTrue();
			assertThat(Scope.parse("orders:order:read").covers(this.orderCancel)).isFalse();
			assertThat(Scope.parse("orders:invoice:read").covers(this.orderRead)).isFalse();
		}

		@Test
		void wildcardResourceCoversThatActionOnAnyResourceOfTheDomain() {
			Scope granted = Scope.parse("orders:*:read");

			assertThat(granted.covers(this.orderRead)).isTrue();
			assertThat(granted.covers(Scope.required("orders", "invoice", "read"))).isTrue();
			assertThat(granted.covers(this.orderCancel)).isFalse();
			assertThat(granted.covers(Scope.required("billing", "order", "read"))).isFalse();
		}

		@Test
		void wildcardActionCoversEveryActionOnThatResource() {
			Scope granted = Scope.parse("orders:order:*");

			assertThat(granted.covers(this.orderCancel)).isTrue();
			assertThat(granted.covers(this.orderRead)).isTrue();
			assertThat(granted.covers(Scope.required("orders", "invoice", "read"))).isFalse();
		}

		@Test
		void doubleWildcardCoversEveryScopeOfTheDomainOnly() {
			Scope granted = Scope.parse("orders:*:*");

			assertThat(granted.covers(this.orderRead)).isTrue();
			assertThat(granted.covers(Scope.required("orders", "invoice", "delete"))).isTrue();
			assertThat(granted.covers(Scope.required("billing", "invoice", "delete"))).isFalse();
		}

	}

	@Nested
	class Sets {

		@Test
		void parsesSpaceSeparatedScopesIgnoringDuplicatesAndExtraSpaces() {
			ScopeSet set = ScopeSet.parseSpaceSeparated("  orders:order:read   billing:invoice:read orders:order:read  ");

			assertThat(set.scopes()).containsExactlyInAnyOrder(Scope.parse("orders:order:read"),
					Scope.parse("billing:invoice:read"));
		}

		@Test
		void blankOrNullTextIsTheEmptySet() {
			assertThat(ScopeSet.parseSpaceSeparated("   ")).isEqualTo(ScopeSet.EMPTY);
			assertThat(ScopeSet.parseSpaceSeparated(null)).isEqualTo(ScopeSet.EMPTY);
			assertThat(ScopeSet.EMPTY.covers(Scope.required("orders", "order", "read"))).isFalse();
		}

		@Test
		void oneMalformedScopeFailsTheWholeSet() {
			assertThatExceptionOfType(MalformedScopeException.class)
				.isThrownBy(() -> ScopeSet.parse(List.of("orders:order:read", "orders:Order:cancel")))
				.withMessageContaining("orders:Order:cancel");
		}

		@Test
		void coversWhenAnyGrantedScopeCovers() {
			ScopeSet set = ScopeSet.parseSpaceSeparated("billing:invoice:read orders:*:read");

			assertThat(set.covers(Scope.required("orders", "order", "read"))).isTrue();
			assertThat(set.covers(Scope.required("billing", "invoice", "read"))).isTrue();
			assertThat(set.covers(Scope.required("orders", "order", "cancel"))).isFalse();
			assertThat(set.covers(Scope.required("billing", "invoice", "pay"))).isFalse();
		}

		@Test
		void writesScopesSpaceSeparatedInSortedOrder() {
			ScopeSet set = ScopeSet.parse(List.of("orders:order:read", "billing:invoice:read", "orders:*:cancel"));

			assertThat(set.toSpaceSeparated()).isEqualTo("billing:invoice:read orders:*:cancel orders:order:read");
		}

		@Test
		void spaceSeparatedFormRoundTrips() {
			ScopeSet set = ScopeSet.parse(List.of("orders:order:read", "billing:*:*"));

			assertThat(ScopeSet.parseSpaceSeparated(set.toSpaceSeparated())).isEqualTo(set);
		}

	}

}
