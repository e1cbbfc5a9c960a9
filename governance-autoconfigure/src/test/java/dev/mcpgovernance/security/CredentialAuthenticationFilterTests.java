package dev.mcpgovernance.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.CredentialKind;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.scope.ScopeSet;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

import static org.assertj.core.api.Assertions.assertThat;

/** How the chain's one authentication filter treats the credential kinds, whichever they are. */
class CredentialAuthenticationFilterTests {

	private final List<String> refusals = new ArrayList<>();

	private final List<String> verified = new ArrayList<>();

	@AfterEach
	void clearContext() {
		SecurityContextHolder.clearContext();
	}

	/** A kind that reads its own header and accepts every value, noting what it verified. */
	private CredentialKind kind(String header, boolean canStepUp) {
		return new CredentialKind() {

			@Override
			public String name() {
				return header;
			}

			@Override
			public String presentedCredential(HttpServletRequest request) {
				return request.getHeader(header);
			}

			@Override
			public AuthenticationOutcome authenticate(String credential) {
				CredentialAuthenticationFilterTests.this.verified.add(header);
				return new AuthenticationOutcome.Authenticated(new CallerIdentity(header + ":" + credential, credential,
						null, ScopeSet.parse(List.of("orders:order:read")), null, Transport.HTTP));
			}

			@Override
			public Map<String, Object> transportContext(String credential) {
				return Map.of("kind", header);
			}

			@Override
			public boolean canStepUp() {
				return canStepUp;
			}

		};
	}

	private MockFilterChain filter(MockHttpServletRequest request, CredentialKind... kinds) throws Exception {
		MockFilterChain chain = new MockFilterChain();
		new CredentialAuthenticationFilter(AnyRequestMatcher.INSTANCE, List.of(kinds),
				(req, response, failure) -> this.refusals.add(failure.getMessage()))
			.doFilter(request, new MockHttpServletResponse(), chain);
		return chain;
	}

	@Test
	void theKindWhoseCredentialComesVerifiesItAndShapesTheAuthentication() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/mcp");
		request.addHeader("X-Second", "bob");
		MockFilterChain chain = filter(request, kind("X-First", false), kind("X-Second", true));

		assertThat(chain.getRequest()).as("the request goes on").isNotNull();
		assertThat(this.verified).containsExactly("X-Second");
		GovernanceAuthentication authentication = (GovernanceAuthentication) SecurityContextHolder.getContext()
			.getAuthentication();
		assertThat(authentication.getPrincipal().keyId()).isEqualTo("X-Second:bob");
		assertThat(authentication.canStepUp()).isTrue();
		assertThat(authentication.transportContext()).containsEntry("kind", "X-Second");
	}

	@Test
	void credentialsOfTwoKindsAreRefusedWithoutVerifyingEither() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/mcp");
		request.addHeader("X-First", "alice");
		request.addHeader("X-Second", "bob");
		MockFilterChain chain = filter(request, kind("X-First", false), kind("X-Second", false));

		assertThat(chain.getRequest()).as("the request ends here").isNull();
		assertThat(this.refusals).containsExactly("Send one credential: this request carries credentials of more than one kind.");
		assertThat(this.verified).isEmpty();
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
	}

	@Test
	void aRefusedCredentialEndsTheRequestAndARequestWithoutOneGoesOnUnauthenticated() throws Exception {
		CredentialKind refusing = new CredentialKind() {

			@Override
			public String name() {
				return "refusing";
			}

			@Override
			public String presentedCredential(HttpServletRequest request) {
				return request.getHeader("X-Refused");
			}

		};
		MockHttpServletRequest refused = new MockHttpServletRequest("POST", "/mcp");
		refused.addHeader("X-Refused", "x");
		assertThat(filter(refused, refusing).getRequest()).isNull();
		assertThat(this.refusals).containsExactly("This server does not accept refusing credentials here.");

		MockFilterChain chain = filter(new MockHttpServletRequest("POST", "/mcp"), refusing);
		assertThat(chain.getRequest()).isNotNull();
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
	}

}
