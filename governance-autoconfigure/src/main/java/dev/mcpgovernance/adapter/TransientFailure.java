package dev.mcpgovernance.adapter;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Which source failures the retry tries again: {@link TransientSourceException}, I/O errors
 * ({@link IOException}: refused or dropped connections), JDBC's transient errors, Spring's transient
 * data-access errors and HTTP 502, 503 and 504 from Spring's {@code RestClient}/{@code RestTemplate}
 * — anywhere along the causes. Everything else (a 4xx, bad SQL, an open circuit breaker) fails over
 * without a retry, and so does a timeout of any kind: a source that hangs is better skipped than
 * waited on again.
 *
 * <p>The default retry of every adapter uses it. An adapter with a retry of its own in
 * {@code resilience4j.retry.instances.<name>} keeps this rule with
 * {@code retry-exception-predicate: dev.mcpgovernance.adapter.TransientFailure}.
 */
public class TransientFailure implements Predicate<Throwable> {

	// By name: spring-tx and JDBC drivers are optional, and the HTTP subclasses are nested classes.
	private static final Set<String> TRANSIENT_TYPES = Set.of("java.sql.SQLTransientException",
			"java.sql.SQLRecoverableException", "org.springframework.dao.TransientDataAccessException",
			"org.springframework.dao.RecoverableDataAccessException",
			"org.springframework.web.client.HttpServerErrorException$BadGateway",
			"org.springframework.web.client.HttpServerErrorException$ServiceUnavailable",
			"org.springframework.web.client.HttpServerErrorException$GatewayTimeout");

	private static final Set<String> TIMEOUT_TYPES = Set.of("java.sql.SQLTimeoutException",
			"org.springframework.dao.QueryTimeoutException");

	@Override
	public boolean test(Throwable failure) {
		return isTransient(failure);
	}

	public static boolean isTransient(Throwable failure) {
		boolean transientCause = false;
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (isTimeout(cause)) {
				return false;
			}
			transientCause |= cause instanceof TransientSourceException || cause instanceof IOException
					|| isType(cause.getClass(), TRANSIENT_TYPES);
		}
		return transientCause;
	}

	// SocketTimeoutException is an InterruptedIOException; the JDBC and Spring timeouts are transient types too.
	private static boolean isTimeout(Throwable cause) {
		return cause instanceof TimeoutException || cause instanceof InterruptedIOException
				|| cause instanceof HttpTimeoutException || isType(cause.getClass(), TIMEOUT_TYPES);
	}

	private static boolean isType(Class<?> type, Set<String> names) {
		for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
			if (names.contains(candidate.getName())) {
				return true;
			}
		}
		return false;
	}

}
