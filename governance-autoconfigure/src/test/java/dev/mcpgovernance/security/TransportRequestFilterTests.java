package dev.mcpgovernance.security;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transport check remembers the last {@code Accept} values and {@code Content-Type} it passed, so
 * that a client sending the same ones on every request is not parsed again: what it remembers must
 * never let a different header through, on the same filter, in any order.
 */
class TransportRequestFilterTests {

	private static final String BOTH = "application/json, text/event-stream";

	private final TransportRequestFilter filter = new TransportRequestFilter(new McpEndpoints(List.of("/mcp"), "/mcp",
			Map.of("/mcp", Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE))));

	@Test
	void anAcceptRememberedDoesNotLetAnotherThrough() throws Exception {
		assertThat(post("application/json", BOTH).passed()).isTrue();
		assertThat(post("application/json", "application/json").status()).isEqualTo(406);
		assertThat(post("application/json", "text/event-stream").status()).isEqualTo(406);
		assertThat(post("application/json", "text/;;==, application/json").status()).isEqualTo(406);
		assertThat(post("application/json", BOTH + ", " + "x/y;q=0.1, ".repeat(450)).status()).isEqualTo(406);
		assertThat(post("application/json", BOTH).passed()).isTrue();
		// The refusal is not remembered either: the same values are checked again, and refused again.
		assertThat(post("application/json", "application/json").status()).isEqualTo(406);
	}

	@Test
	void theSameTypesOnTwoHeaderLinesAreParsedAndPass() throws Exception {
		assertThat(post("application/json", BOTH).passed()).isTrue();
		Result split = post("application/json", "application/json", "text/event-stream");
		assertThat(split.passed()).isTrue();
		assertThat(split.acceptAttribute()).containsExactly(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM);
	}

	@Test
	void aContentTypeRememberedDoesNotLetAnotherThrough() throws Exception {
		assertThat(post("application/json", BOTH).passed()).isTrue();
		assertThat(post("application/json;charset=ISO-8859-1", BOTH).status()).isEqualTo(415);
		assertThat(post("text/plain", BOTH).status()).isEqualTo(415);
		assertThat(post("application/json;charset=UTF-8", BOTH).passed()).isTrue();
		assertThat(post("application/json", BOTH).passed()).isTrue();
	}

	@Test
	void theAcceptTypesGoToTheRequestEvenWhenRemembered() throws Exception {
		post("application/json", BOTH);
		Result again = post("application/json", BOTH);
		assertThat(again.acceptAttribute()).containsExactly(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM);
	}

	private Result post(String contentType, String... accept) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/mcp");
		request.setContentType(contentType);
		for (String value : accept) {
			request.addHeader("Accept", value);
		}
		request.setContent("{}".getBytes());
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, response, chain);
		return new Result(chain.getRequest() != null, response.getStatus(),
				request.getAttribute(TransportRequestFilter.ACCEPT_ATTRIBUTE));
	}

	private record Result(boolean passed, int status, Object accept) {

		@SuppressWarnings("unchecked")
		List<MediaType> acceptAttribute() {
			return (List<MediaType>) this.accept;
		}

	}

}
