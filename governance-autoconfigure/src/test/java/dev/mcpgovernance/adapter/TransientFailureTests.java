package dev.mcpgovernance.adapter;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;

import static org.assertj.core.api.Assertions.assertThat;

class TransientFailureTests {

	private final TransientFailure transientFailure = new TransientFailure();

	@Test
	void retriesWhatMaySoonSucceed() {
		assertThat(this.transientFailure.test(new TransientSourceException("HTTP 503"))).isTrue();
		assertThat(this.transientFailure.test(new ConnectException("refused"))).isTrue();
		assertThat(this.transientFailure.test(new IllegalStateException(new IOException("reset")))).isTrue();
		assertThat(this.transientFailure.test(new SQLTransientConnectionException("pool"))).isTrue();
		assertThat(this.transientFailure.test(new TransientDataAccessResourceException("lock"))).isTrue();
		assertThat(this.transientFailure.test(serverError(HttpStatus.SERVICE_UNAVAILABLE))).isTrue();
		assertThat(this.transientFailure.test(serverError(HttpStatus.GATEWAY_TIMEOUT))).isTrue();
	}

	@Test
	void neverRetriesTimeoutsMistakesOrBugs() {
		assertThat(this.transientFailure.test(new TimeoutException())).isFalse();
		assertThat(this.transientFailure.test(new HttpTimeoutException("request timed out"))).isFalse();
		assertThat(this.transientFailure.test(new SocketTimeoutException("read timed out"))).isFalse();
		assertThat(this.transientFailure.test(new QueryTimeoutException("slow"))).isFalse();
		assertThat(this.transientFailure.test(new SQLTimeoutException("slow"))).isFalse();
		assertThat(this.transientFailure.test(serverError(HttpStatus.INTERNAL_SERVER_ERROR))).isFalse();
		assertThat(this.transientFailure.test(HttpClientErrorException.create(HttpStatus.BAD_REQUEST, "bad",
				HttpHeaders.EMPTY, new byte[0], StandardCharsets.UTF_8))).isFalse();
		assertThat(this.transientFailure.test(new IllegalArgumentException("bug"))).isFalse();
		assertThat(this.transientFailure.test(new SourceSkippedException("primary"))).isFalse();
	}

	private static HttpServerErrorException serverError(HttpStatus status) {
		return HttpServerErrorException.create(status, status.getReasonPhrase(), HttpHeaders.EMPTY, new byte[0],
				StandardCharsets.UTF_8);
	}

}
