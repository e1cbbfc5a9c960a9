package com.example.custom;

import java.util.Map;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.CredentialKind;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.scope.ScopeSet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * An application's own credential kind, outside the starter's packages: devices present a token of
 * their own in {@value #HEADER}. Here the one valid token is fixed; a real kind would look it up.
 */
public class DeviceCredentialKind implements CredentialKind {

	static final String HEADER = "X-Device-Token";

	static final String VALID_TOKEN = "device-token-7";

	/** What this kind adds to the MCP transport context: the device's id, for the tools. */
	static final String DEVICE_ID = "com.example.device-id";

	@Override
	public String name() {
		return "device";
	}

	@Override
	public String presentedCredential(HttpServletRequest request) {
		return request.getHeader(HEADER);
	}

	@Override
	public AuthenticationOutcome authenticate(String credential) {
		if (!VALID_TOKEN.equals(credential)) {
			return new AuthenticationOutcome.Rejected("Unknown device");
		}
		return new AuthenticationOutcome.Authenticated(new CallerIdentity("device:7", "device-7", "Sensor 7",
				ScopeSet.parse(java.util.List.of("inventory:item:read")), null, Transport.HTTP));
	}

	@Override
	public Map<String, Object> transportContext(String credential) {
		return Map.of(DEVICE_ID, "7");
	}

}
