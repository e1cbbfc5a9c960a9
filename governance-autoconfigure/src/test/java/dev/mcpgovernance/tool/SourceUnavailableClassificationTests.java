package dev.mcpgovernance.tool;

import java.io.UncheckedIOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How "no source answered" reaches the caller: source_unavailable, with nothing internal in it. */
class SourceUnavailableClassificationTests {

	private final ToolErrorClassifier classifier = new ToolErrorClassifier();

	@Test
	void sourceUnavailableExceptionBecomesSourceUnavailableWithoutItsMessage() {
		ToolError error = this.classifier.classify(
				new SourceUnavailableException("No data adapter of group 'orders-db.internal' answered"), "get_order",
				"req-1");

		assertThat(error.code()).isEqualTo(ToolErrorCode.SOURCE_UNAVAILABLE);
		assertThat(error.message()).doesNotContain("orders-db");
		assertThat(error.details()).isEmpty();
	}

	@Test
	void aKnownRetryAfterIsRoundedUpToWholeSeconds() {
		ToolError error = this.classifier.classify(new SourceUnavailableException("down", Duration.ofMillis(12_300)),
				"get_order", "req-1");

		assertThat(error.details()).isEqualTo(Map.of("retry_after_s", 13L));
	}

	@Test
	void theToolsOwnExceptionCountsAlsoWhenWrapped() {
		List<Class<? extends Throwable>> declared = List.of(UncheckedIOException.class);
		Throwable wrapped = new UndeclaredThrowableException(new UncheckedIOException(new java.io.IOException("x")));

		assertThat(this.classifier.classify(wrapped, "get_order", "req-1", declared).code())
			.isEqualTo(ToolErrorCode.SOURCE_UNAVAILABLE);
		// Without the declaration it is an internal error like any other failure.
		assertThat(this.classifier.classify(wrapped, "get_order", "req-1").code()).isEqualTo(ToolErrorCode.INTERNAL_ERROR);
	}

	@Test
	void theAnnotationReachesThePolicy() throws NoSuchMethodException {
		GovernedTool annotation = dev.mcpgovernance.testapp.CatalogTools.class.getMethod("getPrice", String.class)
			.getAnnotation(GovernedTool.class);

		assertThat(annotation.sourceUnavailable()).containsExactly(dev.mcpgovernance.testapp.CatalogTools.PricingDown.class);
		ToolPolicy legacy = new ToolPolicy("t", dev.mcpgovernance.scope.Scope.parse("a:b:c"), true, "X#t");
		assertThat(legacy.sourceUnavailable()).isEmpty();
	}

}
