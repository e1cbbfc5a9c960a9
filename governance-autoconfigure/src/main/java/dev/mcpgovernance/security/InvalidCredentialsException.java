package dev.mcpgovernance.security;

import org.springframework.security.core.AuthenticationException;

/** A credential was presented and refused; the message is safe to show to the caller. */
public class InvalidCredentialsException extends AuthenticationException {

	public InvalidCredentialsException(String message) {
		super(message);
	}

}
