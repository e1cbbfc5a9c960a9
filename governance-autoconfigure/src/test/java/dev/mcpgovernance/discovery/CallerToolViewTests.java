package dev.mcpgovernance.discovery;

import java.util.concurrent.atomic.AtomicReference;

import io.modelcontextprotocol.spec.McpSchema.Implementation;
import io.modelcontextprotocol.spec.McpSchema.InitializeResult;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The initialize answer's instructions: the server's own, then the upstreams', then progressive discovery's. */
class CallerToolViewTests {

	private final AtomicReference<String> upstreams = new AtomicReference<>();

	@Test
	void progressiveModeComposesTheServersTheUpstreamsAndTheDiscoveryInstructionsInThatOrder() {
		this.upstreams.set("Upstreams: crm");
		InitializeResult result = view(DiscoveryMode.PROGRESSIVE).withInstructions(initialize("Own words."));

		assertThat(result.instructions()).isEqualTo("Own words.\n\nUpstreams: crm\n\nDiscover on demand.");
		assertThat(result.serverInfo().name()).isEqualTo("test-server");
	}

	@Test
	void eachInitializeAsksAgainSoRunTimeChangesReachNewSessions() {
		CallerToolView view = view(DiscoveryMode.DIRECT);
		this.upstreams.set("Upstreams: crm");
		assertThat(view.withInstructions(initialize(null)).instructions()).isEqualTo("Upstreams: crm");

		this.upstreams.set("Upstreams: crm, faq");
		assertThat(view.withInstructions(initialize(null)).instructions()).isEqualTo("Upstreams: crm, faq");
	}

	@Test
	void withNothingToAddTheAnswerIsLeftAlone() {
		InitializeResult own = initialize("Own words.");
		InitializeResult none = initialize(null);

		assertThat(view(DiscoveryMode.DIRECT).withInstructions(own)).isSameAs(own);
		assertThat(view(DiscoveryMode.DIRECT).withInstructions(none)).isSameAs(none);
	}

	private CallerToolView view(DiscoveryMode mode) {
		return new CallerToolView(null, mode, () -> "Discover on demand.", this.upstreams::get, null, null);
	}

	private static InitializeResult initialize(String instructions) {
		return new InitializeResult("2025-06-18", ServerCapabilities.builder().build(),
				new Implementation("test-server", "1.0"), instructions);
	}

}
