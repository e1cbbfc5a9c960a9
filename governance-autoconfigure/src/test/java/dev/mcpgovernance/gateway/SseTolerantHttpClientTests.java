package dev.mcpgovernance.gateway;

import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SSE body the gateway's MCP client reads: fields the SDK does not know become comments, split
 * across chunks anywhere, and everything else arrives byte for byte.
 */
class SseTolerantHttpClientTests {

	private static String filtered(String... chunks) {
		SseTolerantHttpClient.UnknownFieldsAsComments<String> body = new SseTolerantHttpClient.UnknownFieldsAsComments<>(
				BodySubscribers.ofString(StandardCharsets.UTF_8));
		body.onSubscribe(new Flow.Subscription() {
			@Override
			public void request(long n) {
			}

			@Override
			public void cancel() {
			}
		});
		for (String chunk : chunks) {
			body.onNext(List.of(ByteBuffer.wrap(chunk.getBytes(StandardCharsets.UTF_8))));
		}
		body.onComplete();
		return body.getBody().toCompletableFuture().join();
	}

	@Test
	void retryAndOtherUnknownFieldsBecomeComments() {
		assertThat(filtered("id: 1\nretry: 500\ndata: {\"a\":1}\n\n")).isEqualTo("id: 1\n:retry: 500\ndata: {\"a\":1}\n\n");
		assertThat(filtered("x-trace: 7\r\ndata: é\r\n\r\n")).isEqualTo(":x-trace: 7\r\ndata: é\r\n\r\n");
		// A field name without its colon is not read by the SDK either.
		assertThat(filtered("data\nretry\n")).isEqualTo(":data\n:retry\n");
	}

	@Test
	void knownFieldsCommentsAndEmptyLinesPassUntouched() {
		String stream = "event: message\nid: 3\ndata: {\"retry\":\"data:\"}\n: keep-alive\n\n\r\n";
		assertThat(filtered(stream)).isEqualTo(stream);
	}

	@Test
	void aFieldNameSplitAcrossChunksIsStillRecognized() {
		assertThat(filtered("da", "ta: 1\nre", "try: 9\r", "\nev", "ent: m\n\n")).isEqualTo("data: 1\n:retry: 9\r\nevent: m\n\n");
		assertThat(filtered("data: 1\nret")).isEqualTo("data: 1\n:ret");
	}

}
