package dev.mcpgovernance.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class GovernedRequestFilterTests {

	private final List<DispatcherType> runs = new ArrayList<>();

	private final List<DispatcherType> passed = new ArrayList<>();

	private final GovernedRequestFilter filter = new GovernedRequestFilter() {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			GovernedRequestFilterTests.this.runs.add(request.getDispatcherType());
			chain.doFilter(request, response);
		}

	};

	private final FilterChain end = (request, response) -> this.passed.add(request.getDispatcherType());

	@Test
	void runsOnTheRequestsOwnDispatchAndEveryTimeForSeparateRequests() throws Exception {
		this.filter.doFilter(request(DispatcherType.REQUEST), new MockHttpServletResponse(), this.end);
		this.filter.doFilter(request(DispatcherType.REQUEST), new MockHttpServletResponse(), this.end);

		assertThat(this.runs).containsExactly(DispatcherType.REQUEST, DispatcherType.REQUEST);
		assertThat(this.passed).containsExactly(DispatcherType.REQUEST, DispatcherType.REQUEST);
	}

	@Test
	void skipsTheAsyncAndErrorDispatchesButLetsThemGoOn() throws Exception {
		this.filter.doFilter(request(DispatcherType.ASYNC), new MockHttpServletResponse(), this.end);
		this.filter.doFilter(request(DispatcherType.ERROR), new MockHttpServletResponse(), this.end);

		assertThat(this.runs).isEmpty();
		assertThat(this.passed).containsExactly(DispatcherType.ASYNC, DispatcherType.ERROR);
	}

	@Test
	void aForwardOrIncludeFromElsewhereIsFilteredSoItCannotGoAroundTheChecks() throws Exception {
		this.filter.doFilter(request(DispatcherType.FORWARD), new MockHttpServletResponse(), this.end);
		this.filter.doFilter(request(DispatcherType.INCLUDE), new MockHttpServletResponse(), this.end);

		assertThat(this.runs).containsExactly(DispatcherType.FORWARD, DispatcherType.INCLUDE);
	}

	@Test
	void aForwardNestedInItsOwnRunIsNotFilteredTwice() throws Exception {
		FilterChain forwarding = (request, response) -> {
			this.passed.add(request.getDispatcherType());
			this.filter.doFilter(request(DispatcherType.FORWARD), response, this.end);
		};

		this.filter.doFilter(request(DispatcherType.REQUEST), new MockHttpServletResponse(), forwarding);

		assertThat(this.runs).containsExactly(DispatcherType.REQUEST);
		assertThat(this.passed).containsExactly(DispatcherType.REQUEST, DispatcherType.FORWARD);
	}

	@Test
	void aRunThatFailedDoesNotExemptTheNextRequestOnTheSameThread() throws Exception {
		FilterChain failing = (request, response) -> {
			throw new ServletException("handler failed");
		};
		assertThatExceptionOfType(ServletException.class).isThrownBy(
				() -> this.filter.doFilter(request(DispatcherType.REQUEST), new MockHttpServletResponse(), failing));

		this.filter.doFilter(request(DispatcherType.REQUEST), new MockHttpServletResponse(), this.end);

		assertThat(this.runs).containsExactly(DispatcherType.REQUEST, DispatcherType.REQUEST);
	}

	@Test
	void neverTouchesTheRequestsAttributes() throws Exception {
		MockHttpServletRequest request = request(DispatcherType.REQUEST);
		this.filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
			assertThat(req.getAttributeNames().hasMoreElements()).isFalse();
			this.passed.add(req.getDispatcherType());
		});

		assertThat(this.passed).containsExactly(DispatcherType.REQUEST);
		assertThat(request.getAttributeNames().hasMoreElements()).isFalse();
	}

	private static MockHttpServletRequest request(DispatcherType type) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/mcp");
		request.setDispatcherType(type);
		return request;
	}

}
