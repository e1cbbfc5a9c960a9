package dev.mcpgovernance.http;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.GenericFilterBean;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A filter of the governed chains that runs once per request, as {@link OncePerRequestFilter} does,
 * without its request attribute: it skips the {@code ASYNC} and {@code ERROR} dispatches, and a
 * {@code FORWARD} or {@code INCLUDE} dispatch nested in its own run (such a dispatch happens on the
 * same thread, within the run), but runs on a forward or include that reaches the MCP endpoints from
 * elsewhere, so that such a request is governed too. Setting, reading and removing a request
 * attribute in each of nine filters on every call (Tomcat checks and notifies on every change) was
 * about one per cent of the governed server's request threads' CPU (issue 23).
 */
public abstract class GovernedRequestFilter extends GenericFilterBean {

	private final ThreadLocal<Boolean> running = new ThreadLocal<>();

	@Override
	public final void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!(request instanceof HttpServletRequest httpRequest)
				|| !(response instanceof HttpServletResponse httpResponse)) {
			throw new ServletException("A governed request filter supports HTTP requests only");
		}
		DispatcherType dispatch = request.getDispatcherType();
		if (dispatch == DispatcherType.ASYNC || dispatch == DispatcherType.ERROR || this.running.get() != null) {
			chain.doFilter(request, response);
			return;
		}
		this.running.set(Boolean.TRUE);
		try {
			doFilterInternal(httpRequest, httpResponse, chain);
		}
		finally {
			this.running.remove();
		}
	}

	/** The filter's work, on the request's own dispatch; it calls {@code chain} to go on. */
	protected abstract void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
			FilterChain chain) throws ServletException, IOException;

}
