package dev.mcpgovernance.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The JDK HTTP client the gateway's MCP clients send through, changed in one way: in a
 * {@code text/event-stream} answer, a line whose field the MCP Java SDK does not know (such as
 * {@code retry: 1000}) reaches the SDK as a comment line ({@code :retry: 1000}).
 *
 * <p>Why: the SDK's SSE parser (2.0.1) fails the whole answer on any field but {@code data},
 * {@code id} and {@code event} (modelcontextprotocol/java-sdk#1047), although the SSE standard says
 * a client ignores fields it does not know, and servers built on the other SDKs, the MCP conformance
 * suite's reference server among them, send {@code retry:} with every answer. Such an upstream could
 * not even be listed. Comment lines are what the SDK already skips, so turning unknown fields into
 * comments is the standard's behaviour without touching the SDK. Remove this class once the SDK
 * ignores unknown fields itself.
 */
final class SseTolerantHttpClient extends HttpClient {

	private final HttpClient delegate;

	private SseTolerantHttpClient(HttpClient delegate) {
		this.delegate = delegate;
	}

	/** A builder like the SDK transports' default (HTTP/1.1), building this client. */
	static HttpClient.Builder builder() {
		return new Builder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1));
	}

	@Override
	public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
			throws IOException, InterruptedException {
		return this.delegate.send(request, tolerant(handler));
	}

	@Override
	public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
		return this.delegate.sendAsync(request, tolerant(handler));
	}

	@Override
	public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler,
			PushPromiseHandler<T> pushPromiseHandler) {
		return this.delegate.sendAsync(request, tolerant(handler), pushPromiseHandler);
	}

	private static <T> BodyHandler<T> tolerant(BodyHandler<T> handler) {
		return (info) -> isEventStream(info) ? new UnknownFieldsAsComments<>(handler.apply(info)) : handler.apply(info);
	}

	private static boolean isEventStream(ResponseInfo info) {
		return info.headers()
			.firstValue("Content-Type")
			.map((type) -> type.toLowerCase(Locale.ROOT).contains("text/event-stream"))
			.orElse(false);
	}

	@Override
	public Optional<CookieHandler> cookieHandler() {
		return this.delegate.cookieHandler();
	}

	@Override
	public Optional<Duration> connectTimeout() {
		return this.delegate.connectTimeout();
	}

	@Override
	public Redirect followRedirects() {
		return this.delegate.followRedirects();
	}

	@Override
	public Optional<ProxySelector> proxy() {
		return this.delegate.proxy();
	}

	@Override
	public SSLContext sslContext() {
		return this.delegate.sslContext();
	}

	@Override
	public SSLParameters sslParameters() {
		return this.delegate.sslParameters();
	}

	@Override
	public Optional<Authenticator> authenticator() {
		return this.delegate.authenticator();
	}

	@Override
	public Version version() {
		return this.delegate.version();
	}

	@Override
	public Optional<Executor> executor() {
		return this.delegate.executor();
	}

	@Override
	public WebSocket.Builder newWebSocketBuilder() {
		return this.delegate.newWebSocketBuilder();
	}

	/**
	 * Passes an SSE body through, writing {@code :} before each line whose field is not one the SDK
	 * knows. A field name is decided on its first bytes ({@code event:} is the longest), so only
	 * those wait for the next chunk; every chunk in is one chunk out, and the demand stays the
	 * downstream's. Field names are ASCII, and no byte of a multi-byte UTF-8 character is a line end
	 * or {@code :}, so bytes can be read one by one.
	 */
	static final class UnknownFieldsAsComments<T> implements BodySubscriber<T> {

		private static final List<byte[]> KNOWN = List.of(bytes("data:"), bytes("id:"), bytes("event:"), bytes(":"));

		private final BodySubscriber<T> downstream;

		// The start of the current line, while it is not yet known whether its field is one the SDK knows.
		private final ByteArrayOutputStream head = new ByteArrayOutputStream();

		private boolean atLineStart = true;

		UnknownFieldsAsComments(BodySubscriber<T> downstream) {
			this.downstream = downstream;
		}

		@Override
		public CompletionStage<T> getBody() {
			return this.downstream.getBody();
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.downstream.onSubscribe(subscription);
		}

		@Override
		public void onNext(List<ByteBuffer> items) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			for (ByteBuffer item : items) {
				while (item.hasRemaining()) {
					accept(item.get(), out);
				}
			}
			this.downstream.onNext(List.of(ByteBuffer.wrap(out.toByteArray())));
		}

		@Override
		public void onError(Throwable failure) {
			this.downstream.onError(failure);
		}

		@Override
		public void onComplete() {
			if (this.head.size() > 0) {
				// The body ended inside a field name: an unknown field, like any field without its colon.
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				asComment(out);
				this.downstream.onNext(List.of(ByteBuffer.wrap(out.toByteArray())));
			}
			this.downstream.onComplete();
		}

		private void accept(byte b, ByteArrayOutputStream out) {
			boolean lineEnd = b == '\n' || b == '\r';
			if (!this.atLineStart) {
				out.write(b);
				this.atLineStart = lineEnd;
				return;
			}
			if (lineEnd) {
				// An empty line ends an event and passes; a field name without its colon is not one the SDK reads.
				if (this.head.size() > 0) {
					asComment(out);
				}
				out.write(b);
				return;
			}
			this.head.write(b);
			byte[] start = this.head.toByteArray();
			if (KNOWN.stream().anyMatch((field) -> Arrays.equals(field, start))) {
				out.writeBytes(start);
				this.head.reset();
				this.atLineStart = false;
			}
			else if (KNOWN.stream().noneMatch((field) -> startsWith(field, start))) {
				asComment(out);
				this.atLineStart = false;
			}
		}

		private void asComment(ByteArrayOutputStream out) {
			out.write(':');
			out.writeBytes(this.head.toByteArray());
			this.head.reset();
		}

		private static boolean startsWith(byte[] field, byte[] start) {
			return start.length < field.length && Arrays.equals(field, 0, start.length, start, 0, start.length);
		}

		private static byte[] bytes(String text) {
			return text.getBytes(StandardCharsets.US_ASCII);
		}

	}

	/** Builds the JDK client as configured, then wraps it. */
	private static final class Builder implements HttpClient.Builder {

		private final HttpClient.Builder delegate;

		Builder(HttpClient.Builder delegate) {
			this.delegate = delegate;
		}

		@Override
		public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
			this.delegate.cookieHandler(cookieHandler);
			return this;
		}

		@Override
		public HttpClient.Builder connectTimeout(Duration duration) {
			this.delegate.connectTimeout(duration);
			return this;
		}

		@Override
		public HttpClient.Builder sslContext(SSLContext sslContext) {
			this.delegate.sslContext(sslContext);
			return this;
		}

		@Override
		public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
			this.delegate.sslParameters(sslParameters);
			return this;
		}

		@Override
		public HttpClient.Builder executor(Executor executor) {
			this.delegate.executor(executor);
			return this;
		}

		@Override
		public HttpClient.Builder followRedirects(Redirect policy) {
			this.delegate.followRedirects(policy);
			return this;
		}

		@Override
		public HttpClient.Builder version(Version version) {
			this.delegate.version(version);
			return this;
		}

		@Override
		public HttpClient.Builder priority(int priority) {
			this.delegate.priority(priority);
			return this;
		}

		@Override
		public HttpClient.Builder proxy(ProxySelector proxySelector) {
			this.delegate.proxy(proxySelector);
			return this;
		}

		@Override
		public HttpClient.Builder authenticator(Authenticator authenticator) {
			this.delegate.authenticator(authenticator);
			return this;
		}

		@Override
		public HttpClient build() {
			return new SseTolerantHttpClient(this.delegate.build());
		}

	}

}
