package dev.mcpgovernance.resource;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.CallerIdentityContextExtractor;
import dev.mcpgovernance.identity.capability.CapabilityAuthenticator;
import dev.mcpgovernance.identity.ProcessCallerSource;
import io.modelcontextprotocol.common.McpTransportContext;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.function.SingletonSupplier;

/**
 * The caller of a resource, prompt or completion request, found as for a tool call: the transport's
 * verified caller; failing that (STDIO), a capability token in the request's {@code _meta};
 * failing that, the process's caller.
 */
public class RequestCallers {

	private final Supplier<ProcessCallerSource> processCaller;

	private final Supplier<Optional<CapabilityAuthenticator>> capabilities;

	public RequestCallers(ObjectProvider<ProcessCallerSource> processCaller,
			ObjectProvider<CapabilityAuthenticator> capabilities) {
		// Resolved on first use: the wrapping post-processor must not pull these in early.
		this.processCaller = SingletonSupplier.of(() -> processCaller.getIfAvailable(() -> Optional::empty));
		this.capabilities = SingletonSupplier.of(() -> Optional.ofNullable(capabilities.getIfAvailable()));
	}

	/** The verified caller, the refusal of a credential the request carried, or {@code null} for none. */
	public AuthenticationOutcome callerOf(McpTransportContext context, Map<String, Object> meta) {
		CallerIdentity caller = (context != null) ? CallerIdentityContextExtractor.callerOf(context) : null;
		if (caller != null) {
			return new AuthenticationOutcome.Authenticated(caller);
		}
		Object token = (meta != null) ? meta.get(CapabilityAuthenticator.META_KEY) : null;
		if (token != null) {
			Optional<CapabilityAuthenticator> authenticator = this.capabilities.get();
			if (authenticator.isEmpty()) {
				return new AuthenticationOutcome.Rejected("This server does not accept capability tokens.");
			}
			return (token instanceof String text) ? authenticator.get().authenticate(text)
					: new AuthenticationOutcome.Rejected("The capability token must be a string.");
		}
		return this.processCaller.get().caller().map(AuthenticationOutcome.Authenticated::new).orElse(null);
	}

	/** The verified caller alone ({@code null} when there is none or its credential was refused). */
	public CallerIdentity identityOf(McpTransportContext context, Map<String, Object> meta) {
		return (callerOf(context, meta) instanceof AuthenticationOutcome.Authenticated authenticated)
				? authenticated.identity() : null;
	}

}
